import { startService, type RunningService } from '@tonearm/service-host';
import type { EventOf, EventType } from '@tonearm/contracts';
import {
  createIsolatedDatabase,
  createIsolatedRedis,
  isolatedNamespace,
  sendRequest,
  serviceUrls,
  type Answer,
  type SendOptions,
  type IsolatedDatabase,
  type IsolatedRedis,
} from '@tonearm/testing';
import { storedMessages } from '../../../packages/bus/test/bus-test-helper.ts';
import { identityEnvShape } from '../src/config/identity-env.ts';
import { startIdentityApp, type IdentityApp } from '../src/identity-app.ts';
import { Argon2PasswordHasher, type PasswordHasher } from '../src/repositories/password-hasher.ts';

/** argon2id with the service's parameters, counting the work it is asked to do. */
export class CountingPasswordHasher implements PasswordHasher {
  readonly #inner = new Argon2PasswordHasher();
  hashes = 0;
  verifications = 0;

  hash(password: string): Promise<string> {
    this.hashes++;
    return this.#inner.hash(password);
  }

  verify(hash: string, password: string): Promise<boolean> {
    this.verifications++;
    return this.#inner.verify(hash, password);
  }
}

/** Identity running in this process on its own database, Redis key prefix and bus namespace. */
export interface IdentityUnderTest {
  url: string;
  service: RunningService<typeof identityEnvShape>;
  identity: IdentityApp;
  database: IsolatedDatabase;
  redis: IsolatedRedis;
  hasher: CountingPasswordHasher;
  /** A JSON request to identity's HTTP port; answers the status, headers and parsed body. */
  request(method: string, path: string, options?: SendOptions): Promise<Answer>;
  /** The events of one type identity published so far. */
  events<T extends EventType>(type: T): Promise<EventOf<T>[]>;
  stop(): Promise<void>;
}

/**
 * Starts identity in-process on fresh stores, listening on a free port.
 *
 * @example
 * const sut = await startIdentity();
 * afterAll(() => sut.stop());
 */
export async function startIdentity(
  options: { env?: Record<string, string>; redisUrl?: string; label?: string } = {},
): Promise<IdentityUnderTest> {
  const label = options.label ?? 'identity';
  const database = await createIsolatedDatabase({ label: label.replace(/-/g, '_') });
  const redis = await createIsolatedRedis({ label, ...(options.redisUrl ? { url: options.redisUrl } : {}) });
  // A test may stop its private Redis; this inspection client just reconnects.
  redis.client.on('error', () => undefined);
  const namespace = isolatedNamespace(label);
  const hasher = new CountingPasswordHasher();
  const service = await startService({
    name: 'identity',
    version: '0.0.0-test',
    description: 'identity under test',
    env: identityEnvShape,
    ownsProcess: false,
    environment: {
      NATS_URL: serviceUrls().natsUrl,
      BUS_NAMESPACE: namespace,
      LOG_LEVEL: process.env.IDENTITY_TEST_LOG_LEVEL ?? 'silent',
      OPS_PORT: '0',
      IDENTITY_PORT: '0',
      IDENTITY_DATABASE_URL: database.url,
      REDIS_URL: redis.url,
      IDENTITY_REDIS_PREFIX: redis.keyPrefix,
      ...options.env,
    },
  });
  const identity = await startIdentityApp(service, { passwordHasher: hasher });
  service.onShutdown(() => identity.close());

  return {
    url: identity.url,
    service,
    identity,
    database,
    redis,
    hasher,
    request: (method, path, options) => sendRequest(`${identity.url}${path}`, method, options),
    async events(type) {
      const messages = await storedMessages(service.bus, 'identity');
      return messages.map((message) => message.json<EventOf<typeof type>>()).filter((event) => event.type === type);
    },
    async stop() {
      const bus = service.bus;
      await removeNamespaceStreams(bus);
      await service.shutdown();
      await database.drop();
      await redis.cleanup();
    },
  };
}

async function removeNamespaceStreams(bus: RunningService['bus']): Promise<void> {
  const names = [...bus.topology.streams.map((stream) => stream.name), `KV_${bus.topology.settingsBucket}`];
  for (const name of names) await bus.jsm.streams.delete(name).catch(() => false);
}

/** A registered and signed-in user. */
export interface SignedInUser {
  email: string;
  password: string;
  userId: string;
  accessToken: string;
  refreshToken: string;
}

let userCounter = 0;

/** Registers a user and signs them in. */
export async function signUp(sut: IdentityUnderTest, email?: string): Promise<SignedInUser> {
  const address = email ?? `listener-${++userCounter}-${Date.now()}@example.org`;
  const password = `a long and unusual passphrase ${userCounter}`;
  const registered = await sut.request('POST', '/api/auth/register', {
    body: { email: address, password, displayName: 'Listener' },
  });
  if (registered.status !== 201) throw new Error(`register answered ${registered.status}`);
  const session = await signIn(sut, address, password);
  return { email: address, password, userId: registered.body.user.id, ...session };
}

/** Signs in; fails unless the answer is 200. */
export async function signIn(sut: IdentityUnderTest, email: string, password: string) {
  const login = await sut.request('POST', '/api/auth/login', { body: { email, password } });
  if (login.status !== 200) throw new Error(`login answered ${login.status}: ${JSON.stringify(login.body)}`);
  return { accessToken: login.body.accessToken as string, refreshToken: login.body.refreshToken as string };
}
