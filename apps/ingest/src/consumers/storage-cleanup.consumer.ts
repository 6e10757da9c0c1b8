import type { KnownEvent } from '@tonearm/bus';
import { objectKeys } from '@tonearm/contracts';
import type { Logger } from '@tonearm/runtime';
import type { PresignedMultipart } from '@tonearm/storage';
import type { UploadSessionRepository } from '../repositories/upload-session.repository.ts';

/**
 * Handles `catalog.track.deleted.v1` on the `storage-cleanup` consumer: deletes every object of
 * the track (source, cover, HLS), aborts its upload if still open and releases its content hash,
 * so the owner may upload the same file again. Running it twice changes nothing.
 *
 * @example
 * consume(bus, 'storage-cleanup', storageCleanupHandler({ multipart, sessions }));
 */
export function storageCleanupHandler(deps: { multipart: PresignedMultipart; sessions: UploadSessionRepository }) {
  return async function storageCleanup(event: KnownEvent, context: { logger: Logger }): Promise<void> {
    if (event.type !== 'catalog.track.deleted.v1') return;
    const { trackId } = event.data;
    const session = await deps.sessions.findByTrack(trackId);
    if (session?.status === 'uploading') {
      await deps.multipart.abort(objectKeys.source(trackId), session.s3UploadId);
    }
    let deleted = 0;
    for (const prefix of objectKeys.allPrefixes(trackId)) deleted += await deps.multipart.store.deletePrefix(prefix);
    if (session && session.status !== 'deleted') {
      await deps.sessions.transition(session.uploadId, [session.status], { status: 'deleted' });
    }
    context.logger.info({ trackId, deleted }, 'objects of a deleted track removed');
  };
}
