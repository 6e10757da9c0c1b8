import type { JourneyEvent } from '@tonearm/contracts';
import { describe, expect, it } from 'vitest';
import { journeySteps } from './journey-steps.ts';

const at = (iso: string, type: string, data: unknown, seq = 1): JourneyEvent => ({
  stream: 'S',
  seq,
  subject: `ns.${type}`,
  id: `${type}-${seq}`,
  type,
  occurredAt: iso,
  correlationId: 'c',
  data,
});

describe('journeySteps', () => {
  it('gives each event its time since the first, its service and a summary', () => {
    const sut = journeySteps([
      at('2026-01-01T00:00:00.000Z', 'ingest.upload.completed.v1', { trackId: 't1', tags: { title: 'Tone' } }),
      at('2026-01-01T00:00:01.250Z', 'transcode.completed.v1', { trackId: 't1', durationMs: 3000 }, 2),
      at('2026-01-01T00:02:05.000Z', 'transcode.failed.v1', { reason: 'not an audio file' }, 3),
    ]);

    expect(sut.map((s) => [s.offset, s.service, s.summary])).toEqual([
      ['0 s', 'ingest', 'trackId t1 · title Tone'],
      ['+1.25 s', 'transcode', 'trackId t1 · durationMs 3000'],
      ['+2 min 5 s', 'transcode', 'reason not an audio file'],
    ]);
  });

  it('answers nothing for no events and no summary for data that is not an object', () => {
    expect(journeySteps([])).toEqual([]);
    expect(journeySteps([at('2026-01-01T00:00:00.000Z', 'a.b.v1', 'text')])[0]!.summary).toBe('');
  });
});
