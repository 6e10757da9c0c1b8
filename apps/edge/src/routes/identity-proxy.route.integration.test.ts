import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ServiceInstance } from '@tonearm/contracts';
import { freePort } from '@tonearm/testing';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InstanceDirectory } from '../discovery/instance-directory.ts';
import { identityProxy } from './identity-proxy.route.ts';

let answering: Server;
let answeringUrl: string;
let refusingUrl: string;

/** A directory handing out `urls` in turn, as discovery would. */
function directory(urls: string[]): InstanceDirectory {
  let turn = 0;
  return {
    next: () =>
      urls.length === 0
        ? undefined
        : ({ metadata: { httpUrl: urls[turn++ % urls.length] } } as unknown as ServiceInstance),
    size: () => urls.length,
    refresh: async () => undefined,
    stop: () => undefined,
  };
}

function edgeWith(urls: string[]) {
  const proxy = identityProxy({ identity: directory(urls), timeoutMs: 2_000, clientAddress: () => '203.0.113.7' });
  return new Hono().all('/api/*', proxy);
}

beforeAll(async () => {
  // An HTTP server standing where an identity instance would: it echoes what reached it.
  answering = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      res.setHeader('content-type', 'application/json');
      res.end(
        JSON.stringify({
          method: req.method,
          url: req.url,
          body: Buffer.concat(chunks).toString('utf8'),
          forwardedFor: req.headers['x-forwarded-for'],
        }),
      );
    });
  });
  await new Promise<void>((resolve) => answering.listen(0, '127.0.0.1', resolve));
  answeringUrl = `http://127.0.0.1:${(answering.address() as AddressInfo).port}`;
  refusingUrl = `http://127.0.0.1:${await freePort()}`;
});

afterAll(() => new Promise<void>((resolve) => answering.close(() => resolve())));

describe('identityProxy', () => {
  it('passes a call over an instance that refuses the connection to the next one, body and all', async () => {
    const edge = edgeWith([refusingUrl, answeringUrl]);
    const response = await edge.request('/api/auth/login?x=1', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': '10.0.0.1' },
      body: JSON.stringify({ email: 'a@example.com', password: 'secret' }),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      method: 'POST',
      url: '/api/auth/login?x=1',
      body: JSON.stringify({ email: 'a@example.com', password: 'secret' }),
      forwardedFor: '203.0.113.7',
    });
  });

  it('answers 503 when every instance refuses, and when none is known', async () => {
    const refused = await edgeWith([refusingUrl]).request('/api/me');
    expect(refused.status).toBe(503);
    expect(await refused.json()).toMatchObject({ error: { code: 'service_unavailable' } });
    const none = await edgeWith([]).request('/api/me');
    expect(none.status).toBe(503);
    expect(await none.json()).toMatchObject({ error: { message: 'the identity service is not running' } });
  });

  it('refuses a body over 100 kB with 413 before anything reaches identity', async () => {
    const response = await edgeWith([answeringUrl]).request('/api/auth/register', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'x'.repeat(101 * 1024) }),
    });
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ error: { code: 'payload_too_large' } });
  });
});
