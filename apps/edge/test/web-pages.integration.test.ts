import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { announceService, connectBus, dropNamespace, type Bus, type ServiceAnnouncement } from '@tonearm/bus';
import {
  eventually,
  freePort,
  isolatedNamespace,
  serviceUrls,
  startChildService,
  type ChildService,
} from '@tonearm/testing';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const namespace = isolatedNamespace('edge');
let bus: Bus;
let edge: ChildService;
let edgeUrl: string;
const pages: Server[] = [];
const announcements: ServiceAnnouncement[] = [];

/** A stand-in web instance: a real HTTP server announced on the bus as `web`. */
async function startWebInstance(id: string) {
  const server = createServer((request, response) => {
    response.writeHead(200, { 'content-type': 'text/html' }).end(`<p>page ${request.url} from ${id}</p>`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  pages.push(server);
  const httpUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const announcement = await announceService(bus, {
    name: 'web',
    version: '0.0.0',
    description: 'test web instance',
    instanceId: id,
    metadata: { namespace, opsUrl: httpUrl, httpUrl, startedAt: new Date().toISOString() },
    health: async () => ({ status: 'ok', checks: {} }),
  });
  announcements.push(announcement);
  return announcement;
}

beforeAll(async () => {
  bus = await connectBus({
    url: serviceUrls().natsUrl,
    namespace,
    name: 'edge-test',
    logger: pino({ level: 'silent' }),
  });
  const port = await freePort();
  edgeUrl = `http://127.0.0.1:${port}`;
  edge = await startChildService({
    app: 'edge',
    env: {
      BUS_NAMESPACE: namespace,
      EDGE_PORT: String(port),
      EDGE_HOST: '127.0.0.1',
      EDGE_UPSTREAM_TIMEOUT_MS: '2000',
    },
  });
});

afterAll(async () => {
  await edge?.stop();
  await Promise.all(announcements.map((a) => a.stop()));
  pages.forEach((p) => p.close());
  await dropNamespace(bus);
  await bus.close();
});

describe('edge web pages', () => {
  it('answers 503 with an API error when no web instance is live', async () => {
    const response = await fetch(`${edgeUrl}/`);
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({
      error: { code: 'service_unavailable', message: 'the web app is not running' },
    });
    expect(response.headers.get('x-request-id')).toBeTruthy();
  });

  it('finds web instances through discovery and shares requests between them', async () => {
    await startWebInstance('web-a');
    await startWebInstance('web-b');
    const bodies = async () => Promise.all([1, 2, 3, 4].map(async () => (await fetch(`${edgeUrl}/albums?x=1`)).text()));
    const seen = await eventually(
      bodies,
      (texts) => texts.some((t) => t.includes('web-a')) && texts.some((t) => t.includes('web-b')),
    );
    expect(seen.every((t) => t.startsWith('<p>page /albums?x=1 from web-'))).toBe(true);
    expect(new Set(seen.map((t) => t.slice(-6, -4))).size).toBe(2);
  });

  it('reports itself healthy on /healthz with its web instances', async () => {
    const health = await eventually(
      async () =>
        (await fetch(`${edgeUrl}/healthz`)).json() as Promise<{ status: string; checks: Record<string, unknown> }>,
      (h) => h.status === 'ok',
    );
    expect(health).toMatchObject({ status: 'ok', checks: { bus: { status: 'ok' }, web: { status: 'ok' } } });
  });

  it('answers 404 in the API error shape for an unknown API route', async () => {
    const response = await fetch(`${edgeUrl}/api/nothing-here`);
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: { code: 'not_found' } });
  });
});
