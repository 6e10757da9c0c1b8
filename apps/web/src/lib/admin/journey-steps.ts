import type { JourneyEvent } from '@tonearm/contracts';

/** A journey event as the timeline shows it. */
export interface JourneyStepView extends JourneyEvent {
  /** Time since the journey's first event, such as `+1.25 s` (`0 s` for the first). */
  offset: string;
  /** The service domain the event comes from: the first token of its type. */
  service: string;
  /** The few fields an operator looks for first (track, title, status, reason). */
  summary: string;
}

const SUMMARY_FIELDS = ['trackId', 'filename', 'title', 'status', 'reason', 'error', 'durationMs'] as const;

function summaryOf(data: unknown): string {
  if (typeof data !== 'object' || data === null) return '';
  const record = data as Record<string, unknown>;
  const found: string[] = [];
  for (const field of SUMMARY_FIELDS) {
    const value = record[field] ?? (record.tags as Record<string, unknown> | undefined)?.[field];
    if (typeof value === 'string' || typeof value === 'number') found.push(`${field} ${value}`);
  }
  return found.join(' · ');
}

function offsetOf(ms: number): string {
  if (ms <= 0) return '0 s';
  return ms < 60_000
    ? `+${(ms / 1000).toFixed(2)} s`
    : `+${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

/**
 * The journey's events for its timeline: time since the first event, the service, a summary.
 *
 * @example
 * journeySteps(journey.events)[1].offset; // '+0.84 s'
 */
export function journeySteps(events: readonly JourneyEvent[]): JourneyStepView[] {
  const start = events.length > 0 ? Date.parse(events[0]!.occurredAt) : 0;
  return events.map((event) => ({
    ...event,
    offset: offsetOf(Date.parse(event.occurredAt) - start),
    service: event.type.split('.')[0] ?? event.type,
    summary: summaryOf(event.data),
  }));
}
