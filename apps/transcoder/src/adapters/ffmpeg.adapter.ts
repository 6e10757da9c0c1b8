import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import ffmpeg, { type FfmpegCommand } from 'fluent-ffmpeg';

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
  /**
   * How many ffmpeg processes encode the ladder (1 or 2). With 2, the decoding process encodes
   * the top rung and hands its decoded PCM to a second process for the others, so one track
   * keeps two cores busy; the source is still decoded once.
   */
  encoderProcesses: number;
  /** Receives the decoded audio: interleaved 32-bit float little-endian PCM, `channels` wide, at `sampleRate`. */
  onPcm: (chunk: Buffer) => void;
  /** Seconds of the source decoded so far; called with each ffmpeg stats line. */
  onProgress?: (processedSeconds: number) => void;
}

/** What ffmpeg said in the pass, for the loudness summary and for errors. */
export interface LadderPassResult {
  /** The last lines the decoding ffmpeg wrote to standard error. */
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

/** `[r0][r1]...`: the filter outputs the encoders of `count` rungs read. */
function branchLabels(count: number): string {
  return Array.from({ length: count }, (_, i) => `[r${i}]`).join('');
}

/**
 * The filter graph of the decoding process: resample and downmix once, measure EBU R128
 * loudness and true peak on the way (the summary only: its per-frame lines are logged at verbose
 * level, which ffmpeg does not print), then split into one branch per rung it encodes and one
 * `[pcm]` branch of decoded audio.
 */
export function ladderFilterGraph(options: {
  streamIndex: number;
  sampleRate: number;
  channels: number;
  encodedRungs: number;
}): string {
  const layout = options.channels === 1 ? 'mono' : 'stereo';
  const branches = branchLabels(options.encodedRungs);
  return (
    `[0:${options.streamIndex}]aresample=${options.sampleRate},` +
    `aformat=sample_fmts=fltp:sample_rates=${options.sampleRate}:channel_layouts=${layout},` +
    `ebur128=peak=true:framelog=verbose,asplit=${options.encodedRungs + 1}${branches}[pcm]`
  );
}

/** Output options of an fMP4 HLS ladder of `rungs` fed from the filter outputs `[r0]`, `[r1]`, ... */
function hlsOutputOptions(rungs: readonly LadderRung[], outputDir: string, segmentSeconds: number): string[] {
  return [
    ...rungs.flatMap((_, i) => ['-map', `[r${i}]`]),
    '-c:a',
    'aac',
    ...rungs.flatMap((rung, i) => [`-b:a:${i}`, String(rung.bitrate)]),
    ...['-f', 'hls', '-hls_time', String(segmentSeconds), '-hls_playlist_type', 'vod', '-hls_segment_type', 'fmp4'],
    ...['-hls_fmp4_init_filename', 'init.mp4', '-hls_segment_filename', join(outputDir, '%v', 'seg-%05d.m4s')],
    '-var_stream_map',
    // Tab-separated: fluent-ffmpeg splits an option holding exactly one space into two arguments.
    rungs.map((rung, i) => `a:${i},name:${rung.name}`).join('\t'),
  ];
}

/** The `time=` of an ffmpeg stats line, in seconds. */
export function statsLineSeconds(line: string): number | undefined {
  const match = /\btime=\s*(\S+)/.exec(line);
  return match ? timemarkSeconds(match[1]!) : undefined;
}

function finished(command: FfmpegCommand, lines: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    command
      .on('error', (err: Error) => reject(new LadderPassError(err.message, lines.join('\n'))))
      .on('end', () => resolve());
  });
}

/** Keeps the last `limit` standard-error lines of a command and hands each to `onLine`. */
function keepStderr(command: FfmpegCommand, limit: number, onLine?: (line: string) => void): string[] {
  const lines: string[] = [];
  command.on('stderr', (line: string) => {
    lines.push(line);
    if (lines.length > limit) lines.splice(0, lines.length - limit);
    onLine?.(line);
  });
  return lines;
}

/**
 * Runs the one decode pass over a source (through fluent-ffmpeg, kept behind this adapter): the
 * HLS ladder as fMP4 segments cut at the same boundaries in every rendition, the ebur128
 * summary in the log, and the decoded PCM for the waveform.
 *
 * @example
 * const pass = new FfmpegAdapter({ ffmpegPath: '/usr/bin/ffmpeg' });
 * const { log } = await pass.runLadderPass({ inputPath, outputDir, streamIndex: 0, sampleRate: 48_000,
 *   channels: 2, rungs, segmentSeconds: 6, encoderProcesses: 2, onPcm: (chunk) => peaks.push(chunk) });
 */
export class FfmpegAdapter {
  readonly ffmpegPath: string;

  constructor(options: { ffmpegPath: string }) {
    this.ffmpegPath = options.ffmpegPath;
  }

  /** @throws LadderPassError when an ffmpeg process fails or is killed */
  async runLadderPass(options: LadderPassOptions): Promise<LadderPassResult> {
    const helperCount = options.encoderProcesses > 1 ? options.rungs.length - 1 : 0;
    const helperRungs = options.rungs.slice(0, helperCount);
    const mainRungs = options.rungs.slice(helperCount);
    const playlists = join(options.outputDir, '%v', 'index.m3u8');
    const pcm = new PassThrough({ emitClose: false, autoDestroy: false });
    const pcmEnded = new Promise<void>((resolve) => pcm.once('end', () => resolve()));
    pcm.on('data', (chunk: Buffer) => options.onPcm(chunk));

    // Progress comes from the stats lines, not fluent-ffmpeg's 'progress' event: listening for that
    // makes it run a second ffprobe of the source before every pass.
    const decoder = ffmpeg(options.inputPath)
      .setFfmpegPath(this.ffmpegPath)
      .inputOptions(['-nostdin', '-hide_banner'])
      .complexFilter(ladderFilterGraph({ ...options, encodedRungs: mainRungs.length }))
      .output(playlists)
      .outputOptions(hlsOutputOptions(mainRungs, options.outputDir, options.segmentSeconds))
      .output(pcm, { end: true })
      .outputOptions(['-map', '[pcm]', '-c:a', 'pcm_f32le', '-f', 'f32le']);
    const lines = keepStderr(decoder, LOG_LINES, (line) => {
      const seconds = statsLineSeconds(line);
      if (seconds !== undefined) options.onProgress?.(seconds);
    });
    const decoding = finished(decoder, lines);

    let encoding: Promise<void> = Promise.resolve();
    let helper: FfmpegCommand | undefined;
    if (helperRungs.length > 0) {
      helper = ffmpeg(pcm)
        .setFfmpegPath(this.ffmpegPath)
        .inputOptions([
          '-hide_banner',
          '-f',
          'f32le',
          '-ar',
          String(options.sampleRate),
          '-ac',
          String(options.channels),
        ])
        .complexFilter(`[0:a]asplit=${helperRungs.length}${branchLabels(helperRungs.length)}`)
        .output(playlists)
        .outputOptions(hlsOutputOptions(helperRungs, options.outputDir, options.segmentSeconds));
      encoding = finished(helper, keepStderr(helper, 50));
      helper.run();
    }
    decoder.run();

    // One failing process must not leave the other waiting on a pipe for ever.
    decoding.catch(() => helper?.kill('SIGKILL'));
    encoding.catch(() => decoder.kill('SIGKILL'));
    const [decoded, encoded] = await Promise.allSettled([decoding, encoding]);
    if (decoded.status === 'rejected') throw decoded.reason;
    if (encoded.status === 'rejected') throw encoded.reason;
    await pcmEnded;
    return { log: lines.join('\n') };
  }
}
