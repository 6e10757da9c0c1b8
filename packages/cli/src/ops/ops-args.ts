import { busConnectionArgs, type BusConnectionArgs } from './bus-args.ts';
import type { EventsTailArgs } from './events-command.ts';
import { parseSince } from './since.ts';

/** The flags of `tonearm events` and `tonearm status` as `parseArgs` returns them. */
export interface OpsFlags {
  nats?: string | undefined;
  namespace?: string | undefined;
  subject?: string | undefined;
  since?: string | undefined;
  json?: boolean | undefined;
}

/**
 * Parses the words after `events` (only `tail` so far) and its flags. The subject pattern is
 * checked against the streams when the command connects.
 *
 * @example
 * parseEventsArgs(['tail'], { since: '10m' }, {}, (m) => new Error(m), new Date()); // { subject: '>', since: <10 minutes ago>, ... }
 */
export function parseEventsArgs(
  words: readonly string[],
  flags: OpsFlags,
  env: Record<string, string | undefined>,
  fail: (message: string) => Error,
  now: Date,
): EventsTailArgs {
  const [action, ...rest] = words;
  if (action !== 'tail')
    throw fail(
      action === undefined ? 'events needs an action: tail' : `unknown events action "${action}" (expected tail)`,
    );
  if (rest.length > 0) throw fail(`events tail takes no arguments, got "${rest.join(' ')}" (use --subject)`);
  const subject = flags.subject ?? '>';
  if (subject.trim() === '') throw fail('--subject must be a pattern such as ingest.> or *.upload.>');
  return {
    ...busConnectionArgs(flags, env, fail),
    subject,
    since: flags.since === undefined ? undefined : parseSince(flags.since, now, fail),
    json: flags.json ?? false,
  };
}

/**
 * Parses the words after `status` (none) and its flags.
 *
 * @example
 * parseStatusArgs([], { json: true }, {}, (m) => new Error(m)); // { nats: 'nats://127.0.0.1:4222', namespace: 'tonearm', json: true }
 */
export function parseStatusArgs(
  words: readonly string[],
  flags: OpsFlags,
  env: Record<string, string | undefined>,
  fail: (message: string) => Error,
): BusConnectionArgs & { json: boolean } {
  if (words.length > 0) throw fail(`status takes no arguments, got "${words.join(' ')}"`);
  return { ...busConnectionArgs(flags, env, fail), json: flags.json ?? false };
}
