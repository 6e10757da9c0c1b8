import { randomUUID } from 'node:crypto';
import type { EventOf } from '@tonearm/contracts';
import { runWithContext, parseTraceparent, newTraceparent } from '@tonearm/runtime';
import { describe, expect, it } from 'vitest';
import { buildEvent, eventHeaders, EventValidationError, validateEvent } from './event-publisher.ts';

const data = () => ({ trackId: randomUUID(), ownerId: randomUUID(), deletedBy: randomUUID() });

describe(buildEvent.name, () => {
  it('fills in the envelope with the version of the type and starts a chain by default', () => {
    const sut = buildEvent('catalog.track.deleted.v1', { data: data() });
    expect(sut).toMatchObject({ type: 'catalog.track.deleted.v1', version: 1, correlationId: sut.id });
    expect(sut.causationId).toBeUndefined();
  });

  it('takes correlation and causation from the current context', () => {
    const sut = runWithContext({ correlationId: 'corr-9', causationId: 'cause-9' }, () =>
      buildEvent('catalog.track.deleted.v1', { data: data() }),
    );
    expect(sut).toMatchObject({ correlationId: 'corr-9', causationId: 'cause-9' });
  });

  it('prefers ids given by the caller over the context', () => {
    const sut = runWithContext({ correlationId: 'ctx', causationId: 'ctx' }, () =>
      buildEvent('catalog.track.deleted.v1', { data: data(), correlationId: 'mine', causationId: 'mine-too' }),
    );
    expect(sut).toMatchObject({ correlationId: 'mine', causationId: 'mine-too' });
  });
});

describe(validateEvent.name, () => {
  it('returns a valid event unchanged', () => {
    const event = buildEvent('catalog.track.deleted.v1', { data: data() });
    expect(validateEvent(event)).toEqual(event);
  });

  it('refuses data failing the schema, naming the type and the field', () => {
    const event = buildEvent('catalog.track.deleted.v1', { data: { ...data(), trackId: 'nope' } });
    const sut = () => validateEvent(event);
    expect(sut).toThrow(EventValidationError);
    expect(sut).toThrow(/catalog\.track\.deleted\.v1.*trackId/s);
    try {
      sut();
    } catch (err) {
      expect((err as EventValidationError).issues[0]?.path).toEqual(['data', 'trackId']);
    }
  });

  it('refuses a type that is not in the catalogue', () => {
    const event = { ...buildEvent('catalog.track.deleted.v1', { data: data() }), type: 'nope.nope.v1' };
    expect(() => validateEvent(event as unknown as EventOf<'catalog.track.deleted.v1'>)).toThrow(
      'event nope.nope.v1 is invalid: not a type of the event catalogue',
    );
  });
});

describe(eventHeaders.name, () => {
  it('carries the correlation, causation and type, and a child span of the parent trace', () => {
    const parent = newTraceparent();
    const event = buildEvent('catalog.track.deleted.v1', { data: data(), correlationId: 'c', causationId: 'k' });
    const sut = eventHeaders(event, parent);
    expect(sut.get('tonearm-correlation-id')).toBe('c');
    expect(sut.get('tonearm-causation-id')).toBe('k');
    expect(sut.get('tonearm-event-type')).toBe('catalog.track.deleted.v1');
    expect(parseTraceparent(sut.get('traceparent'))?.traceId).toBe(parseTraceparent(parent)?.traceId);
    expect(sut.get('traceparent')).not.toBe(parent);
  });

  it('starts a new trace and leaves out the causation when there is none', () => {
    const event = buildEvent('catalog.track.deleted.v1', { data: data() });
    const sut = eventHeaders(event, undefined);
    expect(sut.has('tonearm-causation-id')).toBe(false);
    expect(parseTraceparent(sut.get('traceparent'))).toBeDefined();
  });
});
