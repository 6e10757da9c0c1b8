import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { freePort, isPortFree } from './free-port.ts';

describe('freePort', () => {
  it('answers a port that can be bound at once', async () => {
    const port = await freePort();
    const server = createServer();

    await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, '127.0.0.1', resolve));

    expect(port).toBeGreaterThan(0);
    server.close();
  });
});

describe('isPortFree', () => {
  it('says a port is taken while a server listens on it and free once it stops', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, resolve));
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;

    expect(await isPortFree(port)).toBe(false);
    await new Promise((resolve) => server.close(resolve));
    expect(await isPortFree(port)).toBe(true);
  });
});
