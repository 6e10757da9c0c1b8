import { busConnectionArgs, type BusConnectionArgs } from './bus-args.ts';

/** What `tonearm dlq` can do to dead letters. */
export const DLQ_ACTIONS = ['list', 'show', 'retry', 'drop'] as const;

/** One of `DLQ_ACTIONS`. */
export type DlqAction = (typeof DLQ_ACTIONS)[number];

/** A parsed `tonearm dlq` command line. */
export interface DlqArgs extends BusConnectionArgs {
  action: DlqAction;
  /** The dead letter's sequence in the ops stream; set for every action but `list`. */
  seq: number | undefined;
  json: boolean;
  limit: number;
  consumer: string | undefined;
}

/** The flags of `tonearm dlq` as `parseArgs` returns them. */
export interface DlqFlags {
  nats?: string | undefined;
  namespace?: string | undefined;
  limit?: string | undefined;
  consumer?: string | undefined;
  json?: boolean | undefined;
}

function sequence(value: string, fail: (message: string) => Error): number {
  const seq = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(seq) || seq < 1) {
    throw fail(`a dead letter is named by its sequence in the ops stream, a whole number from 1, not "${value}"`);
  }
  return seq;
}

function limitOf(value: string | undefined, fail: (message: string) => Error): number {
  if (value === undefined) return 100;
  const limit = Number(value);
  if (!/^\d+$/.test(value) || limit < 1 || limit > 10_000) {
    throw fail(`--limit must be a whole number from 1 to 10000, not "${value}"`);
  }
  return limit;
}

/**
 * Parses the words after `dlq` and its flags; flags win over the environment. `fail` builds
 * the error thrown for a bad command line (the caller's usage error).
 *
 * @example
 * parseDlqArgs(['retry', '42'], {}, {}, (m) => new Error(m)) // { action: 'retry', seq: 42, nats: 'nats://127.0.0.1:4222', ... }
 */
export function parseDlqArgs(
  words: readonly string[],
  flags: DlqFlags,
  env: Record<string, string | undefined>,
  fail: (message: string) => Error,
): DlqArgs {
  const [action, ...rest] = words;
  if (action === undefined) throw fail(`dlq needs an action: ${DLQ_ACTIONS.join(', ')}`);
  if (!(DLQ_ACTIONS as readonly string[]).includes(action)) {
    throw fail(`unknown dlq action "${action}" (expected ${DLQ_ACTIONS.join(', ')})`);
  }
  const expected = action === 'list' ? 0 : 1;
  if (rest.length !== expected) {
    throw fail(action === 'list' ? `dlq list takes no arguments` : `dlq ${action} needs one sequence number`);
  }
  return {
    action: action as DlqAction,
    seq: rest[0] === undefined ? undefined : sequence(rest[0], fail),
    ...busConnectionArgs(flags, env, fail),
    json: flags.json ?? false,
    limit: limitOf(flags.limit, fail),
    consumer: flags.consumer,
  };
}
