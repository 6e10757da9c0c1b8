import type { StreamedEvent } from '@tonearm/bus';

/** Fields shown on an event's line when its data has them, in this order (`tags` are looked into too). */
const KEY_FIELDS = [
  'trackId',
  'userId',
  'ownerId',
  'title',
  'artist',
  'album',
  'percent',
  'durationMs',
  'consumer',
  'reason',
  'error',
  'duplicateOf',
] as const;
const MAX_VALUE_COLUMNS = 80;

function shown(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value !== 'string') return undefined;
  const line = value.split('\n', 1)[0]!.trim();
  const short = line.length > MAX_VALUE_COLUMNS ? `${line.slice(0, MAX_VALUE_COLUMNS - 1)}…` : line;
  return /^[\w:./@-]+$/.test(short) ? short : JSON.stringify(short);
}

function keyFields(data: unknown): string[] {
  if (typeof data !== 'object' || data === null) return [];
  const record = data as Record<string, unknown>;
  const tags = typeof record.tags === 'object' && record.tags !== null ? (record.tags as Record<string, unknown>) : {};
  const fields: string[] = [];
  for (const key of KEY_FIELDS) {
    const value = shown(record[key] ?? tags[key]);
    if (value !== undefined) fields.push(`${key}=${value}`);
  }
  return fields;
}

/**
 * One event as one readable line: when it was stored, its type, the first 8 characters of its
 * correlation id and the data fields an operator looks for (track, user, title, reason...).
 * A message that is not an event says so, with its subject and place in its stream.
 *
 * @example
 * formatEventLine(streamed)
 * // '2026-11-25T18:00:01.234Z transcode.failed.v1 corr=3f2a9c1b trackId=7d4e… reason="not an audio file"'
 */
export function formatEventLine({ storedAt, event, subject, stream, seq }: StreamedEvent): string {
  const time = storedAt.toISOString();
  if (!event) return `${time} (not an event) ${subject} ${stream}#${seq}`;
  return [time, event.type, `corr=${event.correlationId.slice(0, 8)}`, ...keyFields(event.data)].join(' ');
}

/**
 * One event as one line of JSON for scripts: the whole event with where it is stored.
 *
 * @example
 * JSON.parse(formatEventJson(streamed)).event.type // 'ingest.upload.completed.v1'
 */
export function formatEventJson({ storedAt, event, subject, stream, seq }: StreamedEvent): string {
  return JSON.stringify({ storedAt: storedAt.toISOString(), stream, seq, subject, event });
}
