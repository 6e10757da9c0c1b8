import type { PlatformStatus } from '@tonearm/bus';
import { describe, expect, it } from 'vitest';
import { formatStatus } from './status-format.ts';

const status: PlatformStatus = {
  checkedAt: '2026-11-25T18:00:00.000Z',
  namespace: 'tonearm',
  services: {
    transcoder: {
      instances: [
        {
          id: 'transcoder-a',
          version: '0.1.0',
          startedAt: '2026-11-25T17:00:00.000Z',
          opsUrl: 'http://127.0.0.1:9103',
          health: { status: 'failing', checks: { bus: { status: 'failing', detail: 'not connected to NATS' } } },
        },
      ],
    },
    catalog: {
      instances: [
        {
          id: 'catalog-a',
          version: '0.2.0',
          startedAt: '2026-11-25T17:00:00.000Z',
          opsUrl: undefined,
          health: { status: 'ok', checks: { bus: { status: 'ok' } } },
        },
      ],
    },
  },
  streams: [
    {
      key: 'ingest',
      name: 'TONEARM_INGEST',
      messages: 12,
      bytes: 3400,
      consumers: [
        { name: 'transcoder', durable: true, pending: 3, ackPending: 2, redelivered: 1, waiting: 0 },
        { name: 'abc_1', durable: false, pending: 0, ackPending: 0, redelivered: 0, waiting: 1 },
      ],
    },
    { key: 'ops', name: 'TONEARM_OPS', messages: null, bytes: null, consumers: [] },
  ],
  deadLetters: 2,
};

describe('formatStatus', () => {
  it('lists instances by service with version, health and the failing checks', () => {
    const lines = formatStatus(status).split('\n');

    expect(lines).toContain('  catalog     catalog-a     0.2.0    ok');
    expect(lines).toContain('  transcoder  transcoder-a  0.1.0    failing  bus: not connected to NATS');
  });

  it('shows each durable consumer with pending, in-flight and redelivered, and counts the tails', () => {
    const text = formatStatus(status);

    expect(text).toContain('  TONEARM_INGEST  12 messages, 3400 bytes\n');
    expect(text).toContain('    consumer    pending  in-flight  redelivered\n    transcoder  3        2          1\n');
    expect(text).toContain('    and 1 ordered consumer (live tails)\n');
    expect(text).toContain('  TONEARM_OPS  missing\n');
    expect(text).toMatch(/Dead letters: 2 \(tonearm dlq list\)\n$/);
  });

  it('says so when no instance answers', () => {
    expect(formatStatus({ ...status, services: {}, deadLetters: 0 })).toContain(
      'Services\n  no instance answered on the bus\n',
    );
  });
});
