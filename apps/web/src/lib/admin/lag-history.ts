/** One consumer's backlog at one moment: messages not yet delivered plus those in flight. */
export interface LagSample {
  atMs: number;
  pending: number;
  ackPending: number;
}

/**
 * The backlog of each consumer over the last `windowMs` (an hour by default), kept in memory
 * from the status polls of the admin page.
 *
 * @example
 * const history = new LagHistory();
 * history.add(Date.now(), [{ name: 'transcoder', pending: 3, ackPending: 1 }]);
 * history.samples('transcoder');
 */
export class LagHistory {
  readonly windowMs: number;
  #samples = new Map<string, LagSample[]>();

  constructor(windowMs = 3_600_000) {
    if (!(windowMs > 0)) throw new RangeError(`windowMs must be positive, not ${windowMs}`);
    this.windowMs = windowMs;
  }

  /** Records one poll; samples older than the window are dropped from every consumer. */
  add(atMs: number, consumers: readonly { name: string; pending: number; ackPending: number }[]): void {
    for (const { name, pending, ackPending } of consumers) {
      let list = this.#samples.get(name);
      if (!list) this.#samples.set(name, (list = []));
      list.push({ atMs, pending, ackPending });
    }
    const oldest = atMs - this.windowMs;
    for (const [name, list] of this.#samples) {
      const keepFrom = list.findIndex((sample) => sample.atMs >= oldest);
      if (keepFrom === -1) this.#samples.delete(name);
      else if (keepFrom > 0) list.splice(0, keepFrom);
    }
  }

  /** The samples of one consumer, oldest first (empty when never seen or all too old). */
  samples(name: string): readonly LagSample[] {
    return this.#samples.get(name) ?? [];
  }

  /** The largest backlog (pending plus in flight) of one consumer in the window. */
  peak(name: string): number {
    return this.samples(name).reduce((max, s) => Math.max(max, s.pending + s.ackPending), 0);
  }
}

/**
 * The SVG path of a sparkline of `values` in a `width` × `height` box: time left to right, the
 * largest value at the top, zero at the bottom. Empty for no values; a flat line for one.
 *
 * @example
 * <path d={sparklinePath([0, 3, 1], 120, 24)} />
 */
export function sparklinePath(values: readonly number[], width: number, height: number): string {
  if (values.length === 0) return '';
  const max = Math.max(1, ...values);
  const step = values.length === 1 ? 0 : width / (values.length - 1);
  const point = (value: number, i: number) =>
    `${round(values.length === 1 ? width : i * step)},${round(height - (value / max) * height)}`;
  const first = values.length === 1 ? `M0,${round(height - (values[0]! / max) * height)} L` : 'M';
  return `${first}${values.map(point).join(' L')}`;
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}
