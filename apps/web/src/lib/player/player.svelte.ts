import type { Track } from '@tonearm/contracts';
import type Hls from 'hls.js';
import { errorMessage } from '../api/api-error.ts';
import { api } from '../session.svelte.ts';
import { normalisedVolume } from './loudness.ts';
import { PlayQueue, type RepeatMode } from './play-queue.ts';

const hlsType = 'application/vnd.apple.mpegurl';

/**
 * The player: the queue (mirrored from {@link PlayQueue} into runes state), one `<audio>` element
 * fed by native HLS where the browser has it and by hls.js (imported only when something plays)
 * elsewhere, loudness normalisation by volume scaling, and Media Session metadata and actions.
 * @example
 * player.playList(album.tracks, 0);
 */
class Player {
  #queue = new PlayQueue<Track>();
  #audio: HTMLAudioElement | null = null;
  #hls: Hls | null = null;
  #loadId = 0;

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

  /** The track being played, or null. */
  get current(): Track | null {
    return this.items[this.index] ?? null;
  }

  /** Gives the player its audio element (the player bar's). */
  attach(audio: HTMLAudioElement): () => void {
    this.#audio = audio;
    const on = <K extends keyof HTMLMediaElementEventMap>(type: K, handler: () => void) =>
      audio.addEventListener(type, handler);
    on('play', () => (this.playing = true));
    on('pause', () => (this.playing = false));
    on('timeupdate', () => (this.currentTime = audio.currentTime));
    on('durationchange', () => (this.duration = Number.isFinite(audio.duration) ? audio.duration : 0));
    on('ended', () => void this.#advance({ ended: true }));
    this.#applyVolume();
    this.#bindMediaSession();
    return () => {
      this.#hls?.destroy();
      this.#hls = null;
      this.#audio = null;
    };
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
    if (audio.paused) void audio.play().catch((error: unknown) => (this.error = errorMessage(error)));
    else audio.pause();
  }

  seek(seconds: number): void {
    if (!this.#audio || !Number.isFinite(seconds)) return;
    this.#audio.currentTime = Math.max(0, Math.min(seconds, this.duration || seconds));
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

  cycleRepeat(): void {
    this.#queue.cycleRepeat();
    this.#sync();
  }

  toggleShuffle(): void {
    this.#queue.setShuffle(!this.#queue.shuffled);
    this.#sync();
  }

  /** Stops and forgets the source (on sign out: media URLs stop being authorised anyway). */
  stop(): void {
    this.#loadId += 1;
    this.#hls?.destroy();
    this.#hls = null;
    this.#audio?.pause();
    this.#audio?.removeAttribute('src');
    this.#audio?.load();
    this.#queue.clear();
    this.#sync();
  }

  async #advance(options: { ended?: boolean }): Promise<void> {
    const next = this.#queue.next(options);
    this.#sync();
    if (next) await this.#load(true);
  }

  #sync(): void {
    this.items = [...this.#queue.items];
    this.index = this.#queue.index;
    this.repeat = this.#queue.repeat;
    this.shuffled = this.#queue.shuffled;
  }

  async #load(autoplay: boolean, resumeAt = 0): Promise<void> {
    const audio = this.#audio;
    const track = this.#queue.current;
    const loadId = ++this.#loadId;
    this.#hls?.destroy();
    this.#hls = null;
    this.error = null;
    if (!audio || !track) return;
    this.loading = true;
    this.currentTime = resumeAt;
    this.#applyVolume();
    this.#updateMetadata(track);
    try {
      const { masterUrl } = await api.playback(track.id);
      if (loadId !== this.#loadId) return;
      if (audio.canPlayType(hlsType)) {
        audio.src = masterUrl;
      } else {
        const { default: HlsPlayer } = await import('hls.js');
        if (loadId !== this.#loadId) return;
        if (!HlsPlayer.isSupported()) throw new Error('This browser cannot play HLS audio.');
        const hls = new HlsPlayer({ startPosition: resumeAt });
        this.#hls = hls;
        hls.on(HlsPlayer.Events.ERROR, (_event, data) => {
          if (!data.fatal || loadId !== this.#loadId) return;
          const status = data.response?.code;
          // An expired or ended media token: ask for a fresh URL and carry on where we were.
          if (status === 401 || status === 403) void this.#load(!audio.paused, audio.currentTime);
          else if (data.type === HlsPlayer.ErrorTypes.NETWORK_ERROR) hls.startLoad();
          else if (data.type === HlsPlayer.ErrorTypes.MEDIA_ERROR) hls.recoverMediaError();
          else this.error = `Playback failed: ${data.details}`;
        });
        hls.loadSource(masterUrl);
        hls.attachMedia(audio);
      }
      if (resumeAt > 0 && !this.#hls) audio.currentTime = resumeAt;
      if (autoplay) await audio.play();
    } catch (error) {
      if (loadId === this.#loadId && (error as Error).name !== 'AbortError') this.error = errorMessage(error);
    } finally {
      if (loadId === this.#loadId) this.loading = false;
    }
  }

  #applyVolume(): void {
    if (this.#audio) this.#audio.volume = normalisedVolume(this.volume, this.#queue.current?.loudness?.gainDb);
  }

  #updateMetadata(track: Track): void {
    if (typeof navigator === 'undefined' || !('mediaSession' in navigator)) return;
    navigator.mediaSession.metadata = new MediaMetadata({
      title: track.title,
      artist: track.artist?.name ?? '',
      album: track.album?.title ?? '',
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
