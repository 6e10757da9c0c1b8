import { createLogger } from '@tonearm/runtime';
import { describe, expect, it } from 'vitest';
import { NestLogger } from './nest-logger.ts';

function capture() {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger({
    service: 'identity',
    instanceId: 'identity-test',
    level: 'trace',
    destination: { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) },
  });
  return { lines, sut: new NestLogger(logger) };
}

describe(NestLogger.name, () => {
  it('writes a message with its Nest context as one JSON line of the service', () => {
    const { lines, sut } = capture();
    sut.log('AppModule dependencies initialized', 'InstanceLoader');

    expect(lines).toEqual([
      expect.objectContaining({
        level: 'info',
        service: 'identity',
        component: 'nest',
        context: 'InstanceLoader',
        msg: 'AppModule dependencies initialized',
      }),
    ]);
  });

  it('keeps the stack Nest passes before the context of an error', () => {
    const { lines, sut } = capture();
    sut.error('init failed', 'Error: init failed\n    at main.ts:1:1', 'ExceptionHandler');

    expect(lines[0]).toMatchObject({
      level: 'error',
      msg: 'init failed',
      stack: 'Error: init failed\n    at main.ts:1:1',
      context: 'ExceptionHandler',
    });
  });

  it('serialises an Error given as the message', () => {
    const { lines, sut } = capture();
    sut.fatal(new Error('cannot resolve BUS'));

    expect(lines[0]).toMatchObject({
      level: 'fatal',
      msg: 'cannot resolve BUS',
      err: { message: 'cannot resolve BUS' },
    });
  });

  it('maps verbose to trace and keeps a non-string message as data', () => {
    const { lines, sut } = capture();
    sut.verbose({ modules: 3 });
    sut.warn('slow init');

    expect(lines.map(({ level, msg, data }) => ({ level, msg, data }))).toEqual([
      { level: 'trace', msg: 'nest', data: { modules: 3 } },
      { level: 'warn', msg: 'slow init', data: undefined },
    ]);
  });
});
