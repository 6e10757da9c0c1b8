import { z } from 'zod';
import { eventCatalogue, eventTypes } from '../events/catalogue.ts';

/**
 * The JSON Schema (draft 2020-12) of every event type, keyed by type, for operators and outside
 * tools that read the catalogue of events without TypeScript.
 */
export function eventJsonSchemas(): Record<string, unknown> {
  return Object.fromEntries(
    eventTypes.map((type) => [
      type,
      { $id: `https://tonearm.dev/schemas/events/${type}.json`, ...z.toJSONSchema(eventCatalogue[type]) },
    ]),
  );
}
