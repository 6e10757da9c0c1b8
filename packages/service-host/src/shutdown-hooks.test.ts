import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { runShutdownHooks } from './shutdown-hooks.ts';

const logger = pino({ level: 'silent' });

describe('runShutdownHooks', () => {
  it('runs hooks in reverse order of registration, awaiting each', async () => {
    const order: string[] = [];
    const hooks = ['bus', 'consumer'].map((name) => async () => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      order.push(name);
    });
    expect(await runShutdownHooks(hooks, 1_000, logger)).toBe(true);
    expect(order).toEqual(['consumer', 'bus']);
  });

  it('keeps going after a failing hook and reports it', async () => {
    const ran: string[] = [];
    const sut = await runShutdownHooks(
      [
        () => void ran.push('first'),
        () => {
          throw new Error('boom');
        },
      ],
      1_000,
      logger,
    );
    expect(sut).toBe(false);
    expect(ran).toEqual(['first']);
  });

  it('gives up on a hook that never finishes', async () => {
    expect(await runShutdownHooks([() => new Promise(() => {})], 20, logger)).toBe(false);
  });
});
