import { Writable } from 'node:stream';
import { serviceUrls, isolatedNamespace } from '@tonearm/testing';
import { pino } from 'pino';
import { describe, expect, it, vi } from 'vitest';
import { connectBus } from '../src/index.ts';

function capturingLogger() {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { logger: pino({ level: 'debug' }, destination), lines };
}

describe(connectBus.name, () => {
  it('logs a lost and regained connection as one line each and reports its state', async () => {
    const { logger, lines } = capturingLogger();
    const sut = await connectBus({
      url: serviceUrls().natsUrl,
      namespace: isolatedNamespace('conn'),
      name: 'test:conn',
      logger,
    });
    expect(sut.isConnected()).toBe(true);

    await sut.nc.reconnect();

    await vi.waitFor(() => expect(lines.map((l) => l.msg)).toContain('bus reconnected'), { timeout: 10_000 });
    expect(lines.map((l) => l.msg)).toContain('bus disconnected');
    expect(lines.find((l) => l.msg === 'bus disconnected')).toMatchObject({ level: 40, bus: { status: 'disconnect' } });
    expect(sut.isConnected()).toBe(true);

    await sut.close();
    await sut.close();

    expect(sut.isConnected()).toBe(false);
    expect(sut.nc.isClosed()).toBe(true);
  });

  it('refuses a namespace the topology does not accept', async () => {
    const { logger } = capturingLogger();
    await expect(
      connectBus({ url: serviceUrls().natsUrl, namespace: 'Not Valid', name: 'test:bad', logger }),
    ).rejects.toThrow(/bus namespace "Not Valid"/);
  });
});
