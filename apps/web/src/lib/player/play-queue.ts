/** What happens at the end of the queue: stop, start again, or repeat the current track. */
export type RepeatMode = 'off' | 'all' | 'one';

/**
 * The listening queue: an ordered list with a current position, shuffle and repeat. Plain
 * TypeScript (no runes) so it is tested without a compiler; `player.svelte.ts` mirrors it into
 * reactive state. The current track stays current through reorders, removals and shuffling.
 * @example
 * const sut = new PlayQueue<Track>();
 * sut.replace(album.tracks, 2);
 * sut.next(); // the fourth track
 */
export class PlayQueue<T extends { id: string }> {
  #items: T[] = [];
  #index = -1;
  #repeat: RepeatMode = 'off';
  #unshuffled: T[] | null = null;
  #random: () => number;

  /** `random` returns [0, 1) like `Math.random`; tests pass a seeded one. */
  constructor(options: { random?: () => number } = {}) {
    this.#random = options.random ?? Math.random;
  }

  /** The tracks in play order. */
  get items(): readonly T[] {
    return this.#items;
  }

  /** Position of the current track, -1 when the queue is empty. */
  get index(): number {
    return this.#index;
  }

  /** The current track, or null. */
  get current(): T | null {
    return this.#items[this.#index] ?? null;
  }

  get repeat(): RepeatMode {
    return this.#repeat;
  }

  get shuffled(): boolean {
    return this.#unshuffled !== null;
  }

  /** The track that {@link next} would move to on its own (for preloading), or null. */
  get upcoming(): T | null {
    if (this.#index < 0) return null;
    if (this.#repeat === 'one') return this.current;
    const following = this.#index + 1;
    if (following < this.#items.length) return this.#items[following] ?? null;
    return this.#repeat === 'all' ? (this.#items[0] ?? null) : null;
  }

  /** Replaces the queue with `items`, starting at `start`. Shuffle is kept on, around the start track. */
  replace(items: readonly T[], start = 0): T | null {
    this.#items = [...items];
    this.#index = items.length === 0 ? -1 : Math.min(Math.max(0, start), items.length - 1);
    if (this.#unshuffled !== null) {
      this.#unshuffled = null;
      this.setShuffle(true);
    }
    return this.current;
  }

  /** Appends tracks at the end; the first one added becomes current when the queue was empty. */
  add(...items: T[]): void {
    this.#items.push(...items);
    this.#unshuffled?.push(...items);
    if (this.#index < 0 && this.#items.length > 0) this.#index = 0;
  }

  /** Inserts tracks right after the current one. */
  playNext(...items: T[]): void {
    this.#items.splice(this.#index + 1, 0, ...items);
    this.#unshuffled?.push(...items);
    if (this.#index < 0 && this.#items.length > 0) this.#index = 0;
  }

  /** Moves the track at `from` to `to`; the current track stays current. Out-of-range positions are ignored. */
  move(from: number, to: number): void {
    if (!this.#valid(from) || !this.#valid(to) || from === to) return;
    const [item] = this.#items.splice(from, 1);
    this.#items.splice(to, 0, item as T);
    if (this.#index === from) this.#index = to;
    else if (from < this.#index && to >= this.#index) this.#index -= 1;
    else if (from > this.#index && to <= this.#index) this.#index += 1;
  }

  /** Removes the track at `at`. Removing the current track makes the following one current. */
  remove(at: number): void {
    if (!this.#valid(at)) return;
    const [removed] = this.#items.splice(at, 1);
    if (this.#unshuffled) this.#unshuffled = this.#unshuffled.filter((item) => item !== removed);
    if (at < this.#index) this.#index -= 1;
    if (this.#items.length === 0) this.#index = -1;
    else if (this.#index >= this.#items.length) this.#index = this.#repeat === 'all' ? 0 : this.#items.length - 1;
  }

  /** Empties the queue. */
  clear(): void {
    this.#items = [];
    this.#unshuffled = this.#unshuffled ? [] : null;
    this.#index = -1;
  }

  /** Makes the track at `at` current. */
  jump(at: number): T | null {
    if (this.#valid(at)) this.#index = at;
    return this.current;
  }

  /**
   * Moves on. `ended: true` is the player reaching the end of a track, where repeat-one plays it
   * again; the next button skips even then. Null at the end of the queue without repeat.
   */
  next(options: { ended?: boolean } = {}): T | null {
    if (this.#index < 0) return null;
    if (options.ended && this.#repeat === 'one') return this.current;
    if (this.#index + 1 < this.#items.length) this.#index += 1;
    else if (this.#repeat !== 'off') this.#index = 0;
    else return null;
    return this.current;
  }

  /** Moves back one track; from the first, to the last with repeat-all, otherwise stays on the first. */
  previous(): T | null {
    if (this.#index < 0) return null;
    if (this.#index > 0) this.#index -= 1;
    else if (this.#repeat === 'all') this.#index = this.#items.length - 1;
    return this.current;
  }

  setRepeat(mode: RepeatMode): void {
    this.#repeat = mode;
  }

  /** Off → all → one → off, as a single repeat button cycles. */
  cycleRepeat(): RepeatMode {
    this.#repeat = this.#repeat === 'off' ? 'all' : this.#repeat === 'all' ? 'one' : 'off';
    return this.#repeat;
  }

  /** Shuffles everything but the current track, which moves first; off restores the order tracks were added in. */
  setShuffle(on: boolean): void {
    if (on === this.shuffled) return;
    const current = this.current;
    if (on) {
      this.#unshuffled = [...this.#items];
      const rest = this.#items.filter((_, at) => at !== this.#index);
      for (let at = rest.length - 1; at > 0; at -= 1) {
        const other = Math.floor(this.#random() * (at + 1));
        [rest[at], rest[other]] = [rest[other] as T, rest[at] as T];
      }
      this.#items = current ? [current, ...rest] : rest;
      this.#index = current ? 0 : -1;
    } else {
      this.#items = this.#unshuffled ?? this.#items;
      this.#unshuffled = null;
      this.#index = current ? this.#items.indexOf(current) : -1;
    }
  }

  #valid(at: number): boolean {
    return Number.isInteger(at) && at >= 0 && at < this.#items.length;
  }
}
