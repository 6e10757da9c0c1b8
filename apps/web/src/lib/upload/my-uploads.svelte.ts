import type { Track, UploadStatusEvent } from '@tonearm/contracts';
import { errorMessage } from '../api/api-error.ts';
import type { ApiClient } from '../api/api-client.ts';
import { applyUploadStatus, upsertTrack, type UploadFilter } from './my-uploads-list.ts';
import { UploadStatusFeed } from './upload-status-feed.svelte.ts';

/** The calls the My uploads page makes. */
export type MyUploadsApi = Pick<ApiClient, 'listTracks' | 'getTrack' | 'deleteTrack' | 'uploadEvents'>;

const pageSize = 50;

/**
 * The My uploads page's state: the caller's tracks (filtered by status, paged), kept current by
 * the statuses pushed on `GET /api/uploads/events` (new uploads appear, processing turns ready
 * or failed, deleted ones go) without reloading or polling.
 */
export class MyUploads {
  /** Null until the first page arrives. */
  tracks = $state<Track[] | null>(null);
  nextCursor = $state<string | null>(null);
  error = $state<string | null>(null);
  filter = $state<UploadFilter>('all');
  /** Transcoding progress (0 to 100) of tracks still processing. */
  percent = $state<Record<string, number>>({});
  #api: MyUploadsApi;
  #feed: UploadStatusFeed;
  /** Statuses pushed while the first page was on its way, applied once it is here. */
  #pending: UploadStatusEvent[] = [];
  /** Answers of an older load (another filter) are dropped. */
  #generation = 0;

  /** False while the live status stream is down (it reconnects on its own). */
  get live(): boolean {
    return this.#feed.live;
  }

  constructor(api: MyUploadsApi) {
    this.#api = api;
    this.#feed = new UploadStatusFeed(api, (event) => this.#apply(event));
  }

  /** Shows another filter, from its first page. */
  show(filter: UploadFilter): Promise<void> {
    this.filter = filter;
    return this.load();
  }

  /** Loads the first page of the current filter. */
  async load(): Promise<void> {
    const generation = ++this.#generation;
    this.tracks = null;
    this.error = null;
    try {
      const page = await this.#page();
      if (generation !== this.#generation) return;
      this.tracks = page.items;
      this.nextCursor = page.nextCursor;
      for (const event of this.#pending.splice(0)) this.#apply(event);
    } catch (failure) {
      if (generation !== this.#generation) return;
      this.error = errorMessage(failure);
      // The next load brings the list as it is then; what was held for this one is moot.
      this.#pending = [];
    }
  }

  /** Adds the next page. */
  async more(): Promise<void> {
    if (!this.nextCursor) return;
    const generation = this.#generation;
    try {
      const page = await this.#page(this.nextCursor);
      if (generation !== this.#generation) return;
      const known = new Set((this.tracks ?? []).map((track) => track.id));
      // A track pushed in before this page may be on it as well.
      this.tracks = [...(this.tracks ?? []), ...page.items.filter((track) => !known.has(track.id))];
      this.nextCursor = page.nextCursor;
    } catch (failure) {
      this.error = errorMessage(failure);
    }
  }

  /** Deletes a track for good; throws the API's error. */
  async remove(track: Track): Promise<void> {
    await this.#api.deleteTrack(track.id);
    this.tracks = (this.tracks ?? []).filter((candidate) => candidate.id !== track.id);
  }

  /** Follows the pushed statuses until {@link disconnect}. */
  connect(): void {
    this.#feed.connect();
  }

  /** Stops following the pushed statuses. */
  disconnect(): void {
    this.#feed.disconnect();
  }

  #page(cursor?: string) {
    const status = this.filter === 'all' ? undefined : this.filter;
    return this.#api.listTracks({ mine: true, limit: pageSize, cursor, status });
  }

  #apply(event: UploadStatusEvent): void {
    if (this.tracks === null) {
      this.#pending.push(event);
      return;
    }
    if (event.status === 'transcoding' && event.percent !== undefined) {
      this.percent = { ...this.percent, [event.trackId]: event.percent };
    }
    const change = applyUploadStatus(this.tracks, event, this.filter);
    this.tracks = change.tracks;
    if (change.fetch) void this.#fetch(change.fetch);
  }

  async #fetch(trackId: string): Promise<void> {
    const generation = this.#generation;
    try {
      const track = await this.#api.getTrack(trackId);
      if (generation !== this.#generation || this.tracks === null) return;
      this.tracks = upsertTrack(this.tracks, track, this.filter);
    } catch {
      // Gone again (deleted) or not visible: nothing to show.
    }
  }
}
