import { describe, expect, it } from 'vitest';
import { matchesFilter, subjectMatches, typePrefixes, withoutNamespace, type FeedEvent } from './event-filter.ts';

const event: FeedEvent = {
  id: '7d0c2f1e-0000-4000-8000-000000000001',
  type: 'transcode.completed.v1',
  subject: 'tonearm.transcode.completed.v1',
  occurredAt: '2026-01-01T00:00:00.000Z',
  correlationId: 'req-42',
  data: { trackId: 'abc', title: 'Blue In Green' },
};

describe('subjectMatches', () => {
  it.each([
    ['ingest.upload.completed.v1', 'ingest.>', true],
    ['ingest.upload.completed.v1', '>', true],
    ['ingest.upload.completed.v1', '*.upload.*.v1', true],
    ['ingest.upload.completed.v1', 'ingest.upload.completed.v1', true],
    ['ingest.upload.completed.v1', 'ingest.*', false],
    ['ingest', 'ingest.>', false],
    ['ingest.upload', 'ingest.upload.completed', false],
    ['transcode.completed.v1', 'ingest.>', false],
  ])('%s against %s is %s', (subject, pattern, expected) => {
    expect(subjectMatches(subject, pattern)).toBe(expected);
  });
});

describe('matchesFilter', () => {
  it('matches everything with empty filters', () => {
    expect(matchesFilter(event, {})).toBe(true);
    expect(matchesFilter(event, { type: ' ', subject: '', text: '  ' })).toBe(true);
  });

  it('takes an exact type or a domain prefix ending in a dot', () => {
    expect(matchesFilter(event, { type: 'transcode.completed.v1' })).toBe(true);
    expect(matchesFilter(event, { type: 'transcode.' })).toBe(true);
    expect(matchesFilter(event, { type: 'transcode' })).toBe(false);
    expect(matchesFilter(event, { type: 'ingest.' })).toBe(false);
  });

  it('matches the subject pattern after the namespace', () => {
    expect(matchesFilter(event, { subject: 'transcode.>' })).toBe(true);
    expect(matchesFilter(event, { subject: 'ingest.>' })).toBe(false);
  });

  it('needs every word of the text, in any case, in the type, ids or data', () => {
    expect(matchesFilter(event, { text: 'blue GREEN' })).toBe(true);
    expect(matchesFilter(event, { text: 'req-42' })).toBe(true);
    expect(matchesFilter(event, { text: 'blue red' })).toBe(false);
  });
});

describe('withoutNamespace and typePrefixes', () => {
  it('drops the first token and lists domains once, sorted', () => {
    expect(withoutNamespace('tonearm.ingest.upload.completed.v1')).toBe('ingest.upload.completed.v1');
    expect(withoutNamespace('plain')).toBe('plain');
    expect(typePrefixes(['transcode.completed.v1', 'ingest.upload.completed.v1', 'transcode.failed.v1'])).toEqual([
      'ingest.',
      'transcode.',
    ]);
  });
});
