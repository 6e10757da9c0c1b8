import { Kvm, type KV } from '@nats-io/kv';
import { runtimeSettings } from '@tonearm/contracts';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openSettings, putSetting, SettingRefusedError, type Bus, type SettingsStore } from '../src/index.ts';
import { connectTestBus, removeNamespace } from './bus-test-helper.ts';

const WAIT = { timeout: 10_000, interval: 25 };

describe('runtime settings', () => {
  let bus: Bus;
  let kv: KV;
  let sut: SettingsStore;

  beforeAll(async () => {
    bus = await connectTestBus('set');
    kv = await new Kvm(bus.js).create(bus.topology.settingsBucket, { history: 5 });
    await kv.put('upload.maxBytes', JSON.stringify(1024));
    await kv.put('ratelimit.upload', JSON.stringify({ limit: -1 }));
    sut = await openSettings(bus);
  });

  afterAll(async () => {
    await sut.close();
    await removeNamespace(bus);
  });

  it('starts from the bucket, with defaults for missing or invalid values', () => {
    expect(sut.get('upload.maxBytes')).toBe(1024);
    expect(sut.get('ratelimit.upload')).toEqual(runtimeSettings['ratelimit.upload'].default);
    expect(sut.get('transcode.segmentSeconds')).toBe(6);
    expect(sut.all()).toMatchObject({ 'upload.maxBytes': 1024, 'transcode.segmentSeconds': 6 });
  });

  it('applies a change without a restart', async () => {
    const seen: number[] = [];
    const off = sut.onChange('transcode.segmentSeconds', (value) => seen.push(value));

    await putSetting(bus, 'transcode.segmentSeconds', 4);

    await vi.waitFor(() => expect(seen).toEqual([4]), WAIT);
    expect(sut.get('transcode.segmentSeconds')).toBe(4);
    off();
  });

  it('keeps the last good value when an invalid one is written to the bucket', async () => {
    await putSetting(bus, 'transcode.segmentSeconds', 5);
    await vi.waitFor(() => expect(sut.get('transcode.segmentSeconds')).toBe(5), WAIT);
    const seen: unknown[] = [];
    sut.onChange('transcode.segmentSeconds', (value) => seen.push(value));
    const marks: number[] = [];
    sut.onChange('upload.maxBytes', (value) => marks.push(value));

    await kv.put('transcode.segmentSeconds', JSON.stringify(99));
    await kv.put('transcode.segmentSeconds', 'not json');
    await kv.put('transcode.segmentSeconds', JSON.stringify('six'));
    await putSetting(bus, 'upload.maxBytes', 2048);

    // Changes arrive in bucket order, so the later valid change proves the invalid ones were read.
    await vi.waitFor(() => expect(marks).toEqual([2048]), WAIT);
    expect(sut.get('transcode.segmentSeconds')).toBe(5);
    expect(seen).toEqual([]);
  });

  it('goes back to the default when a value is deleted', async () => {
    await putSetting(bus, 'upload.maxBytes', 4096);
    await vi.waitFor(() => expect(sut.get('upload.maxBytes')).toBe(4096), WAIT);
    const seen: number[] = [];
    sut.onChange('upload.maxBytes', (value) => seen.push(value));

    await kv.delete('upload.maxBytes');

    await vi.waitFor(() => expect(seen).toEqual([runtimeSettings['upload.maxBytes'].default]), WAIT);
    expect(sut.get('upload.maxBytes')).toBe(runtimeSettings['upload.maxBytes'].default);
  });

  it('hands out copies that callers cannot change', () => {
    const ladder = sut.get('transcode.ladder');
    ladder.length = 0;
    expect(sut.get('transcode.ladder')).toHaveLength(3);
  });

  it('refuses to write an invalid value, with the reason', async () => {
    const before = await kv.get('transcode.ladder');

    const attempt = putSetting(bus, 'transcode.ladder', [
      { name: 'hi', codec: 'aac-lc', bitrate: 256_000 },
      { name: 'lo', codec: 'aac-lc', bitrate: 64_000 },
    ]);

    await expect(attempt).rejects.toThrow(SettingRefusedError);
    await expect(attempt).rejects.toThrow(/transcode\.ladder.*rising bitrate/s);
    expect((await kv.get('transcode.ladder'))?.revision).toBe(before?.revision);
  });

  it('refuses a key that is not a setting', async () => {
    await expect(putSetting(bus, 'no.such.key' as 'upload.maxBytes', 1)).rejects.toThrow(
      'setting no.such.key refused: not a known setting',
    );
  });
});
