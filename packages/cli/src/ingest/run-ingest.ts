import { createApiClient } from '../api/api-client.ts';
import { UsageError, type Command } from '../cli/parse-command.ts';
import { readConfig } from '../config/config-store.ts';
import { ingestCommand } from './ingest-command.ts';
import { exitCodeOf, formatReport } from './ingest-report.ts';
import { INTERRUPTED_EXIT_CODE, watchInterrupt } from './interrupt.ts';

/**
 * `tonearm ingest` as the process runs it: token from the flag, environment or stored login,
 * Ctrl-C stops cleanly (a second one at once), the report on stdout; answers the exit code.
 */
export async function runIngest(command: Extract<Command, { name: 'ingest' }>, configDir: string): Promise<number> {
  const token = command.global.token ?? (await readConfig(configDir)).servers[command.global.server]?.token;
  if (!token && !command.dryRun) {
    throw new UsageError(`no API token for ${command.global.server}: run "tonearm login" or pass --token`);
  }
  const interrupt = watchInterrupt(process, {
    onFirst: () =>
      process.stderr.write(
        '\nInterrupted: stopping; parts in flight are aborted and upload sessions saved (Ctrl-C again to quit now)\n',
      ),
    onForce: () => process.exit(INTERRUPTED_EXIT_CODE),
  });
  try {
    const report = await ingestCommand({
      api: createApiClient(command.global.server, token, {
        onRetry: ({ status, waitSeconds, method, path }) =>
          process.stderr.write(`${method} ${path} answered ${status}; retrying in ${waitSeconds}s\n`),
      }),
      paths: command.paths,
      concurrency: command.concurrency,
      partConcurrency: command.partConcurrency,
      wait: command.wait,
      dryRun: command.dryRun,
      configDir,
      progressStream: command.json ? process.stderr : process.stdout,
      signal: interrupt.signal,
      ...(command.limitRate === undefined ? {} : { limitRate: command.limitRate }),
    });
    process.stdout.write(command.json ? `${JSON.stringify(report, null, 2)}\n` : formatReport(report));
    if (report.interrupted && command.json) {
      process.stderr.write('Interrupted: run the same command again to resume.\n');
    }
    return exitCodeOf(report);
  } finally {
    interrupt.dispose();
  }
}
