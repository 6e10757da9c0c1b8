import { describe, expect, it } from 'vitest';
import { eventTypes } from '../events/catalogue.ts';
import { eventJsonSchemas } from './event-json-schema.ts';

describe('eventJsonSchemas', () => {
  it('describes every event with its envelope and fixed type', () => {
    const schemas = eventJsonSchemas() as Record<string, { properties: Record<string, { const?: string }> }>;
    expect(Object.keys(schemas)).toEqual(eventTypes);
    const completed = schemas['ingest.upload.completed.v1']!;
    expect(completed.properties.type!.const).toBe('ingest.upload.completed.v1');
    expect(Object.keys(completed.properties)).toEqual(
      expect.arrayContaining(['id', 'type', 'version', 'occurredAt', 'correlationId', 'causationId', 'data']),
    );
  });
});
