import { dropDeadLetter, getDeadLetter, listDeadLetters, retryDeadLetter, type Bus } from '@tonearm/bus';
import type { DlqArgs } from './dlq-args.ts';
import { formatDeadLetterDetail, formatDeadLetterList } from './dlq-format.ts';
import { withOperatorBus } from './operator-bus.ts';

async function run(bus: Bus, args: DlqArgs): Promise<string> {
  const seq = args.seq!;
  switch (args.action) {
    case 'list': {
      const letters = await listDeadLetters(bus, {
        limit: args.limit,
        ...(args.consumer !== undefined ? { consumer: args.consumer } : {}),
      });
      return args.json ? `${JSON.stringify(letters, null, 2)}\n` : formatDeadLetterList(letters);
    }
    case 'show': {
      const letter = await getDeadLetter(bus, seq);
      return args.json ? `${JSON.stringify(letter, null, 2)}\n` : formatDeadLetterDetail(letter);
    }
    case 'retry': {
      const stored = await retryDeadLetter(bus, seq);
      return args.json
        ? `${JSON.stringify({ retried: seq, ...stored })}\n`
        : `retried dead letter #${seq}: stored again in ${stored.stream} at #${stored.seq}\n`;
    }
    case 'drop':
      await dropDeadLetter(bus, seq);
      return args.json ? `${JSON.stringify({ dropped: seq })}\n` : `dropped dead letter #${seq}\n`;
  }
}

/**
 * Runs `tonearm dlq <action>` straight against NATS (operators have bus access) and returns
 * what to print. Bus warnings go to standard error.
 *
 * @throws DeadLetterNotFoundError from the bus when the sequence holds no dead letter
 */
export function dlqCommand(args: DlqArgs): Promise<string> {
  return withOperatorBus(args, 'dlq', (bus) => run(bus, args));
}
