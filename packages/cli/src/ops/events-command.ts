import { readEvents } from '@tonearm/bus';
import type { BusConnectionArgs } from './bus-args.ts';
import { formatEventJson, formatEventLine } from './event-format.ts';
import { withOperatorBus } from './operator-bus.ts';

/** A parsed `tonearm events tail`. */
export interface EventsTailArgs extends BusConnectionArgs {
  /** Subject pattern after the namespace, such as `ingest.>`. */
  subject: string;
  since: Date | undefined;
  json: boolean;
}

/**
 * Runs `tonearm events tail`: prints the events stored since `--since` (if given), then every new
 * one, one line each (or one JSON object per line), until `signal` aborts (Ctrl-C). Says on
 * standard error when it is listening, so scripts and people know new events will show.
 */
export function eventsTailCommand(
  args: EventsTailArgs,
  out: { write(line: string): unknown; status(line: string): unknown },
  signal: AbortSignal,
): Promise<void> {
  return withOperatorBus(args, 'events', async (bus) => {
    const format = args.json ? formatEventJson : formatEventLine;
    const events = readEvents(bus, {
      subject: args.subject,
      signal,
      ...(args.since ? { since: args.since } : {}),
      onReady: () =>
        out.status(
          `tailing ${bus.topology.namespace}.${args.subject}${args.since ? ` since ${args.since.toISOString()}` : ''} (Ctrl-C to stop)\n`,
        ),
    });
    for await (const event of events) out.write(`${format(event)}\n`);
  });
}
