import type {
  AlbumSummary,
  ArtistSummary,
  CompleteUploadResponse,
  CreateUploadResponse,
  UploadState,
  LoginResponse,
  PlaybackResponse,
  DeadLetterResponse,
  JourneyResponse,
  ListDeadLettersResponse,
  OpsStatusResponse,
  RetryDeadLetterResponse,
  RegisterResponse,
  TokenPairResponse,
  Track,
  User,
  WaveformResponse,
} from '@tonearm/contracts';
import { networkError, toApiError } from './api-error.ts';
import { refreshDelayMs } from './token-schedule.ts';

/** One page of a list. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** An album with its tracks. */
export type AlbumDetail = AlbumSummary & { tracks: Track[] };

/** An artist with their albums and tracks. */
export type ArtistDetail = ArtistSummary & { albums: AlbumSummary[]; tracks: Track[] };

/** The answer of `GET /api/search`. */
export interface SearchResults {
  tracks: Track[];
  albums: AlbumSummary[];
  artists: ArtistSummary[];
}

/** The query of `GET /api/tracks`. */
export type TrackQuery = {
  q?: string;
  artistId?: string;
  albumId?: string;
  mine?: boolean;
  status?: Track['status'];
  limit?: number;
  cursor?: string;
};

/** What the client needs from its surroundings, so tests can give it fakes of the browser. */
export interface ApiClientOptions {
  fetch?: typeof fetch;
  /** Where the refresh token survives a reload; none keeps it in memory only. */
  storage?: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;
  setTimer?: (callback: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
  /** Told whenever the signed-in user changes (null: signed out). */
  onUserChange?: (user: User | null) => void;
}

const refreshTokenKey = 'tonearm.refreshToken';

/**
 * A typed client of the edge's public API on the same origin. The access token lives in memory,
 * the refresh token in `storage`; the pair is renewed in the background before the access token
 * expires and once on a 401, so a long listening session is never interrupted. Every failure is
 * an {@link ApiRequestError} with a message fit to show.
 * @example
 * const api = new ApiClient({ storage: localStorage });
 * await api.login({ email, password });
 * const { items } = await api.listTracks({ limit: 20 });
 */
export class ApiClient {
  #fetch: typeof fetch;
  #storage: ApiClientOptions['storage'];
  #setTimer: NonNullable<ApiClientOptions['setTimer']>;
  #clearTimer: NonNullable<ApiClientOptions['clearTimer']>;
  #onUserChange: ApiClientOptions['onUserChange'];
  #accessToken: string | null = null;
  #memoryRefreshToken: string | null = null;
  #refreshTimer: unknown = null;
  #refreshing: Promise<boolean> | null = null;
  #user: User | null = null;

  constructor(options: ApiClientOptions = {}) {
    this.#fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.#storage = options.storage;
    this.#setTimer = options.setTimer ?? ((callback, ms) => setTimeout(callback, ms));
    this.#clearTimer = options.clearTimer ?? ((handle) => clearTimeout(handle as ReturnType<typeof setTimeout>));
    this.#onUserChange = options.onUserChange;
  }

  /** The signed-in user, or null. */
  get user(): User | null {
    return this.#user;
  }

  /** True when a refresh token is kept (a session may be resumed). */
  get hasSession(): boolean {
    return this.#storage?.getItem(refreshTokenKey) != null || this.#accessToken !== null;
  }

  /** Resumes a session kept from a previous visit: renews the pair and loads the user. Null when there is none. */
  async resume(): Promise<User | null> {
    if (!this.#storage?.getItem(refreshTokenKey)) return null;
    if (!(await this.refresh())) return null;
    return this.me();
  }

  /** `POST /api/auth/register`: creates an account (does not sign in). */
  register(input: { email: string; password: string; displayName: string }): Promise<RegisterResponse> {
    return this.#request('POST', '/api/auth/register', { body: input, auth: false });
  }

  /** `POST /api/auth/login`: signs in and keeps the tokens. */
  async login(input: { email: string; password: string }): Promise<User> {
    const answer = await this.#request<LoginResponse>('POST', '/api/auth/login', { body: input, auth: false });
    this.#keep(answer);
    this.#setUser(answer.user);
    return answer.user;
  }

  /** `POST /api/auth/refresh`, deduplicated: false (and signed out) when the session is over. */
  refresh(): Promise<boolean> {
    this.#refreshing ??= this.#renew().finally(() => {
      this.#refreshing = null;
    });
    return this.#refreshing;
  }

  /** `POST /api/auth/logout`: ends the session on the server, then forgets the tokens whatever the answer. */
  async logout(): Promise<void> {
    try {
      if (this.#accessToken) await this.#request('POST', '/api/auth/logout', { retry: false });
    } finally {
      this.#forget();
    }
  }

  /** `GET /api/me`. */
  async me(): Promise<User> {
    const user = await this.#request<User>('GET', '/api/me');
    this.#setUser(user);
    return user;
  }

  /** `GET /api/tracks`, newest first. */
  listTracks(query: TrackQuery = {}): Promise<Page<Track>> {
    return this.#request('GET', `/api/tracks${queryString(query)}`);
  }

  /** `GET /api/tracks/:id`. */
  getTrack(id: string): Promise<Track> {
    return this.#request('GET', `/api/tracks/${encodeURIComponent(id)}`);
  }

  /** `GET /api/albums`. */
  listAlbums(query: { limit?: number; cursor?: string } = {}): Promise<Page<AlbumSummary>> {
    return this.#request('GET', `/api/albums${queryString(query)}`);
  }

  /** `GET /api/albums/:id` with its tracks. */
  getAlbum(id: string): Promise<AlbumDetail> {
    return this.#request('GET', `/api/albums/${encodeURIComponent(id)}`);
  }

  /** `GET /api/artists`. */
  listArtists(query: { limit?: number; cursor?: string } = {}): Promise<Page<ArtistSummary>> {
    return this.#request('GET', `/api/artists${queryString(query)}`);
  }

  /** `GET /api/artists/:id` with albums and tracks. */
  getArtist(id: string): Promise<ArtistDetail> {
    return this.#request('GET', `/api/artists/${encodeURIComponent(id)}`);
  }

  /** `GET /api/search?q=`, typo-tolerant. */
  search(q: string, options: { signal?: AbortSignal } = {}): Promise<SearchResults> {
    return this.#request('GET', `/api/search${queryString({ q })}`, { signal: options.signal });
  }

  /** `GET /api/tracks/:id/playback`: the tokenised HLS master URL. */
  playback(trackId: string): Promise<PlaybackResponse> {
    return this.#request('GET', `/api/tracks/${encodeURIComponent(trackId)}/playback`);
  }

  /** `GET /api/tracks/:id/waveform`: peaks between 0 and 1. */
  waveform(trackId: string): Promise<WaveformResponse> {
    return this.#request('GET', `/api/tracks/${encodeURIComponent(trackId)}/waveform`);
  }

  /** `POST /api/uploads`: an upload session with presigned part URLs; 409 `conflict` with `details.trackId` for a duplicate. */
  createUpload(input: {
    filename: string;
    size: number;
    contentType?: string;
    sha256?: string;
  }): Promise<CreateUploadResponse> {
    return this.#request('POST', '/api/uploads', { body: input });
  }

  /** `GET /api/uploads/:uploadId`: the parts received and fresh URLs for the missing ones, to resume. */
  getUpload(uploadId: string): Promise<UploadState> {
    return this.#request('GET', `/api/uploads/${encodeURIComponent(uploadId)}`);
  }

  /** `POST /api/uploads/:uploadId/complete` with every part's ETag. */
  completeUpload(uploadId: string, parts: { partNumber: number; etag: string }[]): Promise<CompleteUploadResponse> {
    return this.#request('POST', `/api/uploads/${encodeURIComponent(uploadId)}/complete`, { body: { parts } });
  }

  /** `DELETE /api/uploads/:uploadId`: aborts the session, its parts are discarded. */
  abortUpload(uploadId: string): Promise<void> {
    return this.#request('DELETE', `/api/uploads/${encodeURIComponent(uploadId)}`);
  }

  /** `DELETE /api/tracks/:id` (owner or admin). */
  deleteTrack(id: string): Promise<void> {
    return this.#request('DELETE', `/api/tracks/${encodeURIComponent(id)}`);
  }

  /**
   * `GET /api/uploads/events`: the open Server-Sent Events stream of the caller's uploads, read
   * with fetch because EventSource cannot send the bearer token.
   */
  uploadEvents(options: { signal?: AbortSignal } = {}): Promise<ReadableStream<Uint8Array>> {
    return this.#openEventStream('/api/uploads/events', options.signal);
  }

  /** `GET /api/ops/status` (admins): services, instances, streams and consumers, dead letters. */
  opsStatus(options: { signal?: AbortSignal } = {}): Promise<OpsStatusResponse> {
    return this.#request('GET', '/api/ops/status', { signal: options.signal });
  }

  /** `GET /api/ops/dead-letters` (admins), newest first. */
  listDeadLetters(query: { consumer?: string; limit?: number } = {}): Promise<ListDeadLettersResponse> {
    return this.#request('GET', `/api/ops/dead-letters${queryString(query)}`);
  }

  /** `GET /api/ops/dead-letters/:seq` (admins): with the original message. */
  getDeadLetter(seq: number): Promise<DeadLetterResponse> {
    return this.#request('GET', `/api/ops/dead-letters/${seq}`);
  }

  /** `POST /api/ops/dead-letters/:seq/retry` (admins): the original goes back onto its subject. */
  retryDeadLetter(seq: number): Promise<RetryDeadLetterResponse> {
    return this.#request('POST', `/api/ops/dead-letters/${seq}/retry`);
  }

  /** `DELETE /api/ops/dead-letters/:seq` (admins). */
  dropDeadLetter(seq: number): Promise<void> {
    return this.#request('DELETE', `/api/ops/dead-letters/${seq}`);
  }

  /** `GET /api/ops/journey/:correlationId` (admins): every stored event of one upload, oldest first. */
  journey(correlationId: string): Promise<JourneyResponse> {
    return this.#request('GET', `/api/ops/journey/${encodeURIComponent(correlationId)}`);
  }

  /**
   * `GET /api/events?subject=` (admins): the open Server-Sent Events stream of the bus, read with
   * fetch so the access token travels in the Authorization header (EventSource cannot send it).
   */
  busEvents(options: { subject?: string; signal?: AbortSignal } = {}): Promise<ReadableStream<Uint8Array>> {
    return this.#openEventStream(`/api/events${queryString({ subject: options.subject })}`, options.signal);
  }

  async #openEventStream(path: string, signal: AbortSignal | undefined): Promise<ReadableStream<Uint8Array>> {
    const open = () =>
      this.#fetch(path, {
        headers: { accept: 'text/event-stream', authorization: `Bearer ${this.#accessToken ?? ''}` },
        signal,
      });
    let response: Response;
    try {
      response = await open();
      if (response.status === 401 && (await this.refresh())) response = await open();
    } catch (error) {
      if ((error as Error).name === 'AbortError') throw error;
      throw networkError(error);
    }
    if (!response.ok || !response.body) {
      const body: unknown = await response.json().catch(() => null);
      throw toApiError(response.status, body, response.headers.get('retry-after'));
    }
    return response.body;
  }

  /** Stops the background renewal (the tokens stay). */
  dispose(): void {
    this.#cancelTimer();
  }

  async #renew(): Promise<boolean> {
    const refreshToken = this.#storage?.getItem(refreshTokenKey) ?? this.#memoryRefreshToken;
    if (!refreshToken) return false;
    try {
      const pair = await this.#request<TokenPairResponse>('POST', '/api/auth/refresh', {
        body: { refreshToken },
        auth: false,
      });
      this.#keep(pair);
      return true;
    } catch (error) {
      // A spent or unknown refresh token ends the session; a network failure keeps it for the next try.
      if ((error as { code?: string }).code !== 'network') this.#forget();
      return false;
    }
  }

  #keep(pair: TokenPairResponse): void {
    this.#accessToken = pair.accessToken;
    if (this.#storage) this.#storage.setItem(refreshTokenKey, pair.refreshToken);
    else this.#memoryRefreshToken = pair.refreshToken;
    this.#cancelTimer();
    this.#refreshTimer = this.#setTimer(() => void this.refresh(), refreshDelayMs(pair.expiresIn));
  }

  #forget(): void {
    this.#cancelTimer();
    this.#accessToken = null;
    this.#memoryRefreshToken = null;
    this.#storage?.removeItem(refreshTokenKey);
    this.#setUser(null);
  }

  #setUser(user: User | null): void {
    this.#user = user;
    this.#onUserChange?.(user);
  }

  #cancelTimer(): void {
    if (this.#refreshTimer !== null) this.#clearTimer(this.#refreshTimer);
    this.#refreshTimer = null;
  }

  async #request<T>(
    method: string,
    path: string,
    options: { body?: unknown; auth?: boolean; retry?: boolean; signal?: AbortSignal } = {},
  ): Promise<T> {
    const auth = options.auth ?? true;
    const send = () => {
      const headers: Record<string, string> = { accept: 'application/json' };
      if (options.body !== undefined) headers['content-type'] = 'application/json';
      if (auth && this.#accessToken) headers.authorization = `Bearer ${this.#accessToken}`;
      return this.#fetch(path, {
        method,
        headers,
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
        signal: options.signal,
      });
    };
    let response: Response;
    try {
      response = await send();
      if (response.status === 401 && auth && this.#accessToken && options.retry !== false) {
        if (await this.refresh()) response = await send();
      }
    } catch (error) {
      if ((error as Error).name === 'AbortError') throw error;
      throw networkError(error);
    }
    if (response.status === 204) return undefined as T;
    const body: unknown = await response.json().catch(() => null);
    if (!response.ok) throw toApiError(response.status, body, response.headers.get('retry-after'));
    return body as T;
  }
}

/** `?a=1&b=2` from the defined values of `query`, or an empty string. */
export function queryString(query: Record<string, string | number | boolean | undefined>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query))
    if (value !== undefined && value !== '') params.set(key, String(value));
  const text = params.toString();
  return text ? `?${text}` : '';
}
