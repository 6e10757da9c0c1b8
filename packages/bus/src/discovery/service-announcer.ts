import { headers, type Msg, type Subscription } from '@nats-io/nats-core';
import type { InstanceHealth, InstanceMetadata, ServiceName } from '@tonearm/contracts';
import type { Bus } from '../connection/bus-connection.ts';
import {
  healthResponse,
  infoResponse,
  isSrvToken,
  pingResponse,
  srvSubjects,
  statsResponse,
  SRV_VERBS,
  type EndpointState,
  type SrvIdentity,
  type SrvVerb,
} from './srv-responses.ts';

/** What an instance tells the bus about itself. */
export interface AnnounceInfo {
  name: ServiceName;
  version: string;
  description: string;
  instanceId: string;
  metadata: InstanceMetadata;
  /** Called for each `$SRV.HEALTH` request. */
  health: () => Promise<InstanceHealth>;
}

/** An instance visible on the bus. */
export interface ServiceAnnouncement {
  /**
   * Serves requests on a subject in a queue group (default `q`, so instances share the load) and
   * lists it in the INFO and STATS answers. A handler that throws gets an error answer with the
   * `Nats-Service-Error` headers.
   */
  addEndpoint(
    name: string,
    subject: string,
    handler: (msg: Msg) => Promise<void> | void,
    options?: { queueGroup?: string },
  ): void;
  /** Stops answering: the instance disappears from discovery. Safe to call more than once. */
  stop(): Promise<void>;
}

/**
 * Makes an instance discoverable with the NATS services protocol: it answers `$SRV.PING`,
 * `$SRV.INFO` and `$SRV.STATS` (for all services, its name, and its id) with the micro v1
 * shapes, and `$SRV.HEALTH` with its health.
 *
 * @example
 * const announcement = await announceService(bus, { name: 'transcoder', version, description, instanceId, metadata, health });
 * service.onShutdown(() => announcement.stop());
 */
export async function announceService(bus: Bus, info: AnnounceInfo): Promise<ServiceAnnouncement> {
  if (!isSrvToken(info.name) || !isSrvToken(info.instanceId)) {
    throw new Error(`service name "${info.name}" and instance id "${info.instanceId}" must match [A-Za-z0-9_-]+`);
  }
  const identity: SrvIdentity = {
    name: info.name,
    id: info.instanceId,
    version: info.version,
    metadata: Object.fromEntries(Object.entries(info.metadata).filter(([, v]) => typeof v === 'string')),
  };
  const started = new Date().toISOString();
  const endpoints: EndpointState[] = [];
  const subscriptions: Subscription[] = [];
  const logger = bus.logger.child({ discovery: { name: info.name, id: info.instanceId } });
  let stopped: Promise<void> | undefined;

  const answer = async (verb: SrvVerb): Promise<unknown> => {
    switch (verb) {
      case 'PING':
        return pingResponse(identity);
      case 'INFO':
        return infoResponse(identity, info.description, endpoints);
      case 'STATS':
        return statsResponse(identity, started, endpoints);
      case 'HEALTH':
        return healthResponse(identity, await info.health().catch(healthFailure));
    }
  };

  for (const verb of SRV_VERBS) {
    for (const subject of srvSubjects(verb, identity.name, identity.id)) {
      const subscription = bus.nc.subscribe(subject, {
        callback: (err, msg) => {
          if (err) return logger.warn({ err, subject }, 'discovery subscription error');
          void answer(verb)
            .then((response) => msg.respond(JSON.stringify(response)))
            .catch((error: unknown) => logger.error({ err: error, subject }, 'discovery answer failed'));
        },
      });
      subscriptions.push(subscription);
    }
  }
  await bus.nc.flush();
  logger.info('instance announced');

  return {
    addEndpoint(name, subject, handler, options = {}) {
      if (stopped) throw new Error(`service ${info.name} is stopped; endpoint ${name} not added`);
      const state: EndpointState = {
        name,
        subject,
        queueGroup: options.queueGroup ?? 'q',
        numRequests: 0,
        numErrors: 0,
        lastError: '',
        processingTimeNs: 0,
      };
      endpoints.push(state);
      const serve = async (msg: Msg) => {
        const start = process.hrtime.bigint();
        state.numRequests++;
        try {
          await handler(msg);
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);
          state.numErrors++;
          state.lastError = message;
          logger.error({ err: error, endpoint: name }, 'endpoint handler failed');
          if (msg.reply) {
            const h = headers();
            h.set('Nats-Service-Error', message);
            h.set('Nats-Service-Error-Code', '500');
            msg.respond(undefined, { headers: h });
          }
        } finally {
          state.processingTimeNs += Number(process.hrtime.bigint() - start);
        }
      };
      subscriptions.push(
        bus.nc.subscribe(subject, {
          queue: state.queueGroup,
          callback: (err, msg) => {
            if (err) return logger.warn({ err, endpoint: name }, 'endpoint subscription error');
            void serve(msg);
          },
        }),
      );
    },
    stop() {
      stopped ??= (async () => {
        await Promise.all(subscriptions.map((s) => (s.isClosed() ? undefined : s.drain().catch(() => undefined))));
        logger.info('instance withdrawn');
      })();
      return stopped;
    },
  };
}

function healthFailure(error: unknown): InstanceHealth {
  const detail = error instanceof Error ? error.message : String(error);
  return { status: 'failing', checks: { health: { status: 'failing', detail } } };
}
