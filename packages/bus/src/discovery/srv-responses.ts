import { serviceInstanceSchema, type InstanceHealth, type ServiceInstance } from '@tonearm/contracts';

/** The verbs of the NATS services protocol, plus this platform's health extension. */
export const SRV_VERBS = ['PING', 'INFO', 'STATS', 'HEALTH'] as const;

/** A verb an announced instance answers. */
export type SrvVerb = (typeof SRV_VERBS)[number];

/** The response types of each verb. */
export const SRV_RESPONSE_TYPES = {
  PING: 'io.nats.micro.v1.ping_response',
  INFO: 'io.nats.micro.v1.info_response',
  STATS: 'io.nats.micro.v1.stats_response',
  HEALTH: 'io.tonearm.health_response',
} as const satisfies Record<SrvVerb, string>;

/** Who an instance is: the fields every response starts with. */
export interface SrvIdentity {
  name: string;
  id: string;
  version: string;
  metadata: Record<string, string>;
}

/** An endpoint of an instance with the counters its STATS answer reports. */
export interface EndpointState {
  name: string;
  subject: string;
  queueGroup: string;
  numRequests: number;
  numErrors: number;
  lastError: string;
  /** Total time spent in the handler, in nanoseconds. */
  processingTimeNs: number;
}

const TOKEN = /^[A-Za-z0-9_-]+$/;

/** Whether a name or id may be used as one subject token of `$SRV.<verb>.<name>.<id>`. */
export function isSrvToken(value: string): boolean {
  return TOKEN.test(value);
}

/**
 * The subjects an instance listens on for a verb: all services, its service name, itself.
 *
 * @example
 * srvSubjects('PING', 'edge', 'abc'); // ['$SRV.PING', '$SRV.PING.edge', '$SRV.PING.edge.abc']
 */
export function srvSubjects(verb: SrvVerb, name: string, id: string): string[] {
  return [`$SRV.${verb}`, `$SRV.${verb}.${name}`, `$SRV.${verb}.${name}.${id}`];
}

/** The `$SRV.PING` answer. */
export function pingResponse(identity: SrvIdentity) {
  return { type: SRV_RESPONSE_TYPES.PING, ...standardFields(identity) };
}

/** The `$SRV.INFO` answer. */
export function infoResponse(identity: SrvIdentity, description: string, endpoints: readonly EndpointState[]) {
  return {
    type: SRV_RESPONSE_TYPES.INFO,
    ...standardFields(identity),
    description,
    endpoints: endpoints.map((e) => ({ name: e.name, subject: e.subject, queue_group: e.queueGroup, metadata: {} })),
  };
}

/** The `$SRV.STATS` answer. */
export function statsResponse(identity: SrvIdentity, started: string, endpoints: readonly EndpointState[]) {
  return {
    type: SRV_RESPONSE_TYPES.STATS,
    ...standardFields(identity),
    started,
    endpoints: endpoints.map((e) => ({
      name: e.name,
      subject: e.subject,
      queue_group: e.queueGroup,
      num_requests: e.numRequests,
      num_errors: e.numErrors,
      last_error: e.lastError,
      processing_time: e.processingTimeNs,
      average_processing_time: e.numRequests === 0 ? 0 : Math.trunc(e.processingTimeNs / e.numRequests),
    })),
  };
}

/** The `$SRV.HEALTH` answer (an extension of the protocol). */
export function healthResponse(identity: Omit<SrvIdentity, 'metadata'>, health: InstanceHealth) {
  return { type: SRV_RESPONSE_TYPES.HEALTH, name: identity.name, id: identity.id, version: identity.version, health };
}

/**
 * Reads an `$SRV.INFO` answer as a platform instance, or undefined when it is not one (another
 * kind of NATS service, or metadata that does not match `instanceMetadataSchema`).
 */
export function instanceFromInfo(json: unknown): ServiceInstance | undefined {
  if (typeof json !== 'object' || json === null) return undefined;
  const info = json as Record<string, unknown>;
  if (info.type !== SRV_RESPONSE_TYPES.INFO) return undefined;
  const endpoints = Array.isArray(info.endpoints) ? (info.endpoints as Record<string, unknown>[]) : [];
  const result = serviceInstanceSchema.safeParse({
    name: info.name,
    id: info.id,
    version: info.version,
    ...(typeof info.description === 'string' && info.description !== '' ? { description: info.description } : {}),
    metadata: info.metadata,
    endpoints: endpoints.map((e) => ({
      name: e?.name,
      subject: e?.subject,
      ...(typeof e?.queue_group === 'string' ? { queueGroup: e.queue_group } : {}),
    })),
  });
  return result.success ? result.data : undefined;
}

function standardFields(identity: SrvIdentity) {
  return { name: identity.name, id: identity.id, version: identity.version, metadata: identity.metadata };
}
