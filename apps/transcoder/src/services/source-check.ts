/** What ffprobe found in a source file, reduced to what the transcoder decides on. */
export interface ProbeSummary {
  formatName: string;
  /** Container duration, when the file declares or ffprobe estimates one. */
  durationSeconds: number | undefined;
  /** The first audio stream, if any. */
  audio:
    | {
        index: number;
        codec: string;
        sampleRate: number;
        channels: number;
        durationSeconds: number | undefined;
      }
    | undefined;
}

/** The source's audio as the transcoder will encode it. */
export interface AudioPlan {
  sampleRate: number;
  channels: number;
  sourceSampleRate: number;
  sourceChannels: number;
  /** Best known duration before decoding, for progress and the waveform's block size. */
  expectedSeconds: number;
}

/** The limits of what the transcoder accepts. */
export const SOURCE_LIMITS = {
  minSampleRate: 8_000,
  maxSampleRate: 192_000,
  maxChannels: 8,
  maxSeconds: 3 * 3600 + 60,
} as const;

/** Containers whose declared duration is exact, so a shorter decode means a cut-off file. */
const EXACT_DURATION_FORMATS = ['flac', 'wav', 'aiff', 'mov,mp4,m4a,3gp,3g2,mj2', 'caf', 'w64'];

/**
 * `1:23` for 83 seconds, `1:02:03` past an hour: how a person reads a position in a track.
 *
 * @example
 * formatPosition(83.9); // '1:23'
 */
export function formatPosition(seconds: number): string {
  const whole = Math.max(0, Math.floor(seconds));
  const h = Math.floor(whole / 3600);
  const m = Math.floor((whole % 3600) / 60);
  const s = String(whole % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

/**
 * The output sample rate for AAC: 44.1 kHz for sources of the 44.1 kHz family (11.025, 22.05,
 * 88.2, 176.4 kHz), 48 kHz for everything else.
 */
export function outputSampleRate(sourceRate: number): number {
  return sourceRate % 11_025 === 0 ? 44_100 : 48_000;
}

/** Mono stays mono; anything with more channels is mixed down to stereo. */
export function outputChannels(sourceChannels: number): number {
  return sourceChannels === 1 ? 1 : 2;
}

/**
 * Decides from the probe whether the source can be transcoded and how.
 *
 * @returns the plan, or the reason (for the person who uploaded it) why not
 * @example
 * planAudio(probe); // { ok: false, reason: 'not an audio file: it holds no audio stream' }
 */
export function planAudio(probe: ProbeSummary): { ok: true; plan: AudioPlan } | { ok: false; reason: string } {
  const audio = probe.audio;
  if (!audio) return { ok: false, reason: 'not an audio file: it holds no audio stream' };
  if (!(audio.sampleRate >= SOURCE_LIMITS.minSampleRate && audio.sampleRate <= SOURCE_LIMITS.maxSampleRate)) {
    return {
      ok: false,
      reason: `the audio's sample rate of ${audio.sampleRate} Hz is outside the supported 8 to 192 kHz`,
    };
  }
  if (!(audio.channels >= 1 && audio.channels <= SOURCE_LIMITS.maxChannels)) {
    return { ok: false, reason: `the audio has ${audio.channels} channels; at most 8 are supported` };
  }
  const expectedSeconds = audio.durationSeconds ?? probe.durationSeconds ?? 0;
  if (expectedSeconds > SOURCE_LIMITS.maxSeconds) {
    return { ok: false, reason: `the audio is ${formatPosition(expectedSeconds)} long; at most 3 hours are supported` };
  }
  return {
    ok: true,
    plan: {
      sampleRate: outputSampleRate(audio.sampleRate),
      channels: outputChannels(audio.channels),
      sourceSampleRate: audio.sampleRate,
      sourceChannels: audio.channels,
      expectedSeconds,
    },
  };
}

/**
 * Compares what was decoded with what the file declared, for containers whose declared length
 * is exact: more than half a second (and 1%) missing means the upload was cut off.
 *
 * @returns the reason for the uploader, or undefined when the decode is whole
 * @example
 * checkDecodedLength(probe, 83.4); // 'the audio stream is truncated at 1:23 (the file says 4:00)'
 */
export function checkDecodedLength(probe: ProbeSummary, decodedSeconds: number): string | undefined {
  if (decodedSeconds <= 0) return 'the file holds no audio that can be decoded';
  const declared = probe.audio?.durationSeconds ?? probe.durationSeconds;
  if (declared === undefined || !EXACT_DURATION_FORMATS.includes(probe.formatName)) return undefined;
  const missing = declared - decodedSeconds;
  if (missing > 0.5 && missing > declared * 0.01) {
    return `the audio stream is truncated at ${formatPosition(decodedSeconds)} (the file says ${formatPosition(declared)})`;
  }
  return undefined;
}
