import type { Track } from '@tonearm/contracts';
import type Hls from 'hls.js';
import { errorMessage } from '../api/api-error.ts';
import { api } from '../session.svelte.ts';
import { warmLadder } from './ladder-warmup.ts';
import { normalisedVolume } from './loudness.ts';
import { PlaybackUrls } from './playback-urls.ts';
import { PlayQueue, type RepeatMode } from './play-queue.ts';
import { RecoveryBudget } from './recovery-budget.ts';
import {
  levelFor,
  loadQuality,
  qualityOptions,
  saveQuality,
  type QualityChoice,
  type QualityOption,
} from './quality.ts';

const hlsType = 'application/vnd.apple.mpegurl';
/** How long before the end of a track the next one starts loading on the spare element. */
export const preloadLeadSeconds = 15;
/**
 * How long native HLS may sit `waiting`/`stalled` while playing and online before the player
 * treats the stream as broken (a refused segment often shows as an endless stall, not an error).
 */
export const stallRecoverMs = 4_000;

/** One `<audio>` element and what feeds it. */
interface Deck {
  audio: HTMLAudioElement;
  hls: Hls | null;
  /** The track loaded (or loading) on it, or null when empty. */
  trackId: string | null;
  peaks: number[] | null;
  /** Bumped on every load and reset, so late answers for an earlier source are dropped. */
  generation: number;
}

/** What `import('hls.js/light')` answers. */
interface HlsModule {
  default: typeof Hls;
}

function storage(): Storage | undefined {
  return typeof localStorage === 'undefined' ? undefined : localStorage;
}

/**
 * The player: the queue (mirrored from {@link PlayQueue} into runes state) and two `<audio>`
 * elements, each fed by native HLS where the browser has it and by hls.js (imported only when
 * something plays) elsewhere. One plays; the other loads the upcoming track
 * {@link preloadLeadSeconds} before the end, and takes over on `ended` (or a press of next) with
 * its first segments already buffered, so the change has no gap. Also: the waveform peaks of the
 * track playing, a manual quality choice kept in localStorage, loudness normalisation by volume
 * scaling, and Media Session metadata and actions.
 *
 * First audio after a click is kept short by starting on intent ({@link Player.prepare}, on a
 * pointer or focus reaching a play button): the playback URL is asked for (and reused by the
 * click), hls.js is imported, and the start rendition's playlists, init segment and first segment
 * are fetched into the HTTP cache. Playback starts on the lowest rendition (adaptive bitrate goes
 * up once the first segments measured the bandwidth) unless the listener chose one.
 * @example
 * player.playList(album.tracks, 0);
 */
class Player {
  #queue = new PlayQueue<Track>();
  #decks: Deck[] = [];
  #active = 0;
  #loadId = 0;
  #urls = new PlaybackUrls((trackId) => api.playback(trackId));
  #hlsModule: Promise<HlsModule> | null = null;
  /** The master URL last warmed, so a pointer moving about one button fetches its ladder once. */
  #warmed: string | null = null;
  #recoveries = new RecoveryBudget();
  /** Set when the recoveries ran out: play then starts the track again where it stopped. */
  #gaveUp = false;
  /** The pending stall check of the playing element, if any. */
  #stallTimer: ReturnType<typeof setTimeout> | null = null;
  /** Set while offline with a recovery owed: the `online` event pays it. */
  #recoverWhenOnline: (() => void) | null = null;

  items = $state<Track[]>([]);
  index = $state(-1);
  repeat = $state<RepeatMode>('off');
  shuffled = $state(false);
  playing = $state(false);
  loading = $state(false);
  currentTime = $state(0);
  duration = $state(0);
  volume = $state(0.8);
  error = $state<string | null>(null);
  /** Waveform peaks of the track playing (0..1), null while unknown or missing. */
  peaks = $state<number[] | null>(null);
  /** What the listener may choose: Auto, and each rendition where hls.js plays. */
  qualities = $state<QualityOption[]>(qualityOptions([]));
  quality = $state<QualityChoice>(loadQuality(storage()));
  /** The bitrate being played, when known. */
  bitrate = $state<number | null>(null);

  /** The track being played, or null. */
  get current(): Track | null {
    return this.items[this.index] ?? null;
  }

  /** Gives the player its audio elements (the player bar's): the first plays, the second preloads. */
  attach(audio: HTMLAudioElement, spare?: HTMLAudioElement): () => void {
    this.#decks = [audio, spare]
      .filter((element): element is HTMLAudioElement => element !== undefined)
      .map((element) => ({ audio: element, hls: null, trackId: null, peaks: null, generation: 0 }));
    this.#active = 0;
    this.#mark();
    for (const deck of this.#decks) this.#listen(deck.audio);
    this.#applyVolume();
    this.#bindMediaSession();
    return () => {
      for (const deck of this.#decks) this.#reset(deck);
      this.#decks = [];
    };
  }

  /**
   * Starts what playing `track` will need, before the click: its playback URL, hls.js where the
   * browser has no native HLS, and the first playlists and segments of the rendition playback
   * starts on. Called on intent (pointer over, focus or press on a play button); costs nothing
   * more when the click follows, since the click reuses all of it.
   */
  prepare(track: Track): void {
    if (track.status !== 'ready' || typeof window === 'undefined') return;
    if (!this.#nativeHls()) void this.#loadHls().catch(() => undefined);
    void this.#urls
      .get(track.id)
      .then(({ masterUrl }) => {
        // Once a deck loads the track (the click came before the URL), the player fetches the
        // same files itself: fetching them here as well would only race it for the same bytes.
        if (this.#warmed === masterUrl || this.#decks.some((deck) => deck.trackId === track.id)) return;
        this.#warmed = masterUrl;
        return warmLadder(masterUrl, this.quality);
      })
      // A warm-up that fails costs nothing: the click meets the failure again and reports it.
      .catch(() => undefined);
  }

  /** {@link prepare} for the track a press of next would play (unless the spare element already has it). */
  prepareUpcoming(): void {
    const upcoming = this.#queue.upcoming;
    if (upcoming && this.#spare?.trackId !== upcoming.id) this.prepare(upcoming);
  }

  /** Replaces the queue with `tracks` and plays from `start`. */
  playList(tracks: readonly Track[], start = 0): Promise<void> {
    const playable = tracks.filter((track) => track.status === 'ready');
    const first = tracks[start];
    const at = first ? Math.max(0, playable.indexOf(first)) : 0;
    this.#queue.replace(playable, at);
    this.#sync();
    return this.#load(true);
  }

  /** Appends a track to the queue (plays it when nothing was queued). */
  enqueue(track: Track): Promise<void> {
    const wasEmpty = this.#queue.current === null;
    this.#queue.add(track);
    this.#sync();
    return wasEmpty ? this.#load(true) : Promise.resolve();
  }

  toggle(): void {
    const audio = this.#audio;
    if (!audio || !this.current) return;
    if (audio.paused && (audio.error || this.#gaveUp)) {
      // The element failed (or the player gave up on it): play means start again where it was.
      this.#recoveries.reset();
      void this.#load(true, this.currentTime, { fresh: true });
    } else if (audio.paused) void audio.play().catch((error: unknown) => (this.error = errorMessage(error)));
    else audio.pause();
  }

  seek(seconds: number): void {
    const audio = this.#audio;
    if (!audio || !Number.isFinite(seconds)) return;
    audio.currentTime = Math.max(0, Math.min(seconds, this.duration || seconds));
    this.currentTime = audio.currentTime;
  }

  next(): Promise<void> {
    return this.#advance({});
  }

  /** Back to the start of the track after its first three seconds, otherwise to the previous track. */
  previous(): Promise<void> {
    if (this.currentTime > 3) {
      this.seek(0);
      return Promise.resolve();
    }
    this.#queue.previous();
    this.#sync();
    return this.#load(true);
  }

  jump(at: number): Promise<void> {
    this.#queue.jump(at);
    this.#sync();
    return this.#load(true);
  }

  move(from: number, to: number): void {
    this.#queue.move(from, to);
    this.#sync();
  }

  remove(at: number): void {
    const wasCurrent = at === this.#queue.index;
    this.#queue.remove(at);
    this.#sync();
    if (wasCurrent) void this.#load(this.playing);
  }

  setVolume(volume: number): void {
    this.volume = Math.min(1, Math.max(0, volume));
    this.#applyVolume();
  }

  /** Chooses a rendition (or Auto), kept for the next visit; applied at once where hls.js plays. */
  setQuality(choice: QualityChoice): void {
    this.quality = choice;
    saveQuality(storage(), choice);
    const hls = this.#decks[this.#active]?.hls;
    if (hls) hls.currentLevel = levelFor(choice, hls.levels);
  }

  cycleRepeat(): void {
    this.#queue.cycleRepeat();
    this.#sync();
  }

  toggleShuffle(): void {
    this.#queue.setShuffle(!this.#queue.shuffled);
    this.#sync();
  }

  /** Stops and forgets the sources (on sign out: media URLs stop being authorised anyway). */
  stop(): void {
    this.#loadId += 1;
    for (const deck of this.#decks) this.#reset(deck);
    this.#clearStall();
    this.#recoveries.reset();
    this.#urls.clear();
    this.#warmed = null;
    this.peaks = null;
    this.#queue.clear();
    this.#sync();
  }

  get #audio(): HTMLAudioElement | null {
    return this.#decks[this.#active]?.audio ?? null;
  }

  /** Whether the browser plays HLS itself (then hls.js is never loaded). */
  #nativeHls(): boolean {
    const audio = this.#audio ?? (typeof document === 'undefined' ? null : document.createElement('audio'));
    return Boolean(audio?.canPlayType(hlsType));
  }

  /**
   * hls.js, imported once (a separate chunk, so it stays out of the first page load); a failed
   * import is tried again next time. The light build: see `hls-light.d.ts`.
   */
  #loadHls(): Promise<HlsModule> {
    this.#hlsModule ??= import('hls.js/light').catch((error: unknown) => {
      this.#hlsModule = null;
      throw error;
    });
    return this.#hlsModule;
  }

  get #spare(): Deck | undefined {
    return this.#decks.length > 1 ? this.#decks[1 - this.#active] : undefined;
  }

  #listen(audio: HTMLAudioElement): void {
    const on = <K extends keyof HTMLMediaElementEventMap>(type: K, handler: () => void) =>
      audio.addEventListener(type, () => {
        if (audio === this.#audio) handler();
      });
    on('play', () => (this.playing = true));
    on('pause', () => {
      this.playing = false;
      this.#clearStall();
    });
    on('timeupdate', () => {
      if (audio.currentTime > this.currentTime) this.#clearStall();
      this.currentTime = audio.currentTime;
      if (this.current) this.#recoveries.played(this.current.id, audio.currentTime);
      if (this.duration > 0 && this.duration - audio.currentTime <= preloadLeadSeconds) this.#preloadUpcoming();
    });
    on('durationchange', () => (this.duration = Number.isFinite(audio.duration) ? audio.duration : 0));
    on('ended', () => void this.#advance({ ended: true }));
    // Native HLS only: hls.js reports its failures itself (see #feed), and its own stalls are its to fix.
    on('error', () => {
      const deck = this.#decks[this.#active];
      // Paused, nothing is lost yet: a press of play loads it again (see toggle).
      if (deck && !deck.hls && deck.trackId && audio.error && this.playing) this.#recover(deck, true);
    });
    on('waiting', () => this.#watchStall(audio));
    on('stalled', () => this.#watchStall(audio));
    on('playing', () => this.#clearStall());
    // The spare element failing while it preloads is forgotten: its track loads the ordinary way.
    audio.addEventListener('error', () => {
      const spare = this.#spare;
      if (spare?.audio === audio && spare.trackId && !spare.hls) {
        this.#urls.forget(spare.trackId);
        this.#reset(spare);
      }
    });
  }

  /**
   * Native HLS sitting still while it should play: if it has not moved on after
   * {@link stallRecoverMs} (and the browser is online; offline, the `online` event decides), the
   * stream counts as broken and is recovered.
   */
  #watchStall(audio: HTMLAudioElement): void {
    const deck = this.#decks[this.#active];
    if (!deck || deck.hls || !deck.trackId || !this.playing || this.loading || this.#stallTimer) return;
    const from = audio.currentTime;
    const generation = deck.generation;
    this.#stallTimer = setTimeout(() => {
      this.#stallTimer = null;
      if (deck.generation !== generation || audio !== this.#audio || audio.paused) return;
      if (audio.currentTime > from + 0.25) return;
      this.#recover(deck, true);
    }, stallRecoverMs);
  }

  #clearStall(): void {
    if (this.#stallTimer) clearTimeout(this.#stallTimer);
    this.#stallTimer = null;
  }

  /**
   * Gets the playing track going again after its stream failed (a network error, a refused or
   * expired media token, a stall): a fresh playback URL (never the kept one, which may be the
   * refused one), the same position, and playing again when it was. At most
   * {@link RecoveryBudget} attempts in a row, then a message in the player; offline, it waits for
   * the network to come back first.
   */
  #recover(deck: Deck, wasPlaying: boolean): void {
    const trackId = deck.trackId;
    if (!trackId || deck !== this.#decks[this.#active]) return;
    this.#clearStall();
    if (typeof navigator !== 'undefined' && navigator.onLine === false && typeof window !== 'undefined') {
      if (this.#recoverWhenOnline) return;
      const generation = deck.generation;
      this.#recoverWhenOnline = () => {
        this.#recoverWhenOnline = null;
        if (deck.generation === generation) this.#recover(deck, wasPlaying);
      };
      window.addEventListener('online', this.#recoverWhenOnline, { once: true });
      return;
    }
    const position = this.currentTime;
    if (!this.#recoveries.attempt(trackId, position)) {
      deck.hls?.destroy();
      deck.hls = null;
      deck.audio.pause();
      this.playing = false;
      this.#gaveUp = true;
      this.error = 'Playback stopped: the stream failed several times in a row. Press play to try again.';
      return;
    }
    void this.#load(wasPlaying, position, { fresh: true });
  }

  async #advance(options: { ended?: boolean }): Promise<void> {
    const next = this.#queue.next(options);
    this.#sync();
    if (next) await this.#load(true);
    else if (options.ended) this.playing = false;
  }

  #sync(): void {
    this.items = [...this.#queue.items];
    this.index = this.#queue.index;
    this.repeat = this.#queue.repeat;
    this.shuffled = this.#queue.shuffled;
  }

  /** Marks the playing element, so pages and tests can tell the two apart. */
  #mark(): void {
    this.#decks.forEach((deck, at) => {
      if (at === this.#active) deck.audio.dataset.active = 'true';
      else delete deck.audio.dataset.active;
    });
  }

  #reset(deck: Deck): void {
    deck.generation += 1;
    deck.hls?.destroy();
    deck.hls = null;
    deck.trackId = null;
    deck.peaks = null;
    deck.audio.pause();
    deck.audio.removeAttribute('src');
    deck.audio.load();
  }

  #preloadUpcoming(): void {
    const spare = this.#spare;
    const upcoming = this.#queue.upcoming;
    if (!spare || !upcoming || spare.trackId === upcoming.id) return;
    this.#reset(spare);
    spare.trackId = upcoming.id;
    const generation = spare.generation;
    void this.#feed(spare, upcoming, { autoplay: false, resumeAt: 0 }).catch(() => {
      // A preload that fails is forgotten: the track loads the ordinary way when its turn comes.
      if (spare.generation === generation) this.#reset(spare);
    });
  }

  /**
   * Loads the queue's current track on the playing element (or switches to the spare one that
   * preloaded it); `fresh` asks for a new playback URL instead of the kept one (a recovery).
   */
  async #load(autoplay: boolean, resumeAt = 0, options: { fresh?: boolean } = {}): Promise<void> {
    const track = this.#queue.current;
    const loadId = ++this.#loadId;
    this.error = null;
    this.#gaveUp = false;
    this.#clearStall();
    if (!options.fresh) this.#recoveries.reset(track?.id ?? null);
    if (track && options.fresh) this.#urls.forget(track.id);
    const spare = this.#spare;
    if (track && spare?.trackId === track.id && resumeAt === 0 && !options.fresh)
      return this.#switchTo(spare, autoplay);
    const deck = this.#decks[this.#active];
    if (!deck) return;
    this.#reset(deck);
    if (spare && spare.trackId !== this.#queue.upcoming?.id) this.#reset(spare);
    this.peaks = null;
    this.bitrate = null;
    if (!track) return;
    deck.trackId = track.id;
    this.loading = true;
    this.currentTime = resumeAt;
    this.duration = track.durationMs ? track.durationMs / 1000 : 0;
    this.#applyVolume();
    this.#updateMetadata(track);
    try {
      await this.#feed(deck, track, { autoplay, resumeAt });
    } catch (error) {
      if (loadId === this.#loadId && (error as Error).name !== 'AbortError') this.error = errorMessage(error);
    } finally {
      if (loadId === this.#loadId) this.loading = false;
    }
  }

  /** Hands playback to the preloaded element: it has the track buffered from its start. */
  async #switchTo(deck: Deck, autoplay: boolean): Promise<void> {
    const previous = this.#decks[this.#active];
    this.#active = this.#decks.indexOf(deck);
    this.#mark();
    if (previous) this.#reset(previous);
    const track = this.#queue.current!;
    this.peaks = deck.peaks;
    this.qualities = qualityOptions(deck.hls?.levels ?? []);
    this.currentTime = 0;
    this.duration = Number.isFinite(deck.audio.duration) ? deck.audio.duration : (track.durationMs ?? 0) / 1000;
    this.#applyVolume();
    this.#updateMetadata(track);
    if (!autoplay) return;
    try {
      await deck.audio.play();
    } catch (error) {
      if ((error as Error).name !== 'AbortError') this.error = errorMessage(error);
    }
  }

  /**
   * Points `deck` at the track's playback URL; plays when asked, then fetches its peaks (after
   * the first audio, so they do not compete with it for the edge).
   */
  async #feed(deck: Deck, track: Track, options: { autoplay: boolean; resumeAt: number }): Promise<void> {
    const { audio } = deck;
    const generation = deck.generation;
    const current = () => deck.generation === generation;
    const isActive = () => current() && deck === this.#decks[this.#active];
    // Usually asked for already by prepare(); hls.js is imported meanwhile, neither waits for the other.
    const playback = this.#urls.get(track.id);
    playback.catch(() => undefined);
    if (audio.canPlayType(hlsType)) {
      const { masterUrl } = await playback;
      if (!current()) return;
      audio.src = masterUrl;
      if (isActive()) this.qualities = qualityOptions([]);
      if (options.resumeAt > 0) audio.currentTime = options.resumeAt;
    } else {
      const { default: HlsPlayer } = await this.#loadHls();
      if (!current()) return;
      if (!HlsPlayer.isSupported()) throw new Error('This browser cannot play HLS audio.');
      const hls = new HlsPlayer({
        startPosition: options.resumeAt,
        // The lowest rendition first: its first segment is the smallest, so audio starts soonest;
        // adaptive bitrate moves up once the first segments measured the bandwidth.
        startLevel: 0,
        // The first segment loads without waiting for the MediaSource to open.
        startFragPrefetch: true,
      });
      deck.hls = hls;
      hls.on(HlsPlayer.Events.MANIFEST_PARSED, () => {
        if (!current()) return;
        const level = levelFor(this.quality, hls.levels);
        if (level >= 0) hls.currentLevel = level;
        if (isActive()) this.qualities = qualityOptions(hls.levels);
      });
      hls.on(HlsPlayer.Events.LEVEL_SWITCHED, (_event, data) => {
        if (isActive()) this.bitrate = hls.levels[data.level]?.bitrate ?? null;
      });
      hls.on(HlsPlayer.Events.ERROR, (_event, data) => {
        if (!data.fatal || !current()) return;
        if (!isActive()) {
          this.#reset(deck);
          return;
        }
        const status = data.response?.code;
        // An expired or ended media token: ask for a fresh URL and carry on where we were.
        if (status === 401 || status === 403) this.#recover(deck, !audio.paused);
        else if (data.type === HlsPlayer.ErrorTypes.NETWORK_ERROR) hls.startLoad();
        else if (data.type === HlsPlayer.ErrorTypes.MEDIA_ERROR) hls.recoverMediaError();
        else this.error = `Playback failed: ${data.details}`;
      });
      // The media first: its MediaSource opens (hls.js loads no segment before that) while the
      // playback URL may still be on its way.
      hls.attachMedia(audio);
      const { masterUrl } = await playback;
      if (!current()) return;
      hls.loadSource(masterUrl);
    }
    try {
      if (options.autoplay) await audio.play();
    } finally {
      if (current()) this.#fetchPeaks(deck, track, isActive);
    }
  }

  #fetchPeaks(deck: Deck, track: Track, isActive: () => boolean): void {
    const generation = deck.generation;
    void api.waveform(track.id).then(
      ({ peaks }) => {
        if (deck.generation !== generation) return;
        deck.peaks = peaks.length > 0 ? peaks : null;
        if (isActive()) this.peaks = deck.peaks;
      },
      () => undefined,
    );
  }

  #applyVolume(): void {
    const audio = this.#audio;
    if (audio) audio.volume = normalisedVolume(this.volume, this.#queue.current?.loudness?.gainDb);
  }

  #updateMetadata(track: Track): void {
    if (typeof navigator === 'undefined' || !('mediaSession' in navigator)) return;
    navigator.mediaSession.metadata = new MediaMetadata({
      title: track.title,
      artist: track.artist?.name ?? '',
      album: track.album?.title ?? '',
      artwork: track.hasCover ? [{ src: `/api/tracks/${track.id}/cover` }] : [],
    });
  }

  #bindMediaSession(): void {
    if (typeof navigator === 'undefined' || !('mediaSession' in navigator)) return;
    const actions: [MediaSessionAction, MediaSessionActionHandler][] = [
      ['play', () => this.toggle()],
      ['pause', () => this.toggle()],
      ['nexttrack', () => void this.next()],
      ['previoustrack', () => void this.previous()],
      ['seekto', (details) => this.seek(details.seekTime ?? 0)],
      ['seekbackward', (details) => this.seek(this.currentTime - (details.seekOffset ?? 10))],
      ['seekforward', (details) => this.seek(this.currentTime + (details.seekOffset ?? 10))],
    ];
    for (const [action, handler] of actions) {
      try {
        navigator.mediaSession.setActionHandler(action, handler);
      } catch {
        // Browsers refuse the actions they do not support; the others still work.
      }
    }
  }
}

/** The app's one player. */
export const player = new Player();
