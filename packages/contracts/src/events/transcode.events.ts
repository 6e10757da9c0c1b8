import { z } from 'zod';
import { eventSchema } from '../envelope/event-envelope.ts';

/** EBU R128 loudness of a track and the gain a player applies to reach the target. */
export const loudnessSchema = z.object({
  integratedLufs: z.number(),
  truePeakDb: z.number(),
  gainDb: z.number(),
});

/** One rung of the HLS ladder as written to storage. */
export const renditionSchema = z.object({
  name: z.string().min(1),
  bitrate: z.number().int().positive(),
  averageBitrate: z.number().int().positive(),
  codecs: z.string().min(1),
  playlistKey: z.string().min(1),
});

/** The HLS ladder, loudness and waveform of a track are in storage. */
export const transcodeCompletedV1 = eventSchema(
  'transcode.completed.v1',
  1,
  z.object({
    trackId: z.string().uuid(),
    durationMs: z.number().int().nonnegative(),
    sampleRate: z.number().int().positive(),
    channels: z.number().int().positive(),
    masterKey: z.string().min(1),
    renditions: z.array(renditionSchema).min(1),
    loudness: loudnessSchema,
    waveformKey: z.string().min(1),
  }),
);

/** Transcoding failed for good; the reason is written for the person who uploaded the file. */
export const transcodeFailedV1 = eventSchema(
  'transcode.failed.v1',
  1,
  z.object({
    trackId: z.string().uuid(),
    reason: z.string().min(1),
  }),
);

/** A long transcoding job is still running; sent every few seconds while ffmpeg works, for progress bars. */
export const transcodeProgressedV1 = eventSchema(
  'transcode.progressed.v1',
  1,
  z.object({
    trackId: z.string().uuid(),
    percent: z.number().min(0).max(100),
    processedMs: z.number().int().nonnegative(),
    durationMs: z.number().int().nonnegative(),
  }),
);
