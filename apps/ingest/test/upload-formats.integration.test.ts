import { objectKeys } from '@tonearm/contracts';
import { runWithContext } from '@tonearm/runtime';
import { createHash, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateAudio, type AudioFormat } from './audio-fixtures.ts';
import {
  newPrincipal,
  startIngestHarness,
  uploadFile,
  waitForOutcome,
  type IngestHarness,
} from './ingest-test-harness.ts';

let harness: IngestHarness;

beforeAll(async () => {
  harness = await startIngestHarness();
});

afterAll(() => harness?.stop());

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

const tags = {
  title: 'Sine Song',
  artist: 'The Oscillators',
  album: 'Pure Tones',
  album_artist: 'Various Oscillators',
  track: '3',
  disc: '2',
  date: '1999',
  genre: 'Electronic',
};

/** Containers whose ffmpeg muxer writes no disc number or album artist that music-metadata reads back. */
const partialTags: Partial<Record<AudioFormat, string[]>> = { wav: ['albumArtist', 'discNumber'] };

describe('uploading each supported format', () => {
  it.each(['mp3', 'flac', 'wav', 'vorbis', 'opus', 'm4a', 'aiff'] as const)(
    '%s goes from presigned parts to ingest.upload.completed.v1 with its tags, hash and size',
    async (format) => {
      const bytes = await generateAudio(format, { tags });
      const principal = newPrincipal();
      const correlationId = randomUUID();
      const { created, completed } = await runWithContext({ correlationId }, () =>
        uploadFile(harness, principal, bytes, `upload.${format}`),
      );
      expect(completed).toEqual({ trackId: created.trackId, status: 'processing' });

      const event = await waitForOutcome(harness, created.uploadId);

      expect(event.type).toBe('ingest.upload.completed.v1');
      if (event.type !== 'ingest.upload.completed.v1') return;
      expect(event.correlationId).toBe(correlationId);
      expect(event.data).toMatchObject({
        trackId: created.trackId,
        ownerId: principal.userId,
        source: {
          key: objectKeys.source(created.trackId),
          filename: `upload.${format}`,
          size: bytes.length,
          sha256: sha256(bytes),
        },
        cover: null,
      });
      expect(event.data.source.contentType).toMatch(/^(audio\/|video\/mp4|application\/ogg)/);
      const expected = {
        title: 'Sine Song',
        artist: 'The Oscillators',
        album: 'Pure Tones',
        albumArtist: 'Various Oscillators',
        trackNumber: 3,
        discNumber: 2,
        year: 1999,
        genre: 'Electronic',
      };
      for (const field of partialTags[format] ?? []) delete (expected as Record<string, unknown>)[field];
      expect(event.data.tags).toMatchObject(expected);
      expect(event.data.audio).toMatchObject({ channels: 2 });
      expect(event.data.audio!.durationMs).toBeGreaterThan(900);
      expect(event.data.audio!.durationMs).toBeLessThan(1200);
      const stored = await harness.ingest.store.readBytes(objectKeys.source(created.trackId));
      expect(sha256(stored!)).toBe(sha256(bytes));
    },
  );

  it('assembles a WAV of more than 5 MiB from two parts', async () => {
    const bytes = await generateAudio('wav', {
      seconds: 30,
      sampleRate: 48_000,
      tags: { title: 'Long', artist: 'Tone' },
    });
    expect(bytes.length).toBeGreaterThan(5 * 1024 * 1024);
    const { created } = await uploadFile(harness, newPrincipal(), bytes, 'long.wav');
    expect(created.parts.map((p) => p.partNumber)).toEqual([1, 2]);

    const event = await waitForOutcome(harness, created.uploadId);

    expect(event.type).toBe('ingest.upload.completed.v1');
    if (event.type !== 'ingest.upload.completed.v1') return;
    expect(event.data.source).toMatchObject({ size: bytes.length, sha256: sha256(bytes) });
    expect(event.data.audio).toMatchObject({ sampleRate: 48_000 });
  });

  it('falls back to the file name when the file has no tags', async () => {
    const bytes = await generateAudio('flac');
    const { created } = await uploadFile(harness, newPrincipal(), bytes, '07 - Nameless Band - Untagged Tune.flac');

    const event = await waitForOutcome(harness, created.uploadId);

    expect(event.type).toBe('ingest.upload.completed.v1');
    if (event.type !== 'ingest.upload.completed.v1') return;
    expect(event.data.tags).toEqual({
      title: 'Untagged Tune',
      artist: 'Nameless Band',
      album: null,
      albumArtist: null,
      trackNumber: 7,
      discNumber: null,
      year: null,
      genre: null,
    });
  });

  it.each([true, 'large'] as const)('stores embedded cover art (%s) under the track cover key', async (size) => {
    const bytes = await generateAudio('mp3', { cover: size, tags: { title: 'Covered', artist: 'Art' } });
    if (size === 'large') expect(bytes.length).toBeGreaterThan(100_000);
    const { created } = await uploadFile(harness, newPrincipal(), bytes, 'covered.mp3');

    const event = await waitForOutcome(harness, created.uploadId);

    expect(event.type).toBe('ingest.upload.completed.v1');
    if (event.type !== 'ingest.upload.completed.v1') return;
    expect(event.data.cover).toEqual({ key: objectKeys.cover(created.trackId), contentType: 'image/jpeg' });
    const cover = await harness.ingest.store.readBytes(objectKeys.cover(created.trackId));
    expect([...cover!.subarray(0, 3)]).toEqual([0xff, 0xd8, 0xff]);
  });
});
