import { callRpc, RpcError, type Bus } from '@tonearm/bus';
import type { Principal, RpcDefinition } from '@tonearm/contracts';
import type { Context } from 'hono';
import type { z } from 'zod';
import { apiError } from './api-error.ts';

/** How the edge reaches services on the bus. */
export interface RpcDeps {
  bus: Bus;
  rpcTimeoutMs: number;
}

/**
 * Calls an operation for the request and answers with its output and `status` (204: no body),
 * or with the service's error code mapped to its HTTP status; a service that is not running is
 * a 503 at once (no responders), one that does not answer a 503 after `rpcTimeoutMs`.
 *
 * @example
 * return answerRpc(c, deps, getTrackRpc, { id: c.req.param('id') }, { principal, status: 200 });
 */
export async function answerRpc<D extends RpcDefinition>(
  c: Context,
  deps: RpcDeps,
  definition: D,
  input: z.input<D['input']>,
  options: { principal: Principal | null; status?: 200 | 201 | 202 | 204 },
) {
  try {
    const output = await callRpc(deps.bus, definition, input, {
      principal: options.principal,
      timeoutMs: deps.rpcTimeoutMs,
    });
    if (options.status === 204) return c.body(null, 204);
    return c.json(output as object, options.status ?? 200);
  } catch (error) {
    if (error instanceof RpcError) return rpcErrorAnswer(c, error);
    throw error;
  }
}

/**
 * The API error answer of a service's error; a `rate_limited` one with `retryAfterSeconds` in
 * its details also gets the `Retry-After` header api.md promises.
 */
export function rpcErrorAnswer(c: Context, error: RpcError) {
  const retryAfter = (error.details as { retryAfterSeconds?: unknown } | undefined)?.retryAfterSeconds;
  if (error.code === 'rate_limited' && typeof retryAfter === 'number') c.header('retry-after', String(retryAfter));
  return apiError(c, error.code, error.message, error.details);
}

/** The request's JSON body as an object, or undefined when it is not one (the caller answers 400). */
export async function jsonObjectBody(c: Context): Promise<Record<string, unknown> | undefined> {
  try {
    const body: unknown = await c.req.json();
    return body !== null && typeof body === 'object' && !Array.isArray(body)
      ? (body as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
