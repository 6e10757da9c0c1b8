import { headers as natsHeaders, errors } from '@nats-io/nats-core';
import { rpcReplySchema, rpcSubject, type Principal, type RpcDefinition } from '@tonearm/contracts';
import { childTraceparent, currentContext } from '@tonearm/runtime';
import type { z } from 'zod';
import type { Bus } from '../connection/bus-connection.ts';
import { EVENT_HEADERS } from '../publish/event-publisher.ts';
import { RpcError } from './rpc-error.ts';

/** How to call an operation. */
export interface CallOptions {
  principal?: Principal | null;
  /** How long to wait for an answer before `service_unavailable` (default 5 s). */
  timeoutMs?: number;
}

/**
 * Calls an operation on whichever instance of its service answers first. The current
 * correlation id and trace travel with the request. An error reply is thrown as an
 * {@link RpcError} with the service's code and message; no instance, or no answer in time, is
 * `service_unavailable`.
 *
 * @example
 * const track = await callRpc(bus, getTrackRpc, { id }, { principal });
 */
export async function callRpc<D extends RpcDefinition>(
  bus: Bus,
  definition: D,
  input: z.input<D['input']>,
  options: CallOptions = {},
): Promise<z.infer<D['output']>> {
  const context = currentContext();
  const h = natsHeaders();
  if (context?.correlationId) h.set(EVENT_HEADERS.correlationId, context.correlationId);
  h.set(EVENT_HEADERS.traceparent, childTraceparent(context?.traceparent));
  const timeoutMs = options.timeoutMs ?? 5_000;
  let answer;
  try {
    answer = await bus.nc.request(
      rpcSubject(bus.topology.namespace, definition),
      JSON.stringify({ principal: options.principal ?? null, input }),
      { timeout: timeoutMs, headers: h },
    );
  } catch (error) {
    const noResponders =
      error instanceof errors.NoRespondersError || (error instanceof errors.RequestError && error.isNoResponders());
    if (noResponders) {
      throw new RpcError('service_unavailable', `the ${definition.service} service is not running`);
    }
    if (
      error instanceof errors.TimeoutError ||
      (error instanceof Error && error.cause instanceof errors.TimeoutError)
    ) {
      throw new RpcError('service_unavailable', `the ${definition.service} service did not answer in ${timeoutMs} ms`);
    }
    throw error;
  }
  const reply = rpcReplySchema.parse(answer.json());
  if (!reply.ok) throw new RpcError(reply.error.code, reply.error.message, reply.error.details);
  return definition.output.parse(reply.output) as z.infer<D['output']>;
}
