import { describe, expect, it } from 'vitest';
import { openApiDocument } from './openapi-document.ts';

describe('ops operations in the OpenAPI document', () => {
  const sut = openApiDocument('1.0.0');

  it('lists the admin calls with their contract schemas', () => {
    const calls = Object.entries(sut.paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((m) => `${m} ${path}`),
    );
    expect(calls).toEqual(
      expect.arrayContaining([
        'get /api/ops/status',
        'get /api/ops/dead-letters',
        'get /api/ops/dead-letters/{seq}',
        'post /api/ops/dead-letters/{seq}/retry',
        'delete /api/ops/dead-letters/{seq}',
        'get /api/ops/journey/{correlationId}',
      ]),
    );
    const journey = sut.paths['/api/ops/journey/{correlationId}']!.get as {
      parameters: { name: string; in: string }[];
      responses: { 200: { content: { 'application/json': { schema: { required: string[] } } } } };
    };
    expect(journey.parameters).toEqual([expect.objectContaining({ name: 'correlationId', in: 'path' })]);
    expect(journey.responses[200].content['application/json'].schema.required).toEqual(
      expect.arrayContaining(['correlationId', 'events', 'truncated']),
    );
  });
});
