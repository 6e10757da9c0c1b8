import { z } from 'zod';
import { eventSchema } from '../envelope/event-envelope.ts';

const playbackData = z.object({
  trackId: z.string().uuid(),
  userId: z.string().uuid(),
  sessionId: z.string().min(1),
  positionMs: z.number().int().nonnegative(),
});

/** A listener started a track. */
export const playbackStartedV1 = eventSchema('playback.started.v1', 1, playbackData);
/** A listener is still playing a track; sent at intervals. */
export const playbackProgressedV1 = eventSchema('playback.progressed.v1', 1, playbackData);
/** A listener reached the end of a track. */
export const playbackFinishedV1 = eventSchema('playback.finished.v1', 1, playbackData);
