import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiError, createApiClient, retryDelaySeconds } from './api-client.ts';

describe('retryDelaySeconds', () => {
  it('prefers the Retry-After header, then the error details, then the fallback', () => {
    expect(retryDelaySeconds('3', { retryAfterSeconds: 9 }, 1)).toBe(3);
    expect(retryDelaySeconds(null, { retryAfterSeconds: 9 }, 1)).toBe(9);
    expect(retryDelaySeconds('soon', undefined, 1)).toBe(1);
    expect(retryDelaySeconds('-4', { retryAfterSeconds: 'x' }, 2)).toBe(2);
  });
});

describe('createApiClient', () => {
  const servers: Server[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
  });

  /** A local HTTP server answering the scripted statuses in order, recording what it was sent. */
  async function scripted(answers: { status: number; body: unknown; headers?: Record<string, string> }[]) {
    const seen: { method: string; url: string; authorization: string | undefined; body: string }[] = [];
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        seen.push({ method: req.method!, url: req.url!, authorization: req.headers.authorization, body });
        const answer = answers[Math.min(seen.length - 1, answers.length - 1)]!;
        res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
        res.end(JSON.stringify(answer.body));
      });
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
  }

  it('sends JSON with the bearer token and answers the parsed body', async () => {
    const { url, seen } = await scripted([{ status: 201, body: { id: 'x' } }]);
    const sut = createApiClient(url, 'tnat_t');
    expect(await sut.request('POST', '/api/uploads', { body: { a: 1 } })).toEqual({ id: 'x' });
    expect(seen).toEqual([{ method: 'POST', url: '/api/uploads', authorization: 'Bearer tnat_t', body: '{"a":1}' }]);
  });

  it('throws the API error code, message and details', async () => {
    const { url } = await scripted([
      { status: 409, body: { error: { code: 'conflict', message: 'duplicate', details: { trackId: 't' } } } },
    ]);
    const error = await createApiClient(url)
      .request('POST', '/api/uploads')
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 409, code: 'conflict', message: 'duplicate', details: { trackId: 't' } });
  });

  it('retries a 429 after its Retry-After and a 503, then answers', async () => {
    const { url, seen } = await scripted([
      { status: 429, body: { error: { code: 'rate_limited', message: 'later' } }, headers: { 'retry-after': '0' } },
      { status: 503, body: { error: { code: 'unavailable', message: 'down' } } },
      { status: 200, body: { ok: true } },
    ]);
    const retries: number[] = [];
    const sut = createApiClient(url, undefined, {
      unavailableDelaySeconds: 0,
      onRetry: ({ status }) => retries.push(status),
    });
    expect(await sut.request('GET', '/api/me')).toEqual({ ok: true });
    expect(seen).toHaveLength(3);
    expect(retries).toEqual([429, 503]);
  });

  it('gives up after the last attempt or when asked to wait too long', async () => {
    const { url, seen } = await scripted([{ status: 503, body: {} }]);
    await expect(
      createApiClient(url, undefined, { attempts: 2, unavailableDelaySeconds: 0 }).request('GET', '/x'),
    ).rejects.toMatchObject({ status: 503 });
    expect(seen).toHaveLength(2);
    const tooLong = await scripted([{ status: 429, body: {}, headers: { 'retry-after': '7200' } }]);
    await expect(createApiClient(tooLong.url).request('GET', '/x')).rejects.toMatchObject({ status: 429 });
  });

  it('reports an unreachable server as such', async () => {
    await expect(createApiClient('http://127.0.0.1:1').request('GET', '/x')).rejects.toMatchObject({
      code: 'unreachable',
    });
  });
});
