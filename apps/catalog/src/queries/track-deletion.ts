import { RpcError, type Bus } from '@tonearm/bus';
import type { Principal } from '@tonearm/contracts';
import type { CatalogProjector } from '../projection/catalog-projector.ts';
import type { CatalogReadRepository } from '../repositories/catalog-read-repository.ts';
import { viewerOf } from './catalog-queries.ts';

/**
 * Deletes tracks on behalf of their owner or an admin by publishing `catalog.track.deleted.v1`
 * (ingest removes the objects on it), then projecting that event at once so the caller's next
 * read no longer shows the track; the consumer later finds it already applied.
 *
 * @example
 * await deletion.delete(principal, trackId);
 */
export class TrackDeletion {
  readonly reads: CatalogReadRepository;
  readonly projector: CatalogProjector;
  readonly publish: Bus['publish'];

  constructor(deps: { reads: CatalogReadRepository; projector: CatalogProjector; publish: Bus['publish'] }) {
    this.reads = deps.reads;
    this.projector = deps.projector;
    this.publish = deps.publish;
  }

  async delete(principal: Principal, trackId: string): Promise<void> {
    const track = await this.reads.findAnyTrack(trackId);
    const viewer = viewerOf(principal);
    const mayDelete = track && (viewer.isAdmin || track.owner_id === principal.userId);
    if (!mayDelete) {
      const visible = track && (await this.reads.findTrack(viewer, trackId));
      if (visible) throw new RpcError('forbidden', 'only the owner or an admin can delete this track');
      throw new RpcError('not_found', 'no such track');
    }
    const { event } = await this.publish('catalog.track.deleted.v1', {
      data: { trackId, ownerId: track.owner_id, deletedBy: principal.userId },
    });
    await this.projector.apply(event);
  }
}
