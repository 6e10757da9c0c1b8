import { headers } from '@nats-io/nats-core';
import { messageDeadLetteredV1 } from '@tonearm/contracts';
import { describe, expect, it } from 'vitest';
import { deadLetterData, deadLetterId, encodePayload, headersRecord, MAX_ERROR_LENGTH } from './dead-letter.ts';

const input = {
  stream: 'T_INGEST',
  consumer: 'transcoder',
  subject: 't.ingest.upload.completed.v1',
  streamSequence: 7,
  deliveries: 5,
  reason: 'max-deliveries' as const,
  error: 'S3 unreachable',
  originalEventId: '9b2f4b7e-3c1a-4f43-9a57-6d5b0a3f2c11',
  headers: undefined,
  payload: new TextEncoder().encode('{"id":"x"}'),
};

describe(encodePayload.name, () => {
  it('keeps UTF-8 text as text', () => {
    expect(encodePayload(new TextEncoder().encode('{"é":"ü"}'))).toEqual({ encoding: 'utf8', payload: '{"é":"ü"}' });
  });

  it('keeps bytes that are not UTF-8 as base64', () => {
    const bytes = new Uint8Array([0xff, 0xfe, 0x00, 0x41]);
    const sut = encodePayload(bytes);
    expect(sut.encoding).toBe('base64');
    expect(Buffer.from(sut.payload, 'base64')).toEqual(Buffer.from(bytes));
  });
});

describe(headersRecord.name, () => {
  it('keeps every value of every header', () => {
    const h = headers();
    h.append('x-many', 'a');
    h.append('x-many', 'b');
    h.set('Nats-Msg-Id', 'id-1');
    expect(headersRecord(h)).toEqual({ 'x-many': ['a', 'b'], 'Nats-Msg-Id': ['id-1'] });
  });

  it('gives an empty record for a message without headers', () => {
    expect(headersRecord(undefined)).toEqual({});
  });
});

describe(deadLetterData.name, () => {
  it('builds data that the catalogue schema accepts', () => {
    const sut = deadLetterData(input);
    expect(sut.original).toEqual({ headers: {}, encoding: 'utf8', payload: '{"id":"x"}' });
    const event = { id: deadLetterId('s', 'c', 1), type: 'ops.message.dead-lettered.v1', version: 1 };
    const envelope = { ...event, occurredAt: new Date().toISOString(), correlationId: 'c', data: sut };
    expect(messageDeadLetteredV1.safeParse(envelope).success).toBe(true);
  });

  it('cuts a huge error message', () => {
    const sut = deadLetterData({ ...input, error: 'x'.repeat(MAX_ERROR_LENGTH * 3) });
    expect(sut.error.length).toBe(MAX_ERROR_LENGTH + 1);
  });
});

describe(deadLetterId.name, () => {
  it('is the same UUID for the same message and consumer', () => {
    expect(deadLetterId('S', 'c', 1)).toBe(deadLetterId('S', 'c', 1));
    expect(deadLetterId('S', 'c', 1)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('differs between messages, consumers and streams', () => {
    const ids = new Set([
      deadLetterId('S', 'c', 1),
      deadLetterId('S', 'c', 2),
      deadLetterId('S', 'd', 1),
      deadLetterId('T', 'c', 1),
    ]);
    expect(ids.size).toBe(4);
  });
});
