import { describe, expect, it } from 'vitest';
import { openApiDocument } from './openapi-document.ts';

describe('openApiDocument', () => {
  const sut = openApiDocument('1.2.3');

  it('describes every call of api.md with its method', () => {
    const calls = Object.entries(sut.paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((m) => `${m} ${path}`),
    );
    for (const call of [
      'post /api/auth/register',
      'post /api/auth/login',
      'post /api/auth/refresh',
      'post /api/auth/logout',
      'post /api/auth/logout-all',
      'get /api/me',
      'post /api/tokens',
      'get /api/tokens',
      'delete /api/tokens/{id}',
      'get /.well-known/jwks.json',
      'post /api/uploads',
      'get /api/uploads/events',
      'get /api/uploads/{uploadId}',
      'post /api/uploads/{uploadId}/complete',
      'delete /api/uploads/{uploadId}',
      'get /api/tracks',
      'get /api/tracks/{id}',
      'delete /api/tracks/{id}',
      'get /api/tracks/{id}/playback',
      'get /api/tracks/{id}/waveform',
      'get /api/tracks/{id}/cover',
      'get /api/albums/{id}/cover',
      'get /api/artists',
      'get /api/artists/{id}',
      'get /api/albums',
      'get /api/albums/{id}',
      'get /api/search',
    ]) {
      expect(calls, call).toContain(call);
    }
  });

  it('takes request and answer schemas from the contracts', () => {
    const register = sut.paths['/api/auth/register']!.post as {
      requestBody: { content: { 'application/json': { schema: { properties: object; required: string[] } } } };
    };
    expect(Object.keys(register.requestBody.content['application/json'].schema.properties).sort()).toEqual([
      'displayName',
      'email',
      'password',
    ]);
    const tracks = sut.paths['/api/tracks']!.get as { parameters: { name: string; in: string; required: boolean }[] };
    expect(tracks.parameters).toContainEqual(expect.objectContaining({ name: 'q', in: 'query', required: false }));
    const track = sut.paths['/api/tracks/{id}']!.get as { parameters: { name: string; in: string }[] };
    expect(track.parameters).toEqual([expect.objectContaining({ name: 'id', in: 'path', required: true })]);
  });

  it('is JSON with the version given', () => {
    expect(JSON.parse(JSON.stringify(sut))).toMatchObject({ openapi: '3.1.0', info: { version: '1.2.3' } });
  });
});
