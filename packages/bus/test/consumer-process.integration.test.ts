import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import type { Readable } from 'node:stream';
import { serviceUrls } from '@tonearm/testing';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { consume, provisionTopology, type Bus, type DeliveryContext, type KnownEvent } from '../src/index.ts';
import { connectTestBus, removeNamespace, uploadCompletedData } from './bus-test-helper.ts';

const FIXTURE = fileURLToPath(new URL('./fixtures/consumer-process.ts', import.meta.url));
const WAIT = { timeout: 20_000, interval: 50 };

interface FixtureProcess {
  child: ChildProcessByStdio<null, Readable, Readable>;
  lines: string[];
  exited: Promise<[number | null, NodeJS.Signals | null]>;
}

function startFixture(bus: Bus, env: Record<string, string>): FixtureProcess {
  const child = spawn(process.execPath, [FIXTURE], {
    env: { ...process.env, NATS_URL: serviceUrls().natsUrl, BUS_NAMESPACE: bus.topology.namespace, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  let buffered = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    buffered += chunk;
    const parts = buffered.split('\n');
    buffered = parts.pop()!;
    lines.push(...parts);
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => process.stderr.write(chunk));
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  return { child, lines, exited };
}

describe('a consumer in its own process', () => {
  const cleanups: (() => Promise<unknown>)[] = [];

  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function provisionedBus(ackWaitMs: number): Promise<Bus> {
    const bus = await connectTestBus('proc');
    cleanups.push(() => removeNamespace(bus));
    await provisionTopology(bus, { consumerOverrides: { transcoder: { ackWaitMs } } });
    return bus;
  }

  function run(bus: Bus, env: Record<string, string>): FixtureProcess {
    const fixture = startFixture(bus, env);
    cleanups.push(async () => {
      if (fixture.child.exitCode === null && fixture.child.signalCode === null) fixture.child.kill('SIGKILL');
      await fixture.exited;
    });
    return fixture;
  }

  it('is redelivered to another instance after the first one is killed mid-message', async () => {
    const bus = await provisionedBus(2000);
    const first = run(bus, { HANDLER: 'hang' });
    await vi.waitFor(() => expect(first.lines).toContain('ready'), WAIT);

    const { event } = await bus.publish('ingest.upload.completed.v1', { data: uploadCompletedData() });
    await vi.waitFor(() => expect(first.lines).toContain(`started ${event.id}`), WAIT);
    first.child.kill('SIGKILL');
    const [, signal] = await first.exited;

    const received: { event: KnownEvent; context: DeliveryContext }[] = [];
    const second = consume(bus, 'transcoder', async (e, context) => {
      received.push({ event: e, context });
    });
    cleanups.push(() => second.stop());

    await vi.waitFor(() => expect(received).toHaveLength(1), WAIT);
    expect(signal).toBe('SIGKILL');
    expect(received[0]!.event.id).toBe(event.id);
    expect(received[0]!.context.deliveryCount).toBe(2);
  });

  it('finishes and acks the message in flight when stopped with SIGTERM, then exits 0', async () => {
    const bus = await provisionedBus(2000);
    const fixture = run(bus, { HANDLER: 'slow', HANDLER_MS: '1500' });
    await vi.waitFor(() => expect(fixture.lines).toContain('ready'), WAIT);

    const { event } = await bus.publish('ingest.upload.completed.v1', { data: uploadCompletedData() });
    await vi.waitFor(() => expect(fixture.lines).toContain(`started ${event.id}`), WAIT);
    fixture.child.kill('SIGTERM');
    const [code] = await fixture.exited;

    expect(code).toBe(0);
    expect(fixture.lines).toEqual(['ready', `started ${event.id}`, `finished ${event.id}`, 'stopped']);
    const { streamName, durable } = bus.topology.consumer('transcoder');
    const info = await bus.jsm.consumers.info(streamName, durable);
    expect(info.num_ack_pending).toBe(0);
    expect(info.num_pending).toBe(0);
    expect(info.num_redelivered).toBe(0);
    expect(info.delivered.stream_seq).toBe(1);
    expect(info.ack_floor.stream_seq).toBe(1);
  });
});
