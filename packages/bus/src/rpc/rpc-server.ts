import type { Msg } from '@nats-io/nats-core';
import { headers as natsHeaders } from '@nats-io/nats-core';
import {
  principalSchema,
  rpcRequestSchema,
  rpcSubject,
  type Principal,
  type RpcDefinition,
  type RpcReply,
} from '@tonearm/contracts';
import { childTraceparent, runWithContext, type Logger } from '@tonearm/runtime';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { metricsOf, type Bus } from '../connection/bus-connection.ts';
import type { ServiceAnnouncement } from '../discovery/service-announcer.ts';
import { EVENT_HEADERS } from '../publish/event-publisher.ts';
import { RpcError } from './rpc-error.ts';
import { isUnreachableDependency } from './unreachable-dependency.ts';

/** What a handler knows about the request beyond its input. */
export interface RpcContext {
  principal: Principal | null;
  logger: Logger;
}

/** Answers one operation: the validated input in, the output out, or an {@link RpcError}. */
export type RpcHandler<D extends RpcDefinition> = (
  input: z.infer<D['input']>,
  context: RpcContext,
) => Promise<z.infer<D['output']>>;

/**
 * Decides the reply to one request: checks the caller against the operation's access, validates
 * the input (400 with the issues), runs the handler and validates its output. Anything the
 * handler throws that is not an {@link RpcError} becomes an `internal` error with no detail.
 */
export async function answerRpc<D extends RpcDefinition>(
  definition: D,
  handler: RpcHandler<D>,
  data: Uint8Array,
  logger: Logger,
): Promise<RpcReply> {
  try {
    let raw: unknown;
    try {
      raw = JSON.parse(new TextDecoder().decode(data));
    } catch {
      throw new RpcError('invalid_request', 'the request is not JSON');
    }
    const request = rpcRequestSchema.safeParse(raw);
    if (!request.success) throw new RpcError('invalid_request', 'the request envelope is malformed');
    const principal = request.data.principal === null ? null : principalSchema.parse(request.data.principal);
    if (definition.access !== 'public' && !principal) throw new RpcError('unauthorized', 'sign in first');
    if (definition.access === 'admin' && !principal?.roles.includes('admin')) {
      throw new RpcError('forbidden', 'this needs an admin');
    }
    const input = definition.input.safeParse(request.data.input);
    if (!input.success) throw new RpcError('invalid_request', 'the input is invalid', z.flattenError(input.error));
    const output = await handler(input.data as z.infer<D['input']>, { principal, logger });
    const checked = definition.output.safeParse(output);
    if (!checked.success) {
      logger.error(
        { operation: definition.operation, issues: checked.error.issues },
        'handler output fails its schema',
      );
      throw new Error('handler output fails its schema');
    }
    return { ok: true, output: checked.data };
  } catch (error) {
    if (error instanceof RpcError) {
      return {
        ok: false,
        error: {
          code: error.code,
          message: error.message,
          ...(error.details === undefined ? {} : { details: error.details }),
        },
      };
    }
    if (isUnreachableDependency(error)) {
      logger.warn({ err: error, operation: definition.operation }, 'rpc handler could not reach a backing service');
      return {
        ok: false,
        error: { code: 'service_unavailable', message: 'a service behind this one is unreachable; try again shortly' },
      };
    }
    logger.error({ err: error, operation: definition.operation }, 'rpc handler failed');
    return { ok: false, error: { code: 'internal', message: 'something went wrong on our side' } };
  }
}

/**
 * Serves an operation on the bus as an endpoint of the announced instance, in the queue group
 * `q`, so every instance of the service shares the requests. Each request runs in the caller's
 * correlation and trace context.
 *
 * @example
 * serveRpc(bus, announcement, getTrackRpc, async ({ id }) => tracks.get(id));
 */
export function serveRpc<D extends RpcDefinition>(
  bus: Bus,
  announcement: ServiceAnnouncement,
  definition: D,
  handler: RpcHandler<D>,
): void {
  const subject = rpcSubject(bus.topology.namespace, definition);
  const duration = metricsOf(bus)?.rpcDuration;
  const operation = `${definition.service}.${definition.operation}`;
  announcement.addEndpoint(definition.operation, subject, async (msg: Msg) => {
    const endTimer = duration?.startTimer({ operation });
    const context = {
      correlationId: msg.headers?.get(EVENT_HEADERS.correlationId) || randomUUID(),
      traceparent: childTraceparent(msg.headers?.get(EVENT_HEADERS.traceparent) || undefined),
    };
    const reply = await runWithContext(context, () => answerRpc(definition, handler, msg.data, bus.logger));
    endTimer?.({ outcome: reply.ok ? 'ok' : reply.error.code });
    const h = natsHeaders();
    h.set(EVENT_HEADERS.correlationId, context.correlationId);
    msg.respond(JSON.stringify(reply), { headers: h });
  });
}
