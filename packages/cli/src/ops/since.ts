const UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
const DURATION = /^(\d+)(s|m|h|d)$/;
const ISO_TIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?$/;

/**
 * The start of `--since`: a duration back from `now` (`30s`, `10m`, `2h`, `1d`) or an ISO time
 * (`2026-11-25T18:00:00Z`). `fail` builds the error thrown for anything else.
 *
 * @example
 * parseSince('10m', new Date('2026-11-25T18:10:00Z'), (m) => new Error(m)); // 2026-11-25T18:00:00.000Z
 */
export function parseSince(value: string, now: Date, fail: (message: string) => Error): Date {
  const duration = DURATION.exec(value.trim());
  if (duration) {
    const ms = Number(duration[1]) * UNIT_MS[duration[2] as keyof typeof UNIT_MS];
    if (Number.isSafeInteger(ms)) return new Date(now.getTime() - ms);
  }
  if (ISO_TIME.test(value.trim())) {
    const time = new Date(value.trim());
    if (!Number.isNaN(time.getTime())) return time;
  }
  throw fail(`--since must be a duration such as 30s, 10m, 2h or 1d, or an ISO time, not "${value}"`);
}
