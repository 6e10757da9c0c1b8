import type { IncomingMessage } from 'node:http';
import type { MiddlewareHandler } from 'hono';
import { apiError } from '../routes/api-error.ts';

const bendingPath = /(^|\/)(\.|%2e){1,2}(\/|$)|%2f|%5c|\\/i;

/**
 * Whether a raw request path (before any URL normalisation) holds dot segments, encoded
 * dots, encoded slashes or backslashes: no route of the edge or the web app needs them, and
 * they are how a path is bent toward another object.
 *
 * @example
 * isBendingPath('/stream/a/%2e%2e/b'); // true
 */
export function isBendingPath(rawPath: string): boolean {
  return bendingPath.test(rawPath);
}

/**
 * Refuses, with 400, requests whose path as sent would be rewritten by URL normalisation
 * (`/stream/a/../b` becoming `/stream/b`), so every route sees exactly what the client asked for.
 */
export function pathGuard(): MiddlewareHandler {
  return async function pathGuardMiddleware(c, next) {
    const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
    const raw = (incoming?.url ?? new URL(c.req.url).pathname).split('?')[0] ?? '';
    if (isBendingPath(raw)) return apiError(c, 'invalid_request', 'the path holds dot segments or encoded separators');
    return next();
  };
}
