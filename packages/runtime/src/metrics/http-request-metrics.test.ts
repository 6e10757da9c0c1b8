import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { currentContext } from '../context/request-context.ts';
import { httpRequestMetrics } from './http-request-metrics.ts';

describe('httpRequestMetrics', () => {
  let server: Server | undefined;

  afterEach(() => new Promise<void>((done) => (server ? server.close(() => done()) : done())));

  async function serve(registry: Registry): Promise<string> {
    const middleware = httpRequestMetrics(registry);
    server = createServer((req, res) => {
      middleware(req, res, () => {
        const routed = req as typeof req & { route?: { path: string }; baseUrl?: string };
        if (req.url?.startsWith('/api/auth/sessions/')) {
          routed.baseUrl = '/api/auth';
          routed.route = { path: '/sessions/:id' };
        }
        res.statusCode = routed.route ? 204 : 404;
        res.end(currentContext()?.correlationId);
      });
    });
    await new Promise<void>((done) => server!.listen(0, '127.0.0.1', done));
    return `http://127.0.0.1:${(server!.address() as AddressInfo).port}`;
  }

  it('records duration by method, route pattern and status, never the raw path', async () => {
    const registry = new Registry();
    const url = await serve(registry);

    await fetch(`${url}/api/auth/sessions/abc`, { method: 'DELETE' });
    await fetch(`${url}/api/auth/sessions/def`, { method: 'DELETE' });
    await fetch(`${url}/nowhere/123`);

    const text = await registry.metrics();
    expect(text).toContain(
      'http_request_duration_seconds_count{method="DELETE",route="/api/auth/sessions/:id",status="204"} 2',
    );
    expect(text).toContain('http_request_duration_seconds_count{method="GET",route="unmatched",status="404"} 1');
    expect(text).not.toContain('abc');
  });

  it("runs the request with the caller's request id as correlation id, or a new one for a bad one", async () => {
    const url = await serve(new Registry());

    const given = await fetch(`${url}/x`, { headers: { 'x-request-id': 'req-123' } });
    const forged = await fetch(`${url}/x`, { headers: { 'x-request-id': 'a b\tc' } });

    expect(await given.text()).toBe('req-123');
    expect(await forged.text()).toMatch(/^[0-9a-f-]{36}$/);
  });
});
