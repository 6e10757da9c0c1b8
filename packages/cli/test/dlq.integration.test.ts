import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { consume, listDeadLetters, PermanentError, provisionTopology, type Bus } from '@tonearm/bus';
import { serviceUrls } from '@tonearm/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  connectTestBus,
  removeNamespace,
  storedMessages,
  uploadCompletedData,
} from '../../bus/test/bus-test-helper.ts';

const bin = resolve(import.meta.dirname, '../bin/tonearm.js');

interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

describe('tonearm dlq', () => {
  let bus: Bus;
  let eventId: string;

  function tonearm(args: string[]): Promise<CliRun> {
    return new Promise((done, fail) => {
      const child = spawn(process.execPath, [bin, ...args], {
        env: { ...process.env, NATS_URL: serviceUrls().natsUrl, BUS_NAMESPACE: bus.topology.namespace },
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk) => (stdout += chunk));
      child.stderr.on('data', (chunk) => (stderr += chunk));
      child.on('error', fail);
      child.on('close', (code) => done({ code, stdout, stderr }));
    });
  }

  beforeAll(async () => {
    bus = await connectTestBus('clidlq');
    await provisionTopology(bus);
    const handle = consume(bus, 'transcoder', async () => {
      throw new PermanentError('the source object is not an audio file');
    });
    eventId = (await bus.publish('ingest.upload.completed.v1', { data: uploadCompletedData() })).event.id;
    await vi.waitFor(async () => expect(await listDeadLetters(bus)).toHaveLength(1), { timeout: 15_000, interval: 50 });
    await handle.stop();
  });

  afterAll(async () => {
    if (bus) await removeNamespace(bus);
  });

  it('lists, shows and retries a dead letter, which is then gone', async () => {
    const [letter] = await listDeadLetters(bus);

    const list = await tonearm(['dlq', 'list']);
    expect(list).toMatchObject({ code: 0, stderr: '' });
    expect(list.stdout).toMatch(
      new RegExp(`^#${letter!.seq} \\S+ transcoder permanent-failure x1 \\S+ event=${eventId} the source object`),
    );
    const json = await tonearm(['dlq', 'list', '--json']);
    expect(JSON.parse(json.stdout)).toEqual([expect.objectContaining({ seq: letter!.seq, originalEventId: eventId })]);
    const show = await tonearm(['dlq', 'show', String(letter!.seq)]);
    expect(show.code).toBe(0);
    expect(show.stdout).toContain(`"id": "${eventId}"`);

    const retry = await tonearm(['dlq', 'retry', String(letter!.seq)]);

    expect(retry).toMatchObject({ code: 0, stderr: '' });
    expect(retry.stdout).toMatch(new RegExp(`^retried dead letter #${letter!.seq}: stored again in `));
    expect((await tonearm(['dlq', 'list'])).stdout).toBe('no dead letters\n');
    const ingest = (await storedMessages(bus, 'ingest')).map((m) => m.json<{ id: string }>().id);
    expect(ingest).toEqual([eventId, eventId]);
  });

  it('fails with a clear message for a sequence that holds no dead letter', async () => {
    const sut = await tonearm(['dlq', 'drop', '999']);

    expect(sut.code).toBe(1);
    expect(sut.stderr).toContain('no dead letter at sequence 999 of the ops stream');
  });
});
