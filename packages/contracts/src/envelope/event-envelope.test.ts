import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { anyEventSchema, eventSchema, newEvent } from './event-envelope.ts';

describe('event envelope', () => {
  const sut = eventSchema('demo.thing.happened.v1', 1, z.object({ n: z.number() }));

  it('starts a correlation chain at the event itself', () => {
    const event = newEvent('demo.thing.happened.v1', 1, { data: { n: 1 } });
    expect(event.correlationId).toBe(event.id);
    expect(sut.parse(event)).toEqual(event);
  });

  it('keeps the correlation and causation it is given', () => {
    const event = newEvent('demo.thing.happened.v1', 1, { data: { n: 1 }, correlationId: 'c-1', causationId: 'e-0' });
    expect(event).toMatchObject({ correlationId: 'c-1', causationId: 'e-0' });
  });

  it('refuses a payload of the wrong shape', () => {
    const event = newEvent('demo.thing.happened.v1', 1, { data: { n: 'one' } });
    expect(sut.safeParse(event).success).toBe(false);
  });

  it('refuses an unversioned type', () => {
    const event = { ...newEvent('demo.thing.happened.v1', 1, { data: {} }), type: 'demo.thing.happened' };
    expect(anyEventSchema.safeParse(event).success).toBe(false);
  });
});
