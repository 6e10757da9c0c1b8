import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { defaultSettings, objectKeys, type EventData } from '@tonearm/contracts';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { parseMediaPlaylist } from '../src/services/hls-playlist.ts';
import {
  decodedSeconds,
  generateSource,
  measureLoudness,
  TranscoderHarness,
  type GeneratedSource,
  type SourceFormat,
} from './transcoder-harness.ts';

/**
 * Every supported format once, with mono and stereo and 44.1 and 48 kHz spread across them
 * (a sample of the full matrix, to keep CI time down), plus the edge cases of rate, channels
 * and length.
 */
const cases: { name: string; format: SourceFormat; seconds: number; sampleRate: number; channels: number }[] = [
  { name: 'mp3 stereo 44.1 kHz', format: 'mp3', seconds: 8, sampleRate: 44_100, channels: 2 },
  { name: 'flac mono 48 kHz', format: 'flac', seconds: 8, sampleRate: 48_000, channels: 1 },
  { name: 'wav stereo 48 kHz', format: 'wav', seconds: 8, sampleRate: 48_000, channels: 2 },
  { name: 'ogg vorbis mono 44.1 kHz', format: 'vorbis', seconds: 8, sampleRate: 44_100, channels: 1 },
  { name: 'opus stereo 48 kHz', format: 'opus', seconds: 8, sampleRate: 48_000, channels: 2 },
  { name: 'aac m4a mono 48 kHz', format: 'm4a', seconds: 8, sampleRate: 48_000, channels: 1 },
  { name: 'aiff stereo 44.1 kHz', format: 'aiff', seconds: 8, sampleRate: 44_100, channels: 2 },
  { name: 'wav mono 8 kHz', format: 'wav', seconds: 8, sampleRate: 8_000, channels: 1 },
  { name: 'flac stereo 96 kHz', format: 'flac', seconds: 8, sampleRate: 96_000, channels: 2 },
  { name: 'wav 6 channels 48 kHz', format: 'wav', seconds: 8, sampleRate: 48_000, channels: 6 },
  { name: 'mp3 of one second', format: 'mp3', seconds: 1, sampleRate: 44_100, channels: 2 },
];

const ladder = defaultSettings()['transcode.ladder'];
const segmentSeconds = defaultSettings()['transcode.segmentSeconds'];
const WAIT = { timeout: 170_000, interval: 250 };

let harness: TranscoderHarness;
const jobs = new Map<string, { source: GeneratedSource; upload: EventData<'ingest.upload.completed.v1'> }>();

beforeAll(async () => {
  harness = await TranscoderHarness.create('tx-formats');
  await harness.startWorker({ TRANSCODER_CONCURRENCY: '2' });
  for (const c of cases) {
    const source = await generateSource(harness.dir, c.name.replaceAll(/[^a-z0-9]+/gi, '-'), c);
    jobs.set(c.name, { source, upload: await harness.uploadFile(source) });
  }
}, 120_000);

afterAll(() => harness?.close());

async function completedEvent(trackId: string) {
  let events: Awaited<ReturnType<TranscoderHarness['transcodeEvents']>> = [];
  await vi.waitFor(async () => {
    events = (await harness.transcodeEvents(trackId)).filter((e) => e.type !== 'transcode.progressed.v1');
    expect(events.length).toBeGreaterThan(0);
  }, WAIT);
  expect(events).toHaveLength(1);
  const [event] = events;
  if (event!.type !== 'transcode.completed.v1') throw new Error(`expected completion, got ${JSON.stringify(event)}`);
  return event!.data;
}

describe('a supported source, from the upload event to a playable HLS ladder', () => {
  it.each(cases)('$name', { timeout: 180_000 }, async (c) => {
    const { source, upload } = jobs.get(c.name)!;
    const data = await completedEvent(upload.trackId);
    const outputRate = c.sampleRate % 11_025 === 0 ? 44_100 : 48_000;
    expect(data).toMatchObject({
      trackId: upload.trackId,
      sampleRate: outputRate,
      channels: c.channels === 1 ? 1 : 2,
      masterKey: objectKeys.master(upload.trackId),
      waveformKey: objectKeys.waveform(upload.trackId),
    });
    expect(data.renditions.map((r) => r.name)).toEqual(ladder.map((r) => r.name));

    const { dir, keys } = await harness.downloadHls(upload.trackId);
    const master = await readFile(join(dir, 'master.m3u8'), 'utf8');
    expect(master).toMatch(/^#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-INDEPENDENT-SEGMENTS\n/);
    const frame = 1024 / outputRate;
    let boundaries: number[] | undefined;
    const sourceSeconds = await decodedSeconds(source.path, outputRate);

    for (const [index, rendition] of data.renditions.entries()) {
      expect(master).toContain(
        `#EXT-X-STREAM-INF:BANDWIDTH=${rendition.bitrate},AVERAGE-BANDWIDTH=${rendition.averageBitrate},CODECS="mp4a.40.2"\n${rendition.name}/index.m3u8\n`,
      );
      expect(rendition.playlistKey).toBe(`${objectKeys.hlsPrefix(upload.trackId)}${rendition.name}/index.m3u8`);
      expect(rendition.bitrate).toBeGreaterThanOrEqual(rendition.averageBitrate);
      expect(rendition.averageBitrate).toBeLessThan(ladder[index]!.bitrate * 1.25);

      const variantText = await readFile(join(dir, rendition.name, 'index.m3u8'), 'utf8');
      expect(variantText).toContain('#EXT-X-PLAYLIST-TYPE:VOD');
      expect(variantText).toContain('#EXT-X-INDEPENDENT-SEGMENTS');
      expect(variantText).toContain('#EXT-X-ENDLIST');
      const variant = parseMediaPlaylist(variantText);
      const files = await readdir(join(dir, rendition.name));
      expect(files.sort()).toEqual(['index.m3u8', variant.initUri!, ...variant.segments.map((s) => s.uri)].sort());
      for (const segment of variant.segments.slice(0, -1)) {
        expect(segment.durationSeconds).toBeGreaterThanOrEqual(segmentSeconds);
        expect(segment.durationSeconds).toBeLessThanOrEqual(segmentSeconds + frame);
      }
      const ends = variant.segments.map((s) => s.durationSeconds);
      if (boundaries) expect(ends).toEqual(boundaries);
      boundaries = ends;

      const decoded = await decodedSeconds(join(dir, 'master.m3u8'), outputRate, index);
      // Segments are cut on frame boundaries, so cuts add nothing: what remains is the encoder's
      // priming frame (ffmpeg's HLS reader does not apply the edit list) and the last frame's padding.
      expect(Math.abs(decoded - sourceSeconds)).toBeLessThanOrEqual(2 * frame + 1e-6);
    }
    expect(Math.abs(data.durationMs / 1000 - sourceSeconds)).toBeLessThanOrEqual(0.002);
    expect(keys).toContain('hls/' + upload.trackId + '/waveform.json');

    const waveform = JSON.parse(await readFile(join(dir, 'waveform.json'), 'utf8')) as { peaks: number[] };
    expect(waveform.peaks).toHaveLength(1000);
    expect(Math.max(...waveform.peaks)).toBe(1);
    expect(waveform.peaks.every((p) => p >= 0 && p <= 1)).toBe(true);

    const { integratedLufs, truePeakDb, gainDb } = data.loudness;
    expect(gainDb).toBeCloseTo(Math.min(-14 - integratedLufs, -1 - truePeakDb), 1);
  });
});

describe('loudness', () => {
  it('matches a separate ebur128 measurement of the source', { timeout: 180_000 }, async () => {
    const { source, upload } = jobs.get('wav stereo 48 kHz')!;
    const data = await completedEvent(upload.trackId);
    const reference = await measureLoudness(source.path);
    expect(Math.abs(data.loudness.integratedLufs - reference.integratedLufs)).toBeLessThanOrEqual(0.2);
    expect(Math.abs(data.loudness.truePeakDb - reference.truePeakDb)).toBeLessThanOrEqual(0.2);
  });
});
