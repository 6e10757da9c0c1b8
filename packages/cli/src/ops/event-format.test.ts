import type { StreamedEvent } from '@tonearm/bus';
import { describe, expect, it } from 'vitest';
import { formatEventJson, formatEventLine } from './event-format.ts';

const storedAt = new Date('2026-11-25T18:00:01.234Z');
const trackId = '7d4e2b1a-0c3f-4e5d-9a8b-1c2d3e4f5a6b';

function streamed(type: string, data: unknown): StreamedEvent {
  return {
    stream: 'TONEARM_TRANSCODE',
    seq: 7,
    subject: `tonearm.${type}`,
    storedAt,
    event: {
      id: '0b6f2e4c-1d3a-4b5c-8d9e-0f1a2b3c4d5e',
      type,
      version: 1,
      occurredAt: '2026-11-25T18:00:01.000Z',
      correlationId: '3f2a9c1b-aaaa-bbbb-cccc-ddddeeeeffff',
      data,
    },
  };
}

describe('formatEventLine', () => {
  it('shows time, type, short correlation id and the key fields, quoting text with spaces', () => {
    const line = formatEventLine(streamed('transcode.failed.v1', { trackId, reason: 'not an audio file' }));

    expect(line).toBe(
      `2026-11-25T18:00:01.234Z transcode.failed.v1 corr=3f2a9c1b trackId=${trackId} reason="not an audio file"`,
    );
  });

  it('finds the title and artist among the tags and leaves out empty ones', () => {
    const line = formatEventLine(
      streamed('ingest.upload.completed.v1', {
        trackId,
        ownerId: 'u1',
        source: { key: `sources/${trackId}` },
        tags: { title: 'Déjà vu', artist: 'Beyoncé', album: null },
      }),
    );

    expect(line).toBe(
      `2026-11-25T18:00:01.234Z ingest.upload.completed.v1 corr=3f2a9c1b trackId=${trackId} ownerId=u1 title="Déjà vu" artist="Beyoncé"`,
    );
  });

  it('keeps one line: only the first line of a long error, cut at 80 columns', () => {
    const line = formatEventLine(
      streamed('ops.message.dead-lettered.v1', { consumer: 'transcoder', error: `${'x'.repeat(200)}\nstack` }),
    );

    expect(line).not.toContain('\n');
    expect(line).toContain(`consumer=transcoder error="${'x'.repeat(79)}…"`);
  });

  it('shows a message that is not an event by subject and place', () => {
    const line = formatEventLine({ ...streamed('x.y.v1', {}), event: null });

    expect(line).toBe('2026-11-25T18:00:01.234Z (not an event) tonearm.x.y.v1 TONEARM_TRANSCODE#7');
  });
});

describe('formatEventJson', () => {
  it('is one line of JSON with the whole event and where it is stored', () => {
    const json = formatEventJson(streamed('transcode.progressed.v1', { trackId, percent: 40 }));

    expect(json).not.toContain('\n');
    expect(JSON.parse(json)).toMatchObject({
      storedAt: '2026-11-25T18:00:01.234Z',
      stream: 'TONEARM_TRANSCODE',
      seq: 7,
      event: { type: 'transcode.progressed.v1', data: { trackId, percent: 40 } },
    });
  });
});
