import { connectBus, type Bus } from '@tonearm/bus';
import { pino } from 'pino';
import type { BusConnectionArgs } from './bus-args.ts';

/**
 * Connects an operator command straight to NATS (operators have bus access), runs it and closes
 * the connection whatever happens. Bus warnings go to standard error.
 */
export async function withOperatorBus<T>(args: BusConnectionArgs, command: string, run: (bus: Bus) => Promise<T>) {
  const bus = await connectBus({
    url: args.nats,
    namespace: args.namespace,
    name: `tonearm-cli:${command}`,
    logger: pino({ level: process.env.TONEARM_LOG_LEVEL ?? 'warn' }, pino.destination(2)),
  });
  try {
    return await run(bus);
  } finally {
    await bus.close();
  }
}
