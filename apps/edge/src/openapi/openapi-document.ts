import {
  abortUploadRpc,
  apiErrorSchema,
  completeUploadRequestSchema,
  completeUploadResponseSchema,
  createApiTokenRequestSchema,
  createApiTokenResponseSchema,
  createUploadRequestSchema,
  createUploadResponseSchema,
  getAlbumRpc,
  getArtistRpc,
  getTrackRpc,
  jwksSchema,
  listAlbumsRpc,
  listApiTokensResponseSchema,
  listArtistsRpc,
  listTracksRpc,
  loginRequestSchema,
  loginResponseSchema,
  playbackResponseSchema,
  playbackEventRequestSchema,
  refreshRequestSchema,
  refreshResponseSchema,
  registerRequestSchema,
  registerResponseSchema,
  searchRpc,
  uploadStateSchema,
  uploadStatusEventSchema,
  userSchema,
  waveformResponseSchema,
} from '@tonearm/contracts';
import { z } from 'zod';
import { opsOperations } from './ops-operations.ts';

/** One public call as the OpenAPI document describes it. */
export interface Operation {
  method: 'get' | 'post' | 'delete';
  path: string;
  summary: string;
  auth: 'none' | 'optional' | 'bearer';
  params?: z.ZodObject;
  body?: z.ZodType;
  status: 200 | 201 | 202 | 204;
  response?: z.ZodType;
  /** The answer's media type when it is not JSON (for a stream, `response` is one event's data). */
  contentType?: string;
}

const byId = z.object({ id: z.uuid() });
const coverImageSchema = z.string().meta({ contentMediaType: 'image/*', description: 'The image bytes' });
const uploadId = z.object({ uploadId: z.uuid() });

/** Every call of api.md, with the contracts' schemas of its input and answer. */
export const publicOperations: readonly Operation[] = [
  {
    method: 'post',
    path: '/api/auth/register',
    summary: 'Create an account',
    auth: 'none',
    body: registerRequestSchema,
    status: 201,
    response: registerResponseSchema,
  },
  {
    method: 'post',
    path: '/api/auth/login',
    summary: 'Sign in',
    auth: 'none',
    body: loginRequestSchema,
    status: 200,
    response: loginResponseSchema,
  },
  {
    method: 'post',
    path: '/api/auth/refresh',
    summary: 'A new token pair for a refresh token',
    auth: 'none',
    body: refreshRequestSchema,
    status: 200,
    response: refreshResponseSchema,
  },
  { method: 'post', path: '/api/auth/logout', summary: 'End this session', auth: 'bearer', status: 204 },
  {
    method: 'post',
    path: '/api/auth/logout-all',
    summary: 'End every session of the user',
    auth: 'bearer',
    status: 204,
  },
  { method: 'get', path: '/api/me', summary: 'The signed-in user', auth: 'bearer', status: 200, response: userSchema },
  {
    method: 'post',
    path: '/api/tokens',
    summary: 'Create an API token',
    auth: 'bearer',
    body: createApiTokenRequestSchema,
    status: 201,
    response: createApiTokenResponseSchema,
  },
  {
    method: 'get',
    path: '/api/tokens',
    summary: 'The API tokens of the user (never their secrets)',
    auth: 'bearer',
    status: 200,
    response: listApiTokensResponseSchema,
  },
  {
    method: 'delete',
    path: '/api/tokens/{id}',
    summary: 'Revoke an API token',
    auth: 'bearer',
    params: byId,
    status: 204,
  },
  {
    method: 'get',
    path: '/.well-known/jwks.json',
    summary: 'Keys that verify access tokens',
    auth: 'none',
    status: 200,
    response: jwksSchema,
  },
  {
    method: 'post',
    path: '/api/uploads',
    summary: 'Open an upload with presigned part URLs',
    auth: 'bearer',
    body: createUploadRequestSchema,
    status: 201,
    response: createUploadResponseSchema,
  },
  {
    method: 'get',
    path: '/api/uploads/events',
    summary: "Server-Sent Events: the caller's uploads as they become processing, ready or failed",
    auth: 'bearer',
    status: 200,
    response: uploadStatusEventSchema,
    contentType: 'text/event-stream',
  },
  {
    method: 'get',
    path: '/api/uploads/{uploadId}',
    summary: 'Parts received, to resume',
    auth: 'bearer',
    params: uploadId,
    status: 200,
    response: uploadStateSchema,
  },
  {
    method: 'post',
    path: '/api/uploads/{uploadId}/complete',
    summary: 'Complete an upload',
    auth: 'bearer',
    params: uploadId,
    body: completeUploadRequestSchema.omit({ uploadId: true }),
    status: 202,
    response: completeUploadResponseSchema,
  },
  {
    method: 'delete',
    path: '/api/uploads/{uploadId}',
    summary: 'Abort an upload',
    auth: 'bearer',
    params: uploadId,
    status: 204,
    response: abortUploadRpc.output,
  },
  {
    method: 'get',
    path: '/api/tracks',
    summary: 'Tracks, newest first',
    auth: 'optional',
    params: listTracksRpc.input as z.ZodObject,
    status: 200,
    response: listTracksRpc.output,
  },
  {
    method: 'get',
    path: '/api/tracks/{id}',
    summary: 'One track',
    auth: 'optional',
    params: byId,
    status: 200,
    response: getTrackRpc.output,
  },
  {
    method: 'delete',
    path: '/api/tracks/{id}',
    summary: 'Delete a track (owner or admin)',
    auth: 'bearer',
    params: byId,
    status: 204,
  },
  {
    method: 'get',
    path: '/api/tracks/{id}/playback',
    summary: 'A playback URL for HLS clients',
    auth: 'bearer',
    params: byId,
    status: 200,
    response: playbackResponseSchema,
  },
  {
    method: 'post',
    path: '/api/tracks/{id}/playback/events',
    summary: "A player's progress or end, for play counts",
    auth: 'bearer',
    params: byId,
    body: playbackEventRequestSchema,
    status: 202,
  },
  {
    method: 'get',
    path: '/api/tracks/{id}/waveform',
    summary: 'Waveform peaks',
    auth: 'bearer',
    params: byId,
    status: 200,
    response: waveformResponseSchema,
  },
  {
    method: 'get',
    path: '/api/tracks/{id}/cover',
    summary: "The track's cover art from its tags (stored image type, ETag; 404 when it has none)",
    auth: 'optional',
    params: byId,
    status: 200,
    response: coverImageSchema,
    contentType: 'image/*',
  },
  {
    method: 'get',
    path: '/api/albums/{id}/cover',
    summary: "The album's cover art: the first cover among its tracks (404 when none has one)",
    auth: 'optional',
    params: byId,
    status: 200,
    response: coverImageSchema,
    contentType: 'image/*',
  },
  {
    method: 'get',
    path: '/api/artists',
    summary: 'Artists',
    auth: 'optional',
    params: listArtistsRpc.input as z.ZodObject,
    status: 200,
    response: listArtistsRpc.output,
  },
  {
    method: 'get',
    path: '/api/artists/{id}',
    summary: 'An artist with albums and tracks',
    auth: 'optional',
    params: byId,
    status: 200,
    response: getArtistRpc.output,
  },
  {
    method: 'get',
    path: '/api/albums',
    summary: 'Albums',
    auth: 'optional',
    params: listAlbumsRpc.input as z.ZodObject,
    status: 200,
    response: listAlbumsRpc.output,
  },
  {
    method: 'get',
    path: '/api/albums/{id}',
    summary: 'An album with its tracks',
    auth: 'optional',
    params: byId,
    status: 200,
    response: getAlbumRpc.output,
  },
  {
    method: 'get',
    path: '/api/search',
    summary: 'Typo-tolerant search',
    auth: 'optional',
    params: searchRpc.input as z.ZodObject,
    status: 200,
    response: searchRpc.output,
  },
  ...opsOperations,
];

const schemaOf = (schema: z.ZodType, io: 'input' | 'output') =>
  z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' });

/**
 * The OpenAPI 3.1 document of the public API, generated from the contracts' zod schemas, so it
 * cannot drift from what the services check.
 *
 * @example
 * app.get('/api/openapi.json', (c) => c.json(openApiDocument()));
 */
export function openApiDocument(version: string) {
  const paths: Record<string, Record<string, unknown>> = {};
  const errorAnswer = {
    description: 'An error',
    content: { 'application/json': { schema: schemaOf(apiErrorSchema, 'output') } },
  };
  for (const operation of publicOperations) {
    const inPath = new Set([...operation.path.matchAll(/\{(\w+)\}/g)].map((match) => match[1]));
    const shape = operation.params?.shape ?? {};
    const parameters = Object.entries(shape).map(([name, schema]) => ({
      name,
      in: inPath.has(name) ? 'path' : 'query',
      required: inPath.has(name) || !(schema as z.ZodType).safeParse(undefined).success,
      schema: schemaOf(schema as z.ZodType, 'input'),
    }));
    paths[operation.path] ??= {};
    paths[operation.path]![operation.method] = {
      summary: operation.summary,
      ...(operation.auth === 'none' ? { security: [] } : {}),
      ...(operation.auth === 'optional' ? { security: [{}, { bearer: [] }] } : {}),
      ...(parameters.length > 0 ? { parameters } : {}),
      ...(operation.body
        ? {
            requestBody: {
              required: true,
              content: { 'application/json': { schema: schemaOf(operation.body, 'input') } },
            },
          }
        : {}),
      responses: {
        [operation.status]:
          operation.status === 204 || !operation.response
            ? { description: 'Done' }
            : {
                description: 'OK',
                content: {
                  [operation.contentType ?? 'application/json']: { schema: schemaOf(operation.response, 'output') },
                },
              },
        default: errorAnswer,
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Tonearm', version },
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'An access token or an API token' } },
    },
    security: [{ bearer: [] }],
    paths,
  };
}
