import type { RpcHandler } from '@tonearm/bus';
import {
  deleteTrackRpc,
  getAlbumRpc,
  getArtistRpc,
  getTrackMediaRpc,
  getTrackRpc,
  listAlbumsRpc,
  listArtistsRpc,
  listTracksRpc,
  searchRpc,
  type RpcDefinition,
} from '@tonearm/contracts';
import type { CatalogQueries } from '../queries/catalog-queries.ts';
import type { TrackDeletion } from '../queries/track-deletion.ts';

/** Something that answers operations: the service host's `serve`. */
export type Serve = <D extends RpcDefinition>(definition: D, handler: RpcHandler<D>) => void;

/**
 * Answers every catalog operation; each handler hands the caller and the validated input on.
 *
 * @example
 * serveCatalogRpc(service.serve, queries, deletion);
 */
export function serveCatalogRpc(serve: Serve, queries: CatalogQueries, deletion: TrackDeletion): void {
  serve(listTracksRpc, (input, { principal }) => queries.listTracks(principal, input));
  serve(getTrackRpc, ({ id }, { principal }) => queries.getTrack(principal, id));
  serve(getTrackMediaRpc, ({ id }, { principal }) => queries.getTrackMedia(principal, id));
  serve(deleteTrackRpc, async ({ id }, { principal }) => {
    await deletion.delete(principal!, id);
    return { deleted: true as const };
  });
  serve(listArtistsRpc, (input, { principal }) => queries.listArtists(principal, input));
  serve(getArtistRpc, ({ id }, { principal }) => queries.getArtist(principal, id));
  serve(listAlbumsRpc, (input, { principal }) => queries.listAlbums(principal, input));
  serve(getAlbumRpc, ({ id }, { principal }) => queries.getAlbum(principal, id));
  serve(searchRpc, (input, { principal }) => queries.search(principal, input));
}
