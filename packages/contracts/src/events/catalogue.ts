import type { z } from 'zod';
import { trackDeletedV1 } from './catalog.events.ts';
import {
  apiTokenChangedV1,
  passwordChangedV1,
  sessionEndedV1,
  signingKeysRotatedV1,
  userRegisteredV1,
} from './identity.events.ts';
import { uploadCompletedV1, uploadFailedV1 } from './ingest.events.ts';
import { messageDeadLetteredV1 } from './ops.events.ts';
import { playbackFinishedV1, playbackProgressedV1, playbackStartedV1 } from './playback.events.ts';
import { transcodeCompletedV1, transcodeFailedV1, transcodeProgressedV1 } from './transcode.events.ts';

/**
 * Every event type the platform publishes, by type name. Adding an event means adding its
 * schema here; publishers and consumers are typed from this table.
 */
export const eventCatalogue = {
  'identity.user.registered.v1': userRegisteredV1,
  'identity.signing-keys.rotated.v1': signingKeysRotatedV1,
  'identity.session.ended.v1': sessionEndedV1,
  'identity.user.password-changed.v1': passwordChangedV1,
  'identity.api-token.changed.v1': apiTokenChangedV1,
  'ingest.upload.completed.v1': uploadCompletedV1,
  'ingest.upload.failed.v1': uploadFailedV1,
  'transcode.completed.v1': transcodeCompletedV1,
  'transcode.failed.v1': transcodeFailedV1,
  'transcode.progressed.v1': transcodeProgressedV1,
  'catalog.track.deleted.v1': trackDeletedV1,
  'playback.started.v1': playbackStartedV1,
  'playback.progressed.v1': playbackProgressedV1,
  'playback.finished.v1': playbackFinishedV1,
  'ops.message.dead-lettered.v1': messageDeadLetteredV1,
} as const;

/** The name of an event type, such as `ingest.upload.completed.v1`. */
export type EventType = keyof typeof eventCatalogue;

/** The full event (envelope and data) of a type. */
export type EventOf<T extends EventType> = z.infer<(typeof eventCatalogue)[T]>;

/** The payload of an event type. */
export type EventData<T extends EventType> = EventOf<T>['data'];

/** Every event type name, in catalogue order. */
export const eventTypes = Object.keys(eventCatalogue) as EventType[];

/** Whether a string names a known event type. */
export function isEventType(type: string): type is EventType {
  return Object.hasOwn(eventCatalogue, type);
}
