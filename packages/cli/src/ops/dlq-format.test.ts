import type { DeadLetter, DeadLetterSummary } from '@tonearm/bus';
import { describe, expect, it } from 'vitest';
import { formatDeadLetterDetail, formatDeadLetterLine, formatDeadLetterList } from './dlq-format.ts';

const summary: DeadLetterSummary = {
  seq: 42,
  occurredAt: '2026-11-25T19:40:16.123Z',
  consumer: 'transcoder',
  stream: 'TONEARM_INGEST',
  subject: 'tonearm.ingest.upload.completed.v1',
  reason: 'permanent-failure',
  error: 'the source object is not an audio file\n    at transcode (transcoder.ts:10:3)',
  originalEventId: '0b8e5a1e-3c1f-4a53-9a43-bb1a0a3e6c11',
  deliveries: 1,
};

function letter(original: DeadLetter['event']['data']['original']): DeadLetter {
  return {
    ...summary,
    event: {
      id: '7d3f2b44-5b8e-5c1a-9f3e-2a1b0c9d8e7f',
      type: 'ops.message.dead-lettered.v1',
      version: 1,
      occurredAt: summary.occurredAt,
      correlationId: 'corr-1',
      data: {
        stream: summary.stream,
        consumer: summary.consumer,
        subject: summary.subject,
        streamSequence: 3,
        deliveries: 1,
        reason: summary.reason,
        error: summary.error,
        originalEventId: summary.originalEventId,
        original,
      },
    },
  };
}

describe(formatDeadLetterLine.name, () => {
  it('puts one dead letter on one line with the first line of its error', () => {
    expect(formatDeadLetterLine(summary)).toBe(
      '#42 2026-11-25T19:40:16.123Z transcoder permanent-failure x1 tonearm.ingest.upload.completed.v1 ' +
        'event=0b8e5a1e-3c1f-4a53-9a43-bb1a0a3e6c11 the source object is not an audio file',
    );
  });

  it('shows a dash for a malformed message without event id or error, and shortens long errors', () => {
    expect(formatDeadLetterLine({ ...summary, originalEventId: null, error: '' })).toMatch(/ event=- -$/);
    const line = formatDeadLetterLine({ ...summary, error: 'x'.repeat(500) });
    expect(line).toMatch(/ x{99}…$/);
  });
});

describe(formatDeadLetterList.name, () => {
  it('writes one line per dead letter, in the order given', () => {
    const sut = formatDeadLetterList([summary, { ...summary, seq: 41 }]);
    expect(sut.split('\n')).toEqual([expect.stringMatching(/^#42 /), expect.stringMatching(/^#41 /), '']);
  });

  it('says so when there are none', () => {
    expect(formatDeadLetterList([])).toBe('no dead letters\n');
  });
});

describe(formatDeadLetterDetail.name, () => {
  it('shows the full error, the headers and the payload as indented JSON', () => {
    const sut = formatDeadLetterDetail(
      letter({ headers: { 'Nats-Msg-Id': ['abc'] }, encoding: 'utf8', payload: '{"id":"abc","n":1}' }),
    );
    expect(sut).toContain('dead letter #42\n');
    expect(sut).toContain('consumer:     transcoder\n');
    expect(sut).toContain('at transcode (transcoder.ts:10:3)');
    expect(sut).toContain('headers:\n  Nats-Msg-Id: abc\n');
    expect(sut).toContain('payload:\n{\n  "id": "abc",\n  "n": 1\n}\n');
  });

  it('shows text that is not JSON as it is, and binary payloads as base64', () => {
    expect(formatDeadLetterDetail(letter({ headers: {}, encoding: 'utf8', payload: 'not json' }))).toContain(
      'headers:\n  (none)\npayload:\nnot json\n',
    );
    expect(formatDeadLetterDetail(letter({ headers: {}, encoding: 'base64', payload: '/wB7' }))).toContain(
      'payload:\n(base64) /wB7\n',
    );
  });
});
