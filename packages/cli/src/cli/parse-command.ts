import { parseArgs } from 'node:util';
import { parseByteRate } from '../ingest/rate-limit.ts';
import type { BusConnectionArgs } from '../ops/bus-args.ts';
import { parseDlqArgs, type DlqArgs } from '../ops/dlq-args.ts';
import type { EventsTailArgs } from '../ops/events-command.ts';
import { parseEventsArgs, parseStatusArgs } from '../ops/ops-args.ts';

/** The edge a command talks to when neither `--server` nor `TONEARM_SERVER` says otherwise. */
export const DEFAULT_SERVER = 'http://localhost:8080';

/** Options every command shares. */
export interface GlobalOptions {
  server: string;
  token: string | undefined;
}

/** A parsed command line. */
export type Command =
  | { name: 'help'; global: GlobalOptions }
  | { name: 'login'; global: GlobalOptions; email: string | undefined }
  | {
      name: 'ingest';
      global: GlobalOptions;
      paths: string[];
      concurrency: number;
      partConcurrency: number;
      wait: boolean;
      dryRun: boolean;
      json: boolean;
      limitRate: number | undefined;
    }
  | ({ name: 'dlq'; global: GlobalOptions } & DlqArgs)
  | ({ name: 'events'; global: GlobalOptions } & EventsTailArgs)
  | ({ name: 'status'; global: GlobalOptions; json: boolean } & BusConnectionArgs);

/** A command line that cannot be run; the message is for the user. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** How to call the tool, printed by `tonearm help` and after a usage error. */
export const USAGE = `Usage: tonearm [--server URL] [--token TOKEN] <command>

Commands:
  login [--email EMAIL]        sign in and store an API token (password from the terminal or stdin)
  ingest <dir...>              upload the audio files found in the folders
    --concurrency N            files uploaded at once (default 4)
    --part-concurrency N       parts of one file uploaded at once (default 4)
    --wait                     follow each track until it is ready or failed
    --dry-run                  show what would be uploaded, upload nothing
    --json                     print the report as JSON
    --limit-rate RATE          keep uploads under RATE bytes/s (e.g. 500K, 2M)
  dlq list|show <seq>|retry <seq>|drop <seq>
                               dead letters, straight from NATS (operators)
    --nats URL                 NATS server (default nats://127.0.0.1:4222)
    --namespace NS             bus namespace (default tonearm)
    --consumer NAME            list only this consumer's (list)
    --limit N                  list at most N, newest first (default 100)
    --json                     print JSON
  events tail                  events as they are stored, one line each, until Ctrl-C (operators)
    --subject PATTERN          only these, e.g. ingest.> or *.upload.> (default: all)
    --since 10m|2h|ISO-TIME    start with the events stored since then
    --json                     one JSON object per line
  status                       instances with version and health, consumers with pending,
                               in-flight and redelivered counts, dead letters (operators)
    --json                     print JSON
  (dlq, events and status take --nats URL and --namespace NS)

Environment: TONEARM_SERVER, TONEARM_TOKEN, XDG_CONFIG_HOME, NATS_URL, BUS_NAMESPACE`;

function positiveInteger(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1 || parsed > 64) {
    throw new UsageError(`--${name} must be a whole number from 1 to 64, not "${value}"`);
  }
  return parsed;
}

function byteRate(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  try {
    return parseByteRate(value);
  } catch (error) {
    throw new UsageError(`--limit-rate: ${(error as Error).message}`);
  }
}

function serverUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`--server must be an http(s) URL, not "${value}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(`--server must be an http(s) URL, not "${value}"`);
  }
  return url.origin;
}

/**
 * Parses the arguments after the program name; flags win over the environment.
 *
 * @example
 * parseCommand(['ingest', '--wait', 'music'], {}) // { name: 'ingest', paths: ['music'], wait: true, ... }
 */
export function parseCommand(argv: readonly string[], env: Record<string, string | undefined>): Command {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        server: { type: 'string' },
        token: { type: 'string' },
        email: { type: 'string' },
        concurrency: { type: 'string' },
        'part-concurrency': { type: 'string' },
        wait: { type: 'boolean', default: false },
        'dry-run': { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
        'limit-rate': { type: 'string' },
        nats: { type: 'string' },
        namespace: { type: 'string' },
        consumer: { type: 'string' },
        limit: { type: 'string' },
        subject: { type: 'string' },
        since: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  const global: GlobalOptions = {
    server: serverUrl(values.server ?? env.TONEARM_SERVER ?? DEFAULT_SERVER),
    token: values.token ?? (env.TONEARM_TOKEN || undefined),
  };
  const [name, ...rest] = positionals;
  if (values.help || name === undefined || name === 'help') return { name: 'help', global };
  if (name === 'login') {
    if (rest.length > 0) throw new UsageError(`login takes no arguments, got "${rest.join(' ')}"`);
    return { name: 'login', global, email: values.email };
  }
  if (name === 'ingest') {
    if (rest.length === 0) throw new UsageError('ingest needs at least one folder');
    return {
      name: 'ingest',
      global,
      paths: rest,
      concurrency: positiveInteger('concurrency', values.concurrency, 4),
      partConcurrency: positiveInteger('part-concurrency', values['part-concurrency'], 4),
      wait: values.wait,
      dryRun: values['dry-run'],
      json: values.json,
      limitRate: byteRate(values['limit-rate']),
    };
  }
  if (name === 'dlq') {
    return { name: 'dlq', global, ...parseDlqArgs(rest, values, env, (message) => new UsageError(message)) };
  }
  const usageError = (message: string) => new UsageError(message);
  if (name === 'events')
    return { name: 'events', global, ...parseEventsArgs(rest, values, env, usageError, new Date()) };
  if (name === 'status') return { name: 'status', global, ...parseStatusArgs(rest, values, env, usageError) };
  throw new UsageError(`unknown command "${name}"`);
}
