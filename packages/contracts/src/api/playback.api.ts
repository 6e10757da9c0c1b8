import { z } from 'zod';

/**
 * `GET /api/tracks/:id/playback`: a multivariant playlist URL any HLS client plays with no
 * headers (the token travels in the URL, bound to the session and the track), and when it ends.
 */
export const playbackResponseSchema = z.object({
  masterUrl: z.string().url(),
  expiresAt: z.string().datetime({ offset: true }),
});

/** The answer of the playback call. */
export type PlaybackResponse = z.infer<typeof playbackResponseSchema>;

/** `GET /api/tracks/:id/waveform`: peaks between 0 and 1 for the seek bar. */
export const waveformResponseSchema = z.object({ peaks: z.array(z.number().min(0).max(1)) });

/** The answer of the waveform call. */
export type WaveformResponse = z.infer<typeof waveformResponseSchema>;

/**
 * `POST /api/tracks/:id/playback/events`: a player reports how far it got (`progressed`, at
 * intervals) or that it reached the end (`finished`); the edge publishes the matching
 * `playback.*.v1` event for play counts and listening history.
 */
export const playbackEventRequestSchema = z.object({
  type: z.enum(['progressed', 'finished']),
  positionMs: z
    .number()
    .int()
    .nonnegative()
    .max(7 * 24 * 3_600_000),
});

/** What a player reports. */
export type PlaybackEventRequest = z.infer<typeof playbackEventRequestSchema>;
