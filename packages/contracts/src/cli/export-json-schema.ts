import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { eventJsonSchemas } from '../json-schema/event-json-schema.ts';

/** Writes one JSON Schema file per event type to `dist/json-schema` (or the folder given). */
const out = process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), '../../dist/json-schema');
await mkdir(out, { recursive: true });
const schemas = eventJsonSchemas();
for (const [type, schema] of Object.entries(schemas)) {
  await writeFile(join(out, `${type}.json`), JSON.stringify(schema, null, 2) + '\n');
}
console.log(`wrote ${Object.keys(schemas).length} event schemas to ${out}`);
