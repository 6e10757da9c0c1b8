import { z } from 'zod';
import { apiErrorSchema } from '../api/api-error.ts';
import type { ServiceName } from '../discovery/service-instance.ts';
import { roleSchema } from '../events/identity.events.ts';

/** Who is calling, as the edge established it from a verified token and a live session. */
export const principalSchema = z.object({
  userId: z.string().uuid(),
  roles: z.array(roleSchema).min(1),
  sessionId: z.string().min(1),
});

/** The caller of a request. */
export type Principal = z.infer<typeof principalSchema>;

/** Who may call an operation: anyone, a signed-in user, or an admin. */
export type RpcAccess = 'public' | 'user' | 'admin';

/**
 * A request/reply operation a service answers on the bus. The edge maps public HTTP routes onto
 * these; any number of instances share the load through a queue group.
 */
export interface RpcDefinition<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  service: ServiceName;
  /** Lower-case words joined by `-`, unique within the service. */
  operation: string;
  access: RpcAccess;
  description: string;
  input: I;
  output: O;
}

/**
 * Declares an operation.
 *
 * @example
 * export const getTrackRpc = defineRpc({
 *   service: 'catalog', operation: 'get-track', access: 'public',
 *   description: 'One track by id', input: z.object({ id: z.string().uuid() }), output: trackSchema,
 * });
 */
export function defineRpc<I extends z.ZodType, O extends z.ZodType>(definition: RpcDefinition<I, O>) {
  if (!/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/.test(definition.operation)) {
    throw new Error(`rpc operation "${definition.operation}" must be lower-case words joined by -`);
  }
  return definition;
}

/** The subject of an operation in a namespace: `<namespace>.rpc.<service>.<operation>`, outside every stream. */
export function rpcSubject(namespace: string, definition: Pick<RpcDefinition, 'service' | 'operation'>): string {
  return `${namespace}.rpc.${definition.service}.${definition.operation}`;
}

/** What travels in a request: the caller (null when anonymous) and the operation's input. */
export const rpcRequestSchema = z.object({
  principal: principalSchema.nullable(),
  input: z.unknown(),
});

/** What travels in a reply: the output, or an API error the edge passes on as it is. */
export const rpcReplySchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), output: z.unknown() }),
  z.object({ ok: z.literal(false), error: apiErrorSchema.shape.error }),
]);

/** A reply on the bus. */
export type RpcReply = z.infer<typeof rpcReplySchema>;
