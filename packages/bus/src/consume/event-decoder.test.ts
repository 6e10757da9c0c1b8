import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decodeEvent } from './event-decoder.ts';

const encode = (value: unknown) => new TextEncoder().encode(typeof value === 'string' ? value : JSON.stringify(value));

const trackDeleted = () => ({
  id: randomUUID(),
  type: 'catalog.track.deleted.v1',
  version: 1,
  occurredAt: new Date().toISOString(),
  correlationId: 'corr-1',
  data: { trackId: randomUUID(), ownerId: randomUUID(), deletedBy: randomUUID() },
});

describe(decodeEvent.name, () => {
  it('reads a valid event of the catalogue', () => {
    const event = trackDeleted();
    expect(decodeEvent(encode(event))).toEqual({ ok: true, event });
  });

  it('refuses bytes that are not UTF-8', () => {
    const sut = decodeEvent(new Uint8Array([0xff, 0xfe]));
    expect(sut).toMatchObject({ ok: false, eventId: null });
    expect(sut.ok || sut.error).toMatch(/^not JSON/);
  });

  it('refuses text that is not JSON', () => {
    const sut = decodeEvent(encode('hello'));
    expect(sut.ok || sut.error).toMatch(/^not JSON/);
  });

  it('refuses JSON without a valid envelope, keeping what it can of the id', () => {
    const sut = decodeEvent(encode({ id: 'not-a-uuid', type: 'x' }));
    expect(sut).toMatchObject({ ok: false, eventId: 'not-a-uuid', type: 'x' });
    expect(sut.ok || sut.error).toMatch(/^invalid envelope/);
  });

  it('refuses an event type that is not in the catalogue', () => {
    const sut = decodeEvent(encode({ ...trackDeleted(), type: 'catalog.track.exploded.v1' }));
    expect(sut.ok || sut.error).toBe('unknown event type "catalog.track.exploded.v1"');
  });

  it('refuses data that fails the schema of its type, naming the field', () => {
    const event = { ...trackDeleted(), data: { trackId: 42 } };
    const sut = decodeEvent(encode(event));
    expect(sut).toMatchObject({ ok: false, eventId: event.id, type: 'catalog.track.deleted.v1' });
    expect(sut.ok || sut.error).toMatch(/^invalid catalog.track.deleted.v1: .*trackId/s);
  });
});
