import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** What ffprobe found in a file that holds audio. */
export interface AudioProbe {
  /** ffprobe's container name, such as `flac`, `mp3`, `mov,mp4,m4a,3gp,3g2,mj2`. */
  format: string;
  /** The codec of the first audio stream, such as `flac`, `mp3`, `aac`, `opus`. */
  codec: string;
  durationMs: number | null;
  sampleRate: number | null;
  channels: number | null;
}

/** The answer of a probe: the audio found, or why the file is not readable audio. */
export type ProbeResult = { ok: true; audio: AudioProbe } | { ok: false; reason: string };

interface FfprobeOutput {
  format?: { format_name?: string; duration?: string };
  streams?: { codec_type?: string; codec_name?: string; sample_rate?: string; channels?: number; duration?: string }[];
}

function positiveInt(value: string | number | undefined): number | null {
  const n = Number(value);
  return Number.isFinite(n) && n > 0 ? Math.round(n) : null;
}

/**
 * ffprobe behind one small class: reads the container and stream headers of a local file.
 *
 * @example
 * const probe = await new AudioProbeAdapter('/usr/bin/ffprobe').probe('/tmp/upload.flac');
 * if (!probe.ok) fail(probe.reason);
 */
export class AudioProbeAdapter {
  readonly ffprobePath: string;

  constructor(ffprobePath: string) {
    this.ffprobePath = ffprobePath;
  }

  async probe(path: string): Promise<ProbeResult> {
    let stdout: string;
    try {
      ({ stdout } = await run(
        this.ffprobePath,
        ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', path],
        { maxBuffer: 8 * 1024 * 1024 },
      ));
    } catch (error) {
      const failure = error as NodeJS.ErrnoException & { stderr?: string };
      if (failure.code === 'ENOENT') throw new Error(`ffprobe not found at ${this.ffprobePath}`, { cause: error });
      const detail = failure.stderr?.trim().split('\n').at(-1);
      return {
        ok: false,
        reason: `not a readable audio file: it is truncated or damaged${detail ? ` (${detail.replace(/^.*?: /, '')})` : ''}`,
      };
    }
    const output = JSON.parse(stdout) as FfprobeOutput;
    const stream = output.streams?.find((s) => s.codec_type === 'audio');
    if (!stream?.codec_name) return { ok: false, reason: 'not an audio file: it holds no audio stream' };
    const seconds = Number(output.format?.duration ?? stream.duration);
    return {
      ok: true,
      audio: {
        format: output.format?.format_name ?? 'unknown',
        codec: stream.codec_name,
        durationMs: Number.isFinite(seconds) && seconds >= 0 ? Math.round(seconds * 1000) : null,
        sampleRate: positiveInt(stream.sample_rate),
        channels: positiveInt(stream.channels),
      },
    };
  }
}
