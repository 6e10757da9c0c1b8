import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runWithContext, newTraceparent, parseTraceparent } from '../context/request-context.ts';
import { createLogger } from './logger.ts';

function capture() {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()));
      done();
    },
  });
  return { lines, destination };
}

describe('createLogger', () => {
  it('puts service, instance and the current correlation and trace ids on every line', () => {
    const { lines, destination } = capture();
    const sut = createLogger({ service: 'ingest', instanceId: 'i-1', destination });
    const traceparent = newTraceparent();
    runWithContext({ correlationId: 'corr-1', traceparent }, () => sut.info('inside'));
    sut.info('outside');
    expect(lines[0]).toMatchObject({
      service: 'ingest',
      instance: 'i-1',
      level: 'info',
      correlationId: 'corr-1',
      traceId: parseTraceparent(traceparent)!.traceId,
      msg: 'inside',
    });
    expect(lines[1]).not.toHaveProperty('correlationId');
  });

  it('never writes a password or token', () => {
    const { lines, destination } = capture();
    const sut = createLogger({ service: 'identity', instanceId: 'i-1', destination });
    sut.info({ body: { password: 'hunter22' }, token: 'secret-token' }, 'login');
    expect(JSON.stringify(lines[0])).not.toMatch(/hunter22|secret-token/);
  });
});
