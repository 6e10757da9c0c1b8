import { execFile } from 'node:child_process';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { provisionTopology, type Bus } from '@tonearm/bus';
import { objectKeys, type EventData, type EventOf } from '@tonearm/contracts';
import { ObjectStore } from '@tonearm/storage';
import { startChildService, testS3, type ChildService, type TestS3 } from '@tonearm/testing';
import { connectTestBus, removeNamespace, storedMessages } from '../../../packages/bus/test/bus-test-helper.ts';

const run = promisify(execFile);

/** A source file generated for a test, with how ffmpeg made it. */
export interface GeneratedSource {
  path: string;
  filename: string;
  contentType: string;
}

/** How to make a source of each supported format with the ffmpeg of the machine. */
export const sourceFormats = {
  mp3: { codec: ['-c:a', 'libmp3lame', '-b:a', '192k'], ext: 'mp3', contentType: 'audio/mpeg' },
  flac: { codec: ['-c:a', 'flac'], ext: 'flac', contentType: 'audio/flac' },
  wav: { codec: ['-c:a', 'pcm_s16le'], ext: 'wav', contentType: 'audio/wav' },
  vorbis: { codec: ['-c:a', 'libvorbis', '-q:a', '4'], ext: 'ogg', contentType: 'audio/ogg' },
  opus: { codec: ['-c:a', 'libopus', '-b:a', '128k'], ext: 'opus', contentType: 'audio/opus' },
  m4a: { codec: ['-c:a', 'aac', '-b:a', '192k'], ext: 'm4a', contentType: 'audio/mp4' },
  aiff: { codec: ['-c:a', 'pcm_s16be'], ext: 'aiff', contentType: 'audio/aiff' },
} as const;

/** A supported source format. */
export type SourceFormat = keyof typeof sourceFormats;

/**
 * Generates a source with ffmpeg: a tone whose pitch differs per channel (so a downmix is real
 * work), of the given length, rate and channel count.
 */
export async function generateSource(
  dir: string,
  name: string,
  options: { format: SourceFormat; seconds: number; sampleRate: number; channels: number },
): Promise<GeneratedSource> {
  const format = sourceFormats[options.format];
  const path = join(dir, `${name}.${format.ext}`);
  const tones = Array.from(
    { length: options.channels },
    (_, c) => `0.4*sin(2*PI*${220 + 110 * c}*t)*(0.6+0.4*sin(2*PI*0.5*t))`,
  ).join('|');
  await run('ffmpeg', [
    ...['-v', 'error', '-nostdin', '-y', '-f', 'lavfi'],
    ...['-i', `aevalsrc=${tones}:s=${options.sampleRate}:d=${options.seconds}`],
    ...format.codec,
    path,
  ]);
  return { path, filename: `01 - Test Artist - ${name}.${format.ext}`, contentType: format.contentType };
}

/** Seconds of audio ffmpeg decodes from a file or playlist (one stream, mono, at `sampleRate`). */
export async function decodedSeconds(input: string, sampleRate: number, audioStream = 0): Promise<number> {
  const { stdout } = await run(
    'sh',
    [
      '-c',
      `ffmpeg -v error -nostdin -i "$1" -map 0:a:${audioStream} -ac 1 -ar ${sampleRate} -f s16le - | wc -c`,
      'decode',
      input,
    ],
    { maxBuffer: 1024 * 1024 },
  );
  return Number(stdout.trim()) / 2 / sampleRate;
}

/** Integrated loudness and true peak of a file as a separate ffmpeg run measures them. */
export async function measureLoudness(input: string): Promise<{ integratedLufs: number; truePeakDb: number }> {
  const { stderr } = await run(
    'ffmpeg',
    ['-nostdin', '-hide_banner', '-i', input, '-af', 'ebur128=peak=true', '-f', 'null', '-'],
    {
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  const summary = stderr.slice(stderr.lastIndexOf('Summary:'));
  return {
    integratedLufs: Number(/I:\s+(-?[\d.]+) LUFS/.exec(summary)![1]),
    truePeakDb: Number(/Peak:\s+(-?[\d.]+) dBFS/.exec(summary)![1]),
  };
}

/** One test file's world: a bus namespace, a corner of the bucket, a temp dir, transcoder processes. */
export class TranscoderHarness {
  readonly bus: Bus;
  readonly s3: TestS3;
  readonly store: ObjectStore;
  readonly dir: string;
  private readonly workers: ChildService[] = [];

  private constructor(bus: Bus, s3: TestS3, dir: string) {
    this.bus = bus;
    this.s3 = s3;
    this.store = new ObjectStore({ client: s3.client, bucket: s3.bucket, keyPrefix: s3.prefix });
    this.dir = dir;
  }

  /** Connects, provisions the namespace (with consumer overrides) and makes the temp dir. */
  static async create(label: string, ackWaitMs?: number): Promise<TranscoderHarness> {
    const bus = await connectTestBus(label);
    await provisionTopology(bus, ackWaitMs ? { consumerOverrides: { transcoder: { ackWaitMs } } } : {});
    const dir = await mkdtemp(join(tmpdir(), `${label}-`));
    return new TranscoderHarness(bus, testS3(label), dir);
  }

  /** Starts a transcoder process on this namespace and bucket prefix. */
  async startWorker(env: Record<string, string> = {}): Promise<ChildService> {
    const worker = await startChildService({
      app: 'transcoder',
      env: {
        BUS_NAMESPACE: this.bus.topology.namespace,
        S3_KEY_PREFIX: this.s3.prefix,
        TRANSCODER_WORK_DIR: join(this.dir, `work-${this.workers.length}`),
        LOG_LEVEL: 'info',
        ...env,
      },
    });
    this.workers.push(worker);
    return worker;
  }

  /** Stores a source as the ingest service would and announces it; returns the event's data. */
  async upload(
    bytes: Uint8Array,
    meta: { filename: string; contentType: string },
  ): Promise<EventData<'ingest.upload.completed.v1'>> {
    const data = await this.stage(bytes, meta);
    await this.bus.publish('ingest.upload.completed.v1', { data });
    return data;
  }

  /** Stores a source as the ingest service would; returns the data of the event that would announce it. */
  async stage(
    bytes: Uint8Array,
    meta: { filename: string; contentType: string },
  ): Promise<EventData<'ingest.upload.completed.v1'>> {
    const trackId = randomUUID();
    await this.store.put(objectKeys.source(trackId), bytes, meta.contentType);
    const data: EventData<'ingest.upload.completed.v1'> = {
      trackId,
      uploadId: `upload-${randomBytes(4).toString('hex')}`,
      ownerId: randomUUID(),
      source: {
        key: objectKeys.source(trackId),
        filename: meta.filename,
        size: bytes.length,
        sha256: createHash('sha256').update(bytes).digest('hex'),
        contentType: meta.contentType,
      },
      tags: {
        title: meta.filename,
        artist: 'Test Artist',
        album: null,
        albumArtist: null,
        trackNumber: 1,
        discNumber: null,
        year: null,
        genre: null,
      },
      cover: null,
    };
    return data;
  }

  /** Uploads a generated source file. */
  async uploadFile(source: GeneratedSource): Promise<EventData<'ingest.upload.completed.v1'>> {
    return this.upload(await readFile(source.path), source);
  }

  /** Every transcode event stored so far for a track. */
  async transcodeEvents(
    trackId: string,
  ): Promise<EventOf<'transcode.completed.v1' | 'transcode.failed.v1' | 'transcode.progressed.v1'>[]> {
    const messages = await storedMessages(this.bus, 'transcode');
    return messages
      .map((m) => m.json<EventOf<'transcode.completed.v1' | 'transcode.failed.v1' | 'transcode.progressed.v1'>>())
      .filter((e) => e.data.trackId === trackId);
  }

  /** Downloads everything under a track's HLS prefix into a local directory; returns the directory. */
  async downloadHls(trackId: string): Promise<{ dir: string; keys: string[] }> {
    const prefix = objectKeys.hlsPrefix(trackId);
    const keys = (await this.store.list(prefix)).sort();
    const dir = join(this.dir, `hls-${trackId}`);
    for (const key of keys) {
      const path = join(dir, key.slice(prefix.length));
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, (await this.store.readBytes(key))!);
    }
    return { dir, keys };
  }

  /** Stops the workers, removes the namespace, the objects and the temp dir. */
  async close(): Promise<void> {
    const steps = [
      () => Promise.all(this.workers.map((w) => w.stop('SIGTERM', 10_000))),
      () => removeNamespace(this.bus),
      // Deletes in rounds that outlast s3rver's listing and delete limits (see deleteObjectsWithPrefix).
      () => this.s3.cleanup(),
      () => rm(this.dir, { recursive: true, force: true }),
    ];
    const failures: unknown[] = [];
    for (const step of steps) await step().catch((error: unknown) => failures.push(error));
    if (failures.length > 0) throw new AggregateError(failures, 'transcoder test cleanup failed');
  }
}
