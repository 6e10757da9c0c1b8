/** The part of a bus event the feed shows and filters on. */
export interface FeedEvent {
  id: string;
  type: string;
  subject: string;
  occurredAt: string;
  correlationId?: string;
  data: unknown;
}

/** What the operator typed in the feed's filters; empty fields match everything. */
export interface FeedFilter {
  /** Exact event type, or a prefix ending in a dot such as `transcode.`. */
  type?: string;
  /** NATS subject pattern after the namespace, such as `ingest.>` or `*.upload.*.v1`. */
  subject?: string;
  /** Words that must all appear, case-insensitively, in the type, ids or data. */
  text?: string;
}

/**
 * Whether `subject` (after the namespace) matches a NATS pattern: `*` stands for one token, a
 * final `>` for one or more.
 *
 * @example
 * subjectMatches('ingest.upload.completed.v1', 'ingest.>'); // true
 */
export function subjectMatches(subject: string, pattern: string): boolean {
  const tokens = subject.split('.');
  const wanted = pattern.split('.');
  for (let i = 0; i < wanted.length; i++) {
    const want = wanted[i];
    if (want === '>' && i === wanted.length - 1) return tokens.length > i;
    if (i >= tokens.length || (want !== '*' && want !== tokens[i])) return false;
  }
  return tokens.length === wanted.length;
}

/** The subject without its leading namespace token (`tonearm.ingest.x.v1` → `ingest.x.v1`). */
export function withoutNamespace(subject: string): string {
  const dot = subject.indexOf('.');
  return dot === -1 ? subject : subject.slice(dot + 1);
}

/**
 * Whether an event passes the feed's filters.
 *
 * @example
 * matchesFilter(event, { type: 'transcode.', text: 'failed' });
 */
export function matchesFilter(event: FeedEvent, filter: FeedFilter): boolean {
  const type = filter.type?.trim();
  if (type && !(type.endsWith('.') ? event.type.startsWith(type) : event.type === type)) return false;
  const subject = filter.subject?.trim();
  if (subject && !subjectMatches(withoutNamespace(event.subject), subject)) return false;
  const words = (filter.text ?? '').toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return true;
  const haystack = [event.type, event.id, event.correlationId ?? '', JSON.stringify(event.data) ?? '']
    .join(' ')
    .toLowerCase();
  return words.every((word) => haystack.includes(word));
}

/** The domains (first token of the type) of the events seen, for the type filter's choices. */
export function typePrefixes(types: Iterable<string>): string[] {
  const prefixes = new Set<string>();
  for (const type of types) prefixes.add(`${type.split('.')[0]}.`);
  return [...prefixes].sort();
}
