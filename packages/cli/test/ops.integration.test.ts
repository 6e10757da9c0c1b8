import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { resolve } from 'node:path';
import { consume, provisionTopology, type Bus, type PlatformStatus } from '@tonearm/bus';
import { serviceUrls } from '@tonearm/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { connectTestBus, removeNamespace, uploadCompletedData } from '../../bus/test/bus-test-helper.ts';

const bin = resolve(import.meta.dirname, '../bin/tonearm.js');
const WAIT = { timeout: 15_000, interval: 50 };

interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

describe('tonearm events tail and status', () => {
  let bus: Bus;
  const children: ChildProcessWithoutNullStreams[] = [];

  function start(args: string[]) {
    const child = spawn(process.execPath, [bin, ...args], {
      env: { ...process.env, NATS_URL: serviceUrls().natsUrl, BUS_NAMESPACE: bus.topology.namespace },
    });
    children.push(child);
    const output = { stdout: '', stderr: '' };
    child.stdout.on('data', (chunk) => (output.stdout += chunk));
    child.stderr.on('data', (chunk) => (output.stderr += chunk));
    const exited = once(child, 'close').then(([code]) => ({ code: code as number | null, ...output }));
    return { child, output, exited };
  }

  const tonearm = (args: string[]): Promise<CliRun> => start(args).exited;

  beforeAll(async () => {
    bus = await connectTestBus('cliops');
    await provisionTopology(bus);
  });

  afterAll(async () => {
    for (const child of children) child.kill('SIGKILL');
    if (bus) await removeNamespace(bus);
  });

  it('tail prints an event stored after it started, then stops on SIGINT', async () => {
    const tail = start(['events', 'tail', '--subject', 'ingest.>']);
    await vi.waitFor(() => expect(tail.output.stderr).toContain('(Ctrl-C to stop)'), WAIT);

    const { event } = await bus.publish('ingest.upload.completed.v1', { data: uploadCompletedData() });

    await vi.waitFor(() => expect(tail.output.stdout).toContain(event.data.trackId), WAIT);
    expect(tail.output.stdout).toMatch(
      new RegExp(
        `^\\S+Z ingest\\.upload\\.completed\\.v1 corr=${event.correlationId.slice(0, 8)} trackId=${event.data.trackId} ownerId=\\S+ title=Title artist=Artist\\n$`,
      ),
    );
    tail.child.kill('SIGINT');
    expect((await tail.exited).code).toBe(0);
  });

  it('tail --since shows past events, and --json is one parsable object per line', async () => {
    const past = await bus.publish('transcode.failed.v1', {
      data: { trackId: uploadCompletedData().trackId, reason: 'not an audio file' },
    });
    const tail = start(['events', 'tail', '--since', '10m', '--json']);

    await vi.waitFor(() => expect(tail.output.stdout).toContain(past.event.id), WAIT);
    tail.child.kill('SIGINT');
    await tail.exited;
    const lines = tail.output.stdout
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines.map((l) => l.event.type)).toEqual(['ingest.upload.completed.v1', 'transcode.failed.v1']);
    expect(lines[1]).toMatchObject({ stream: bus.topology.stream('transcode').name, event: { id: past.event.id } });
  });

  it('a bad --since or subject fails with a clear message', async () => {
    const since = await tonearm(['events', 'tail', '--since', 'soon']);
    expect(since.code).toBe(2);
    expect(since.stderr).toContain('--since must be a duration such as 30s, 10m, 2h or 1d, or an ISO time, not "soon"');
    const subject = await tonearm(['events', 'tail', '--subject', 'nosuch.>']);
    expect(subject.code).toBe(1);
    expect(subject.stderr).toContain('subject "nosuch.>" must start with one of identity, ingest');
  });

  it('status shows the transcoder consumer pending count rise and fall', async () => {
    const transcoder = async () => {
      const run = await tonearm(['status', '--json']);
      expect(run.code).toBe(0);
      const status = JSON.parse(run.stdout) as PlatformStatus;
      return status.streams.flatMap((s) => s.consumers).find((c) => c.name === 'transcoder')!;
    };
    const before = await transcoder();
    await bus.publish('ingest.upload.completed.v1', { data: uploadCompletedData() });
    await bus.publish('ingest.upload.completed.v1', { data: uploadCompletedData() });
    expect((await transcoder()).pending).toBe(before.pending + 2);

    const handle = consume(bus, 'transcoder', async () => undefined);
    try {
      await vi.waitFor(async () => expect(await transcoder()).toMatchObject({ pending: 0, ackPending: 0 }), WAIT);
    } finally {
      await handle.stop();
    }
    const text = await tonearm(['status']);
    expect(text.stdout).toMatch(/\n {4}transcoder +0 +0 +0\n/);
    expect(text.stdout).toContain('Dead letters: 0\n');
  });
});
