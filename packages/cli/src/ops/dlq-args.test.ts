import { describe, expect, it } from 'vitest';
import { parseCommand, UsageError } from '../cli/parse-command.ts';
import { DEFAULT_NATS_URL } from './bus-args.ts';
import { parseDlqArgs } from './dlq-args.ts';

const fail = (message: string) => new UsageError(message);

describe(parseDlqArgs.name, () => {
  it('parses list with the defaults', () => {
    const sut = parseDlqArgs(['list'], {}, {}, fail);
    expect(sut).toEqual({
      action: 'list',
      seq: undefined,
      nats: DEFAULT_NATS_URL,
      namespace: 'tonearm',
      json: false,
      limit: 100,
      consumer: undefined,
    });
  });

  it('parses show, retry and drop with their sequence', () => {
    expect(parseDlqArgs(['show', '7'], {}, {}, fail)).toMatchObject({ action: 'show', seq: 7 });
    expect(parseDlqArgs(['retry', '42'], {}, {}, fail)).toMatchObject({ action: 'retry', seq: 42 });
    expect(parseDlqArgs(['drop', '1'], {}, {}, fail)).toMatchObject({ action: 'drop', seq: 1 });
  });

  it('takes the server and namespace from the environment, and lets flags win', () => {
    const env = { NATS_URL: 'nats://bus.example:4222', BUS_NAMESPACE: 'staging' };
    expect(parseDlqArgs(['list'], {}, env, fail)).toMatchObject({ nats: env.NATS_URL, namespace: 'staging' });
    expect(parseDlqArgs(['list'], { nats: 'tls://other:4443', namespace: 'prod' }, env, fail)).toMatchObject({
      nats: 'tls://other:4443',
      namespace: 'prod',
    });
  });

  it('keeps the list filters', () => {
    const sut = parseDlqArgs(['list'], { limit: '5', consumer: 'transcoder', json: true }, {}, fail);
    expect(sut).toMatchObject({ limit: 5, consumer: 'transcoder', json: true });
  });

  it.each([
    [[], 'dlq needs an action'],
    [['purge'], 'unknown dlq action "purge"'],
    [['list', '3'], 'dlq list takes no arguments'],
    [['show'], 'dlq show needs one sequence number'],
    [['retry', '1', '2'], 'dlq retry needs one sequence number'],
    [['drop', '0'], 'not "0"'],
    [['drop', '-3'], 'not "-3"'],
    [['show', '1.5'], 'not "1.5"'],
    [['show', 'abc'], 'not "abc"'],
    [['retry', '99999999999999999999'], 'not "99999999999999999999"'],
  ])('refuses %j', (words, message) => {
    expect(() => parseDlqArgs(words, {}, {}, fail)).toThrow(UsageError);
    expect(() => parseDlqArgs(words, {}, {}, fail)).toThrow(message);
  });

  it.each([
    [{ nats: 'http://127.0.0.1:4222' }, '--nats must be a nats:// or tls:// URL'],
    [{ nats: 'not a url' }, '--nats must be a nats:// or tls:// URL'],
    [{ namespace: 'Bad Namespace' }, '--namespace: bus namespace "Bad Namespace" must match'],
    [{ limit: '0' }, '--limit must be a whole number from 1 to 10000'],
    [{ limit: 'ten' }, '--limit must be a whole number from 1 to 10000'],
    [{ limit: '10001' }, '--limit must be a whole number from 1 to 10000'],
  ])('refuses the flags %j', (flags, message) => {
    expect(() => parseDlqArgs(['list'], flags, {}, fail)).toThrow(message);
  });

  it('is what parseCommand runs for dlq, flags anywhere on the line', () => {
    const sut = parseCommand(['dlq', '--nats', 'nats://10.0.0.1:4222', 'retry', '--namespace', 'ns1', '12'], {});
    expect(sut).toMatchObject({
      name: 'dlq',
      action: 'retry',
      seq: 12,
      nats: 'nats://10.0.0.1:4222',
      namespace: 'ns1',
    });
    expect(() => parseCommand(['dlq', 'nope'], {})).toThrow(UsageError);
  });
});
