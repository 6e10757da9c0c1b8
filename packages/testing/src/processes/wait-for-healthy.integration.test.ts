import { createServer, type Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from './free-port.ts';
import { NotHealthyError, waitForHealthy } from './wait-for-healthy.ts';

describe('waitForHealthy', () => {
  let server: Server | undefined;
  afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

  async function serve(status: () => number): Promise<string> {
    server = createServer((_request, response) => {
      response.writeHead(status()).end(`status ${status()}`);
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    return `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/healthz`;
  }

  it('waits through 503 answers until a 200 and resolves with the body', async () => {
    let calls = 0;
    const url = await serve(() => (++calls > 3 ? 200 : 503));

    const body = await waitForHealthy(url, { intervalMs: 10 });

    expect(body).toMatch(/^status 200$/);
    expect(calls).toBeGreaterThan(3);
  });

  it('gives up with the last answer when nothing listens', async () => {
    const url = `http://127.0.0.1:${await freePort()}/healthz`;

    const waiting = waitForHealthy(url, { timeoutMs: 200, intervalMs: 20 });

    await expect(waiting).rejects.toBeInstanceOf(NotHealthyError);
    await expect(waiting).rejects.toThrow(/ECONNREFUSED/);
  });

  it('stops waiting when its signal aborts', async () => {
    const url = await serve(() => 503);
    const controller = new AbortController();

    const waiting = waitForHealthy(url, { timeoutMs: 60_000, intervalMs: 20, signal: controller.signal });
    controller.abort(new Error('process exited'));

    await expect(waiting).rejects.toThrow(/process exited.*last answer/);
  });
});
