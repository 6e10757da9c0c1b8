import { defineRpc, type Principal } from '@tonearm/contracts';
import { currentContext, runWithContext } from '@tonearm/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { connectTestBus, removeNamespace } from '../../test/bus-test-helper.ts';
import type { Bus } from '../connection/bus-connection.ts';
import { announceService, type ServiceAnnouncement } from '../discovery/service-announcer.ts';
import { callRpc } from './rpc-client.ts';
import { RpcError } from './rpc-error.ts';
import { serveRpc } from './rpc-server.ts';

const echoRpc = defineRpc({
  service: 'catalog',
  operation: 'echo',
  access: 'user',
  description: 'test operation',
  input: z.object({ text: z.string().max(10) }),
  output: z.object({
    text: z.string(),
    userId: z.string(),
    correlationId: z.string().optional(),
    instance: z.string(),
  }),
});
const adminRpc = defineRpc({ ...echoRpc, operation: 'admin-echo', access: 'admin' });
const principal: Principal = { userId: '00000000-0000-4000-8000-000000000001', roles: ['user'], sessionId: 's-1' };

let bus: Bus;
const announcements: ServiceAnnouncement[] = [];

async function instance(id: string) {
  const announcement = await announceService(bus, {
    name: 'catalog',
    version: '0.0.0',
    description: 'rpc test',
    instanceId: id,
    metadata: { namespace: bus.topology.namespace, opsUrl: 'http://127.0.0.1:1', startedAt: new Date().toISOString() },
    health: async () => ({ status: 'ok', checks: {} }),
  });
  announcements.push(announcement);
  const handler = async ({ text }: { text: string }, { principal: caller }: { principal: Principal | null }) => {
    if (text === 'missing') throw new RpcError('not_found', 'no such thing');
    if (text === 'crash') throw new Error('database password is hunter2');
    return { text, userId: caller!.userId, correlationId: currentContext()?.correlationId, instance: id };
  };
  serveRpc(bus, announcement, echoRpc, handler);
  serveRpc(bus, announcement, adminRpc, handler);
}

beforeAll(async () => {
  bus = await connectTestBus('rpc');
});
afterAll(async () => {
  await Promise.all(announcements.map((a) => a.stop()));
  await removeNamespace(bus);
});

describe('rpc over the bus', () => {
  it('is service_unavailable at once when no instance serves it', async () => {
    await expect(callRpc(bus, echoRpc, { text: 'hi' }, { principal })).rejects.toMatchObject({
      code: 'service_unavailable',
      message: 'the catalog service is not running',
    });
  });

  it('answers with the output, in the caller correlation, shared between instances', async () => {
    await instance('a');
    await instance('b');
    const answers = await runWithContext({ correlationId: 'corr-42' }, () =>
      Promise.all(Array.from({ length: 20 }, () => callRpc(bus, echoRpc, { text: 'hi' }, { principal }))),
    );
    expect(answers[0]).toMatchObject({ text: 'hi', userId: principal.userId, correlationId: 'corr-42' });
    expect(new Set(answers.map((a) => a.instance))).toEqual(new Set(['a', 'b']));
  });

  it('refuses invalid input with the issues, anonymous callers and non-admins', async () => {
    await expect(callRpc(bus, echoRpc, { text: 'far too long text' }, { principal })).rejects.toMatchObject({
      code: 'invalid_request',
      details: { fieldErrors: { text: [expect.any(String)] } },
    });
    await expect(callRpc(bus, echoRpc, { text: 'hi' })).rejects.toMatchObject({ code: 'unauthorized' });
    await expect(callRpc(bus, adminRpc, { text: 'hi' }, { principal })).rejects.toMatchObject({ code: 'forbidden' });
    const admin: Principal = { ...principal, roles: ['user', 'admin'] };
    await expect(callRpc(bus, adminRpc, { text: 'hi' }, { principal: admin })).resolves.toMatchObject({ text: 'hi' });
  });

  it('passes on errors meant for the caller and hides the others', async () => {
    await expect(callRpc(bus, echoRpc, { text: 'missing' }, { principal })).rejects.toMatchObject({
      code: 'not_found',
      message: 'no such thing',
    });
    const crash = await callRpc(bus, echoRpc, { text: 'crash' }, { principal }).catch((e: unknown) => e);
    expect(crash).toMatchObject({ code: 'internal', message: 'something went wrong on our side' });
    expect(JSON.stringify(crash)).not.toMatch(/hunter2/);
  });

  it('answers a malformed request with invalid_request', async () => {
    const subject = `${bus.topology.namespace}.rpc.catalog.echo`;
    const answer = await bus.nc.request(subject, 'not json', { timeout: 2_000 });
    expect(answer.json()).toEqual({
      ok: false,
      error: { code: 'invalid_request', message: 'the request is not JSON' },
    });
  });
});
