import { setTimeout as sleep } from 'node:timers/promises';
import { callRpc, type KnownEvent } from '@tonearm/bus';
import type { Principal, RpcDefinition } from '@tonearm/contracts';
import { createIsolatedDatabase, isolatedNamespace, serviceUrls, type IsolatedDatabase } from '@tonearm/testing';
import pg from 'pg';
import type { z } from 'zod';
import { startCatalog, type CatalogService } from '../../src/catalog-service.ts';
import { connectTestBus, removeNamespace } from '../../../../packages/bus/test/bus-test-helper.ts';

/** A catalog service started in this process on its own bus namespace and database. */
export interface CatalogHarness {
  service: CatalogService;
  database: IsolatedDatabase;
  call<D extends RpcDefinition>(
    definition: D,
    input: z.input<D['input']>,
    principal?: Principal | null,
  ): Promise<z.infer<D['output']>>;
  /** Publishes events on the bus and waits until the projection has recorded every one. */
  publishAndWait(events: KnownEvent[]): Promise<void>;
  stop(): Promise<void>;
}

/** A principal for a user id, optionally an admin. */
export function principalOf(userId: string, admin = false): Principal {
  return { userId, roles: admin ? ['user', 'admin'] : ['user'], sessionId: `session-${userId.slice(0, 8)}` };
}

/**
 * Polls until `check` answers a value other than undefined; gives up with an error after many
 * tries (a safety net for a broken projection, not a speed assertion).
 */
export async function eventually<T>(check: () => Promise<T | undefined>, what: string): Promise<T> {
  for (let attempt = 0; attempt < 600; attempt++) {
    const value = await check();
    if (value !== undefined) return value;
    await sleep(50);
  }
  throw new Error(`gave up waiting for ${what}`);
}

/** Starts the catalog on a fresh namespace and database. */
export async function startCatalogHarness(label = 'catalog'): Promise<CatalogHarness> {
  const database = await createIsolatedDatabase({ label });
  const namespace = isolatedNamespace(label);
  const service = await startCatalog({
    ownsProcess: false,
    environment: {
      NATS_URL: serviceUrls().natsUrl,
      BUS_NAMESPACE: namespace,
      CATALOG_DATABASE_URL: database.url,
      CATALOG_DATABASE_POOL_SIZE: '4',
      CATALOG_PROJECTOR_BATCH: '64',
      OPS_PORT: '0',
      LOG_LEVEL: process.env.CATALOG_TEST_LOG_LEVEL ?? 'silent',
    },
  });
  const probe = new pg.Pool({ connectionString: database.url, max: 1 });
  return {
    service,
    database,
    call: (definition, input, principal = null) => callRpc(service.bus, definition, input, { principal }),
    async publishAndWait(events) {
      for (const event of events) await service.bus.publishEvent(event);
      const ids = events.map((e) => e.id);
      await eventually(async () => {
        const found = await probe.query(
          'SELECT count(*)::int AS n FROM catalog.processed_events WHERE event_id = ANY($1)',
          [ids],
        );
        return found.rows[0].n === new Set(ids).size ? true : undefined;
      }, `${ids.length} events to be projected`);
    },
    async stop() {
      await probe.end();
      await service.shutdown();
      await removeNamespace(await connectTestBus('catalog', { namespace }));
      await database.drop();
    },
  };
}
