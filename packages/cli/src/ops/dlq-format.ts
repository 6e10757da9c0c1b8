import type { DeadLetter, DeadLetterSummary } from '@tonearm/bus';

const MAX_ERROR_COLUMNS = 100;

function firstLine(text: string): string {
  const line = text.split('\n', 1)[0]!.trim();
  return line.length > MAX_ERROR_COLUMNS ? `${line.slice(0, MAX_ERROR_COLUMNS - 1)}…` : line;
}

/**
 * One dead letter as one line: sequence, time, consumer, reason, deliveries, subject, original
 * event id and the first line of the error.
 *
 * @example
 * formatDeadLetterLine(letter)
 * // '#42 2026-11-25T19:40:16.123Z transcoder permanent-failure x1 tonearm.ingest.upload.completed.v1 event=9f… not audio'
 */
export function formatDeadLetterLine(letter: DeadLetterSummary): string {
  return [
    `#${letter.seq}`,
    letter.occurredAt,
    letter.consumer,
    letter.reason,
    `x${letter.deliveries}`,
    letter.subject,
    `event=${letter.originalEventId ?? '-'}`,
    firstLine(letter.error) || '-',
  ].join(' ');
}

/** The dead letters one a line, or a sentence saying there are none. */
export function formatDeadLetterList(letters: readonly DeadLetterSummary[]): string {
  if (letters.length === 0) return 'no dead letters\n';
  return letters.map((l) => `${formatDeadLetterLine(l)}\n`).join('');
}

function payloadText(original: DeadLetter['event']['data']['original']): string {
  if (original.encoding === 'base64') return `(base64) ${original.payload}`;
  try {
    return JSON.stringify(JSON.parse(original.payload), null, 2);
  } catch {
    return original.payload;
  }
}

/** Everything a dead letter carries, for a person: its fields, the full error, the original headers and payload. */
export function formatDeadLetterDetail(letter: DeadLetter): string {
  const { original } = letter.event.data;
  const headerLines = Object.entries(original.headers).flatMap(([key, values]) =>
    values.map((value) => `  ${key}: ${value}`),
  );
  return [
    `dead letter #${letter.seq}`,
    `occurred at:  ${letter.occurredAt}`,
    `consumer:     ${letter.consumer}`,
    `stream:       ${letter.stream}`,
    `subject:      ${letter.subject}`,
    `reason:       ${letter.reason}`,
    `deliveries:   ${letter.deliveries}`,
    `event id:     ${letter.originalEventId ?? '-'}`,
    `error:        ${letter.error}`,
    'headers:',
    ...(headerLines.length > 0 ? headerLines : ['  (none)']),
    'payload:',
    payloadText(original),
    '',
  ].join('\n');
}
