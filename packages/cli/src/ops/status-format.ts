import type { PlatformStatus } from '@tonearm/bus';

function table(rows: string[][], indent = ''): string[] {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows.map(
    (row) =>
      indent +
      row
        .map((cell, i) => cell.padEnd(widths[i]!))
        .join('  ')
        .trimEnd(),
  );
}

function failingChecks(health: PlatformStatus['services'][string]['instances'][number]['health']): string {
  if (!health) return '';
  return Object.entries(health.checks)
    .filter(([, check]) => check.status !== 'ok')
    .map(([name, check]) => `${name}: ${check.detail ?? check.status}`)
    .join('; ');
}

/**
 * The platform status as an operator reads it: one line per instance (service, id, version,
 * health and what fails), one block per stream with each durable consumer's pending, in-flight
 * and redelivered counts, ordered consumers (live tails) only counted, and the dead letters.
 *
 * @example
 * process.stdout.write(formatStatus(await platformStatus(bus)));
 */
export function formatStatus(status: PlatformStatus): string {
  const lines = [`namespace ${status.namespace}, checked ${status.checkedAt}`, '', 'Services'];
  const instances = Object.entries(status.services)
    .sort(([a], [b]) => a.localeCompare(b))
    .flatMap(([name, { instances }]) =>
      instances.map((i) => [name, i.id, i.version, i.health?.status ?? 'unknown', failingChecks(i.health)]),
    );
  if (instances.length === 0) lines.push('  no instance answered on the bus');
  else lines.push(...table([['service', 'instance', 'version', 'health', ''], ...instances], '  '));
  lines.push('', 'Streams');
  for (const stream of status.streams) {
    if (stream.messages === null) {
      lines.push(`  ${stream.name}  missing`);
      continue;
    }
    lines.push(`  ${stream.name}  ${stream.messages} messages, ${stream.bytes} bytes`);
    const durable = stream.consumers.filter((c) => c.durable);
    const others = stream.consumers.length - durable.length;
    if (durable.length > 0) {
      const rows = durable.map((c) => [c.name, String(c.pending), String(c.ackPending), String(c.redelivered)]);
      lines.push(...table([['consumer', 'pending', 'in-flight', 'redelivered'], ...rows], '    '));
    }
    if (others > 0) lines.push(`    and ${others} ordered consumer${others === 1 ? '' : 's'} (live tails)`);
  }
  lines.push('', `Dead letters: ${status.deadLetters}${status.deadLetters > 0 ? ' (tonearm dlq list)' : ''}`);
  return `${lines.join('\n')}\n`;
}
