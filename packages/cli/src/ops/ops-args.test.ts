import { describe, expect, it } from 'vitest';
import { DEFAULT_NATS_URL } from './bus-args.ts';
import { parseEventsArgs, parseStatusArgs } from './ops-args.ts';

const now = new Date('2026-11-25T18:10:00.000Z');
const fail = (message: string) => new Error(message);

describe('parseEventsArgs', () => {
  it('tails everything live by default', () => {
    expect(parseEventsArgs(['tail'], {}, {}, fail, now)).toEqual({
      nats: DEFAULT_NATS_URL,
      namespace: 'tonearm',
      subject: '>',
      since: undefined,
      json: false,
    });
  });

  it('takes a subject, a start and JSON output, the bus from the environment', () => {
    const args = parseEventsArgs(
      ['tail'],
      { subject: 'ingest.>', since: '10m', json: true },
      { NATS_URL: 'nats://bus:4222', BUS_NAMESPACE: 'staging' },
      fail,
      now,
    );

    expect(args).toEqual({
      nats: 'nats://bus:4222',
      namespace: 'staging',
      subject: 'ingest.>',
      since: new Date('2026-11-25T18:00:00.000Z'),
      json: true,
    });
  });

  it.each([
    [[], {}, 'events needs an action: tail'],
    [['follow'], {}, 'unknown events action "follow" (expected tail)'],
    [['tail', 'ingest.>'], {}, 'events tail takes no arguments, got "ingest.>" (use --subject)'],
    [['tail'], { since: 'a while' }, '--since must be a duration such as 30s, 10m, 2h or 1d, or an ISO time'],
    [['tail'], { subject: ' ' }, '--subject must be a pattern'],
    [['tail'], { nats: 'http://x' }, '--nats must be a nats:// or tls:// URL'],
  ])('refuses %j %j', (words, flags, message) => {
    expect(() => parseEventsArgs(words, flags, {}, fail, now)).toThrow(message);
  });
});

describe('parseStatusArgs', () => {
  it('takes --json and no words', () => {
    expect(parseStatusArgs([], { json: true }, {}, fail)).toEqual({
      nats: DEFAULT_NATS_URL,
      namespace: 'tonearm',
      json: true,
    });
    expect(() => parseStatusArgs(['now'], {}, {}, fail)).toThrow('status takes no arguments, got "now"');
  });
});
