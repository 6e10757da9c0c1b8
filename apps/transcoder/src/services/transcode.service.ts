import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Bus } from '@tonearm/bus';
import { TransientError } from '@tonearm/bus';
import { objectKeys, type EventData, type SettingValue } from '@tonearm/contracts';
import type { ObjectStore } from '@tonearm/storage';
import type { Logger } from 'pino';
import { LadderPassError, type FfmpegAdapter } from '../adapters/ffmpeg.adapter.ts';
import { UnreadableMediaError, type FfprobeAdapter } from '../adapters/ffprobe.adapter.ts';
import {
  AAC_LC_CODECS,
  finishVariantPlaylist,
  masterPlaylist,
  measureBandwidth,
  parseMediaPlaylist,
  type MasterVariant,
} from './hls-playlist.ts';
import { parseEbur128Summary, withGain } from './loudness.ts';
import { SegmentShipper } from './segment-shipper.ts';
import { checkDecodedLength, formatPosition, planAudio, type AudioPlan, type ProbeSummary } from './source-check.ts';
import { stableEventId } from './stable-event-id.ts';
import type { TranscodeMetrics } from './transcode-metrics.ts';
import { PeakAccumulator } from './waveform-peaks.ts';

/** The job: the data of an `ingest.upload.completed.v1` event. */
export type TranscodeJob = EventData<'ingest.upload.completed.v1'>;

/** What a finished job published. */
export type TranscodeResult =
  | { outcome: 'completed'; data: EventData<'transcode.completed.v1'> }
  | { outcome: 'failed'; data: EventData<'transcode.failed.v1'> };

/** The live settings a job reads when it starts. */
export interface TranscodeSettings {
  ladder: SettingValue<'transcode.ladder'>;
  segmentSeconds: SettingValue<'transcode.segmentSeconds'>;
}

/** What the service needs. */
export interface TranscodeServiceDeps {
  store: ObjectStore;
  bus: Pick<Bus, 'publish'>;
  ffprobe: FfprobeAdapter;
  ffmpeg: FfmpegAdapter;
  settings: () => TranscodeSettings;
  metrics: TranscodeMetrics;
  /** Jobs work in a fresh directory under this one, removed when they end. */
  workDir: string;
  /** Least time between two progress events of a job. */
  progressIntervalMs: number;
  /**
   * Most ffmpeg processes per job: 2 spreads the encoders of one track over two cores, but only
   * for a job that starts while no other job runs in this process; a busy worker's cores are
   * already shared by its jobs, and a second process per job would only add its overhead.
   */
  encoderProcesses: number;
}

/** Cache headers of what the transcoder writes: media never changes under its key, playlists may be rewritten. */
export const CACHE_CONTROL = {
  media: 'public, max-age=31536000, immutable',
  playlist: 'public, max-age=60',
  waveform: 'public, max-age=3600',
} as const;

const UPLOAD_CONCURRENCY = 8;

/** Milliseconds spent in each phase of a job, for its log line. */
class PhaseClock {
  private last = performance.now();
  private readonly phases: Record<string, number> = {};

  mark(phase: string): void {
    const now = performance.now();
    this.phases[phase] = Math.round(now - this.last);
    this.last = now;
  }

  all(): Record<string, number> {
    return { ...this.phases };
  }
}

/** The source cannot become a track; the reason is for the person who uploaded it. */
class SourceRefused extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'SourceRefused';
  }
}

function contentTypeOf(file: string): string {
  if (file.endsWith('.m3u8')) return 'application/vnd.apple.mpegurl';
  if (file.endsWith('.m4s') || file.endsWith('.mp4')) return 'audio/mp4';
  return 'application/octet-stream';
}

async function eachLimited<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

function storageTrouble(action: string, error: unknown): TransientError {
  const message = error instanceof Error ? error.message : String(error);
  return new TransientError(`storage ${action} failed: ${message}`, { cause: error });
}

/**
 * Turns an uploaded source into a playable track: downloads it, probes it, makes the HLS ladder,
 * loudness and waveform in one ffmpeg pass, uploads everything with the master playlist last,
 * and publishes `transcode.completed.v1`, or `transcode.failed.v1` when the source cannot be
 * used. Both events have ids derived from the track and the source's hash, so a job run again
 * after a crash writes the same keys and publishes an event JetStream drops as a duplicate.
 *
 * @throws TransientError when storage, the bus or ffmpeg fail for reasons other than the source
 * @example
 * const result = await service.transcode(event.data, logger);
 */
export class TranscodeService {
  private readonly deps: TranscodeServiceDeps;
  private running = 0;

  constructor(deps: TranscodeServiceDeps) {
    this.deps = deps;
  }

  async transcode(job: TranscodeJob, logger: Logger): Promise<TranscodeResult> {
    const started = performance.now();
    await mkdir(this.deps.workDir, { recursive: true });
    const dir = await mkdtemp(join(this.deps.workDir, `job-${job.trackId}-`));
    const encoderProcesses = this.running === 0 ? this.deps.encoderProcesses : 1;
    this.running++;
    try {
      const result = await this.run(job, dir, encoderProcesses, logger).catch(async (error: unknown) => {
        if (!(error instanceof SourceRefused)) throw error;
        return this.publishFailed(job, error.message, logger);
      });
      if (result.outcome === 'completed') {
        const seconds = (performance.now() - started) / 1000;
        this.deps.metrics.realtimeFactor.observe(result.data.durationMs / 1000 / Math.max(seconds, 0.001));
      }
      this.deps.metrics.jobs.inc({ outcome: result.outcome });
      return result;
    } catch (error) {
      this.deps.metrics.jobs.inc({ outcome: 'retried' });
      throw error;
    } finally {
      this.running--;
      await rm(dir, { recursive: true, force: true });
    }
  }

  private async run(
    job: TranscodeJob,
    dir: string,
    encoderProcesses: number,
    logger: Logger,
  ): Promise<TranscodeResult> {
    const settings = this.deps.settings();
    const sourcePath = join(dir, 'source');
    const phases = new PhaseClock();
    const bytes = await this.download(job.source.key, sourcePath);
    phases.mark('downloadMs');
    if (bytes === 0) throw new SourceRefused('the file is empty');

    const probe = await this.deps.ffprobe.probe(sourcePath).catch((error: unknown) => {
      if (error instanceof UnreadableMediaError) {
        logger.info({ detail: error.detail.slice(-300) }, 'source is not readable media');
        throw new SourceRefused('not an audio file');
      }
      throw new TransientError(`ffprobe failed: ${error instanceof Error ? error.message : error}`, { cause: error });
    });
    const planned = planAudio(probe);
    if (!planned.ok) throw new SourceRefused(planned.reason);
    const plan = planned.plan;
    phases.mark('probeMs');
    logger.info({ probe, plan, encoderProcesses, trackId: job.trackId }, 'transcoding');

    const hlsDir = join(dir, 'hls');
    await mkdir(hlsDir);
    const prefix = objectKeys.hlsPrefix(job.trackId);
    // Finished segments go to storage while ffmpeg makes the next ones.
    const shipper = new SegmentShipper({
      dir: hlsDir,
      renditions: settings.ladder.map((rung) => rung.name),
      concurrency: UPLOAD_CONCURRENCY,
      upload: async (rendition, file) =>
        this.put(
          `${prefix}${rendition}/${file}`,
          await readFile(join(hlsDir, rendition, file)),
          contentTypeOf(file),
          CACHE_CONTROL.media,
        ),
    });
    const { log, peaks } = await this.runPass(job, sourcePath, hlsDir, probe, plan, settings, encoderProcesses, {
      logger,
      onSegments: () => void shipper.scan(),
    }).catch(async (error: unknown) => {
      await shipper.drain().catch(() => undefined);
      if (error instanceof SourceRefused) await this.discardShipped(prefix, shipper);
      throw error;
    });
    phases.mark('passMs');
    await shipper.drain();
    const decodedSeconds = peaks.frameCount / plan.sampleRate;
    const truncated = checkDecodedLength(probe, decodedSeconds);
    if (truncated) {
      await this.discardShipped(prefix, shipper);
      throw new SourceRefused(truncated);
    }
    const measured = parseEbur128Summary(log);
    if (!measured) throw new Error('ffmpeg finished without an ebur128 summary');

    const variants: MasterVariant[] = [];
    const renditions: EventData<'transcode.completed.v1'>['renditions'] = [];
    const uploads: { key: string; body: () => Promise<Uint8Array | string>; type: string; cache: string }[] = [];
    for (const rung of settings.ladder) {
      const rungDir = join(hlsDir, rung.name);
      const playlistText = await readFile(join(rungDir, 'index.m3u8'), 'utf8');
      const playlist = parseMediaPlaylist(playlistText);
      const sizes = await Promise.all(
        playlist.segments.map(async (segment) => ({
          bytes: (await stat(join(rungDir, segment.uri))).size,
          durationSeconds: segment.durationSeconds,
        })),
      );
      const initBytes = playlist.initUri ? (await stat(join(rungDir, playlist.initUri))).size : 0;
      const bandwidth = measureBandwidth(sizes, initBytes);
      const uri = `${rung.name}/index.m3u8`;
      variants.push({ uri, codecs: AAC_LC_CODECS, ...bandwidth });
      renditions.push({
        name: rung.name,
        bitrate: bandwidth.bandwidth,
        averageBitrate: bandwidth.averageBandwidth,
        codecs: AAC_LC_CODECS,
        playlistKey: `${prefix}${uri}`,
      });
      const media = [...(playlist.initUri ? [playlist.initUri] : []), ...playlist.segments.map((s) => s.uri)];
      for (const file of media) {
        if (shipper.shipped.has(`${rung.name}/${file}`)) continue;
        uploads.push({
          key: `${prefix}${rung.name}/${file}`,
          body: () => readFile(join(rungDir, file)),
          type: contentTypeOf(file),
          cache: CACHE_CONTROL.media,
        });
      }
      const finished = finishVariantPlaylist(playlistText);
      uploads.push({
        key: `${prefix}${uri}`,
        body: async () => finished,
        type: contentTypeOf(uri),
        cache: CACHE_CONTROL.playlist,
      });
    }
    const waveform = JSON.stringify(peaks.document());
    uploads.push({
      key: objectKeys.waveform(job.trackId),
      body: async () => waveform,
      type: 'application/json',
      cache: CACHE_CONTROL.waveform,
    });

    await eachLimited(uploads, UPLOAD_CONCURRENCY, async (upload) => {
      await this.put(upload.key, await upload.body(), upload.type, upload.cache);
    });
    // Last, so that a track is never playable before every object it points to is stored.
    await this.put(
      objectKeys.master(job.trackId),
      masterPlaylist(variants),
      contentTypeOf('.m3u8'),
      CACHE_CONTROL.playlist,
    );
    phases.mark('uploadMs');

    const data: EventData<'transcode.completed.v1'> = {
      trackId: job.trackId,
      durationMs: Math.round(decodedSeconds * 1000),
      sampleRate: plan.sampleRate,
      channels: plan.channels,
      masterKey: objectKeys.master(job.trackId),
      renditions,
      loudness: withGain(measured),
      waveformKey: objectKeys.waveform(job.trackId),
    };
    await this.publish(
      'transcode.completed.v1',
      stableEventId('transcode.completed.v1', job.trackId, job.source.sha256),
      data,
    );
    logger.info(
      {
        trackId: job.trackId,
        durationMs: data.durationMs,
        loudness: data.loudness,
        phases: phases.all(),
        uploadedDuringPass: shipper.shipped.size,
      },
      'transcoded',
    );
    return { outcome: 'completed', data };
  }

  private async runPass(
    job: TranscodeJob,
    sourcePath: string,
    hlsDir: string,
    probe: ProbeSummary,
    plan: AudioPlan,
    settings: TranscodeSettings,
    encoderProcesses: number,
    { logger, onSegments }: { logger: Logger; onSegments: () => void },
  ): Promise<{ log: string; peaks: PeakAccumulator }> {
    const peaks = new PeakAccumulator(plan.expectedSeconds * plan.sampleRate, plan.channels);
    let lastProgressAt = performance.now();
    let processedSeconds = 0;
    const durationMs = Math.round(plan.expectedSeconds * 1000);
    const onProgress = (seconds: number) => {
      processedSeconds = seconds;
      onSegments();
      const now = performance.now();
      if (now - lastProgressAt < this.deps.progressIntervalMs || durationMs <= 0) return;
      lastProgressAt = now;
      const processedMs = Math.min(durationMs, Math.round(seconds * 1000));
      const percent = Math.round((processedMs / durationMs) * 1000) / 10;
      this.deps.bus
        .publish('transcode.progressed.v1', { data: { trackId: job.trackId, percent, processedMs, durationMs } })
        .catch((err: unknown) => logger.warn({ err }, 'progress event not published'));
    };
    try {
      const { log } = await this.deps.ffmpeg.runLadderPass({
        inputPath: sourcePath,
        outputDir: hlsDir,
        streamIndex: probe.audio!.index,
        sampleRate: plan.sampleRate,
        channels: plan.channels,
        rungs: settings.ladder,
        segmentSeconds: settings.segmentSeconds,
        encoderProcesses,
        onPcm: (chunk) => peaks.push(chunk),
        onProgress,
      });
      return { log, peaks };
    } catch (error) {
      if (error instanceof LadderPassError && error.inputProblem) {
        logger.info({ log: error.log.slice(-2000) }, 'ffmpeg could not decode the source');
        throw new SourceRefused(`the audio could not be decoded after ${formatPosition(processedSeconds)}`);
      }
      throw new TransientError(`ffmpeg failed: ${error instanceof Error ? error.message : error}`, { cause: error });
    }
  }

  /** Removes the segments uploaded during a pass whose source was then refused. */
  private async discardShipped(prefix: string, shipper: SegmentShipper): Promise<void> {
    if (shipper.shipped.size === 0) return;
    try {
      await this.deps.store.deletePrefix(prefix);
    } catch (error) {
      throw storageTrouble('delete', error);
    }
  }

  private async download(key: string, path: string): Promise<number> {
    let object: Awaited<ReturnType<ObjectStore['read']>>;
    try {
      object = await this.deps.store.read(key);
    } catch (error) {
      throw storageTrouble('read', error);
    }
    if (!object) throw new SourceRefused('the uploaded file is no longer in storage');
    try {
      await pipeline(object.body, createWriteStream(path));
    } catch (error) {
      throw storageTrouble('read', error);
    }
    return (await stat(path)).size;
  }

  private async put(key: string, body: Uint8Array | string, type: string, cache: string): Promise<void> {
    try {
      await this.deps.store.put(key, body, type, cache);
    } catch (error) {
      throw storageTrouble('write', error);
    }
  }

  private async publish<T extends 'transcode.completed.v1' | 'transcode.failed.v1'>(
    type: T,
    id: string,
    data: EventData<T>,
  ): Promise<void> {
    try {
      await this.deps.bus.publish(type, { id, data });
    } catch (error) {
      if (error instanceof Error && error.name === 'EventValidationError') throw error;
      throw new TransientError(`publishing ${type} failed: ${error instanceof Error ? error.message : error}`, {
        cause: error,
      });
    }
  }

  private async publishFailed(job: TranscodeJob, reason: string, logger: Logger): Promise<TranscodeResult> {
    const data = { trackId: job.trackId, reason };
    await this.publish(
      'transcode.failed.v1',
      stableEventId('transcode.failed.v1', job.trackId, job.source.sha256),
      data,
    );
    logger.warn({ trackId: job.trackId, reason }, 'source refused');
    return { outcome: 'failed', data };
  }
}
