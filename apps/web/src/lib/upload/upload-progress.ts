/** What the progress of one file is computed from. */
export interface FileProgress {
  size: number;
  /** Bytes the object store has taken so far (parts done plus parts in flight). */
  sent: number;
}

/** Overall progress of many files. */
export interface OverallProgress {
  sent: number;
  total: number;
  /** 0 to 1; 1 when there is nothing to send. */
  fraction: number;
}

/**
 * The bytes sent of a file: every finished part counts whole, a part in flight counts what its
 * request has sent, never more than the file.
 *
 * @example
 * bytesSent(100, { 1: 50 }, { 2: 20 }) // 70
 */
export function bytesSent(
  size: number,
  finished: Readonly<Record<number, number>>,
  inFlight: Readonly<Record<number, number>>,
): number {
  let sent = 0;
  for (const bytes of Object.values(finished)) sent += bytes;
  for (const [part, bytes] of Object.entries(inFlight)) if (!(part in finished)) sent += bytes;
  return Math.min(size, sent);
}

/**
 * The overall progress of `files`, weighted by size so one big file is not outweighed by many
 * small ones.
 *
 * @example
 * overallProgress([{ size: 100, sent: 100 }, { size: 300, sent: 0 }]) // { sent: 100, total: 400, fraction: 0.25 }
 */
export function overallProgress(files: readonly FileProgress[]): OverallProgress {
  let sent = 0;
  let total = 0;
  for (const file of files) {
    sent += Math.min(file.sent, file.size);
    total += file.size;
  }
  return { sent, total, fraction: total === 0 ? 1 : sent / total };
}

/**
 * A byte count for people: `512 B`, `1.5 MB`.
 *
 * @example
 * formatBytes(1_572_864) // '1.5 MB'
 */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}
