import { Writable } from 'node:stream';
import { join } from 'node:path';
import ffmpeg from 'fluent-ffmpeg';

/** One rung of the ladder as the encoder sees it. */
export interface LadderRung {
  name: string;
  bitrate: number;
}

/** What one decode pass makes. */
export interface LadderPassOptions {
  inputPath: string;
  /** Each rung goes to `<outputDir>/<rung name>/index.m3u8` with its init and media segments. */
  outputDir: string;
  /** The absolute index of the audio stream to decode. */
  streamIndex: number;
  sampleRate: number;
  channels: number;
  rungs: readonly LadderRung[];
  segmentSeconds: number;
  /** Receives the decoded audio as mono signed 16-bit little-endian PCM at `sampleRate`, for peaks. */
  onPcm: (chunk: Buffer) => void;
  /** Seconds of the source decoded so far; called with each ffmpeg stats line. */
  onProgress?: (processedSeconds: number) => void;
  /** Kills ffmpeg when aborted. */
  signal?: AbortSignal;
}

/** What ffmpeg said in the pass, for the loudness summary and for errors. */
export interface LadderPassResult {
  /** The last lines ffmpeg wrote to standard error. */
  log: string;
}

/** ffmpeg stopped before the end of the pass. `inputProblem` says the source was at fault. */
export class LadderPassError extends Error {
  readonly log: string;
  readonly inputProblem: boolean;

  constructor(message: string, log: string) {
    super(message);
    this.name = 'LadderPassError';
    this.log = log;
    this.inputProblem = /Invalid data found|Error while decoding|decode_frame\(\) failed|corrupt/i.test(log);
  }
}

const LOG_LINES = 400;

/** `HH:MM:SS.ss` as seconds. */
export function timemarkSeconds(timemark: string): number | undefined {
  const match = /^(-?\d+):(\d{2}):(\d{2}(?:\.\d+)?)$/.exec(timemark.trim());
  if (!match) return undefined;
  return Number(match[1]) * 3600 + Number(match[2]) * 60 + Number(match[3]);
}

/**
 * The ffmpeg arguments of the filter graph: resample and downmix once, measure EBU R128 loudness
 * and true peak on the way, then split into one branch per rung and one mono PCM branch.
 */
export function ladderFilterGraph(
  options: Pick<LadderPassOptions, 'streamIndex' | 'sampleRate' | 'channels' | 'rungs'>,
) {
  const layout = options.channels === 1 ? 'mono' : 'stereo';
  const branches = options.rungs.map((_, i) => `[r${i}]`).join('');
  return (
    `[0:${options.streamIndex}]aresample=${options.sampleRate},` +
    `aformat=sample_fmts=fltp:sample_rates=${options.sampleRate}:channel_layouts=${layout},` +
    `ebur128=peak=true,asplit=${options.rungs.length + 1}${branches}[wave];` +
    `[wave]aformat=sample_fmts=s16:channel_layouts=mono[pcm]`
  );
}

/**
 * Runs ffmpeg once over the source (through fluent-ffmpeg, kept behind this adapter): the HLS
 * ladder as fMP4 segments cut at the same boundaries in every rendition, the ebur128 summary in
 * the log, and mono PCM on standard output for the waveform.
 *
 * @example
 * const pass = new FfmpegAdapter({ ffmpegPath: '/usr/bin/ffmpeg' });
 * const { log } = await pass.runLadderPass({ inputPath, outputDir, streamIndex: 0, sampleRate: 48_000,
 *   channels: 2, rungs, segmentSeconds: 6, onPcm: (chunk) => peaks.push(chunk) });
 */
export class FfmpegAdapter {
  readonly ffmpegPath: string;

  constructor(options: { ffmpegPath: string }) {
    this.ffmpegPath = options.ffmpegPath;
  }

  /** @throws LadderPassError when ffmpeg fails or is killed */
  runLadderPass(options: LadderPassOptions): Promise<LadderPassResult> {
    const lines: string[] = [];
    const pcm = new Writable({
      emitClose: false,
      autoDestroy: false,
      write(chunk: Buffer, _encoding, callback) {
        options.onPcm(chunk);
        callback();
      },
    });
    const bitrates = options.rungs
      .map((rung, i) => `-b:a:${i}`)
      .flatMap((flag, i) => [flag, `${options.rungs[i]!.bitrate}`]);
    const command = ffmpeg(options.inputPath)
      .setFfmpegPath(this.ffmpegPath)
      .inputOptions(['-nostdin', '-hide_banner'])
      .complexFilter(ladderFilterGraph(options))
      .output(join(options.outputDir, '%v', 'index.m3u8'))
      .outputOptions([
        ...options.rungs.flatMap((_, i) => ['-map', `[r${i}]`]),
        '-c:a',
        'aac',
        ...bitrates,
        '-f',
        'hls',
        '-hls_time',
        String(options.segmentSeconds),
        '-hls_playlist_type',
        'vod',
        '-hls_segment_type',
        'fmp4',
        '-hls_fmp4_init_filename',
        'init.mp4',
        '-hls_segment_filename',
        join(options.outputDir, '%v', 'seg-%05d.m4s'),
        '-var_stream_map',
        // Tab-separated: fluent-ffmpeg splits an option holding exactly one space into two arguments.
        options.rungs.map((rung, i) => `a:${i},name:${rung.name}`).join('\t'),
      ])
      .output(pcm, { end: true })
      .outputOptions(['-map', '[pcm]', '-f', 's16le']);

    return new Promise<LadderPassResult>((resolve, reject) => {
      const pcmFinished = new Promise<void>((done) => pcm.once('finish', () => done()));
      const abort = () => command.kill('SIGKILL');
      options.signal?.addEventListener('abort', abort, { once: true });
      command
        .on('stderr', (line: string) => {
          lines.push(line);
          if (lines.length > LOG_LINES) lines.splice(0, lines.length - LOG_LINES);
        })
        .on('progress', (progress: { timemark?: string }) => {
          const seconds = progress.timemark ? timemarkSeconds(progress.timemark) : undefined;
          if (seconds !== undefined) options.onProgress?.(seconds);
        })
        .on('error', (err: Error) => {
          options.signal?.removeEventListener('abort', abort);
          reject(new LadderPassError(err.message, lines.join('\n')));
        })
        .on('end', () => {
          options.signal?.removeEventListener('abort', abort);
          void pcmFinished.then(() => resolve({ log: lines.join('\n') }));
        })
        .run();
    });
  }
}
