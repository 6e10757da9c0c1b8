import { platformStatus } from '@tonearm/bus';
import type { BusConnectionArgs } from './bus-args.ts';
import { withOperatorBus } from './operator-bus.ts';
import { formatStatus } from './status-format.ts';

/**
 * Runs `tonearm status` straight against NATS and returns what to print: instances, streams with
 * their consumers' counts, dead letters; as JSON with `json`.
 */
export function statusCommand(args: BusConnectionArgs & { json: boolean }): Promise<string> {
  return withOperatorBus(args, 'status', async (bus) => {
    const status = await platformStatus(bus);
    return args.json ? `${JSON.stringify(status, null, 2)}\n` : formatStatus(status);
  });
}
