import ffmpeg, { type FfprobeData } from 'fluent-ffmpeg';
import type { ProbeSummary } from '../services/source-check.ts';

/**
 * ffprobe could not read the file as media: the file is at fault (not audio, empty, damaged),
 * so asking again will not help.
 */
export class UnreadableMediaError extends Error {
  readonly detail: string;

  constructor(detail: string) {
    super(`ffprobe cannot read the file: ${detail}`);
    this.name = 'UnreadableMediaError';
    this.detail = detail;
  }
}

function toNumber(value: unknown): number | undefined {
  const n = typeof value === 'number' ? value : typeof value === 'string' ? Number.parseFloat(value) : NaN;
  return Number.isFinite(n) ? n : undefined;
}

/**
 * Reduces ffprobe's JSON to what the transcoder decides on; the first audio stream counts.
 */
export function summarizeProbe(data: FfprobeData): ProbeSummary {
  const stream = data.streams.find((s) => s.codec_type === 'audio');
  return {
    formatName: data.format.format_name ?? 'unknown',
    durationSeconds: toNumber(data.format.duration),
    audio: stream && {
      index: stream.index,
      codec: stream.codec_name ?? 'unknown',
      sampleRate: toNumber(stream.sample_rate) ?? 0,
      channels: stream.channels ?? 0,
      durationSeconds: toNumber(stream.duration),
    },
  };
}

/**
 * Reads a local media file's container and streams with ffprobe (through fluent-ffmpeg).
 *
 * @example
 * const probe = await new FfprobeAdapter({ ffprobePath: '/usr/bin/ffprobe' }).probe('/tmp/job/source');
 */
export class FfprobeAdapter {
  readonly ffprobePath: string;

  constructor(options: { ffprobePath: string }) {
    this.ffprobePath = options.ffprobePath;
  }

  /**
   * @throws UnreadableMediaError when ffprobe runs but cannot read the file
   * @throws Error when ffprobe itself cannot run
   */
  probe(path: string): Promise<ProbeSummary> {
    return new Promise((resolve, reject) => {
      ffmpeg(path)
        .setFfprobePath(this.ffprobePath)
        .ffprobe((err: Error | null, data: FfprobeData) => {
          if (!err) return resolve(summarizeProbe(data));
          if (/^ffprobe exited with code/.test(err.message)) {
            const detail = err.message.split('\n').slice(1).join(' ').trim() || err.message;
            return reject(new UnreadableMediaError(detail));
          }
          reject(err);
        });
    });
  }
}
