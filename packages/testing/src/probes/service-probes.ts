import { connect, NoRespondersError } from '@nats-io/transport-node';
import { Redis } from 'ioredis';
import pg from 'pg';

/** The answer of one probe: the service answered as required, or the reason it did not. */
export type ProbeResult = { ok: true } | { ok: false; reason: string };

/** How long a probe waits for an answer before it calls the service unreachable. */
export interface ProbeOptions {
  timeoutMs?: number;
}

const defaultTimeoutMs = 2_000;

function reasonOf(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) {
    return error.errors.map(reasonOf).join('; ');
  }
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code && !error.message.includes(code) ? `${code}: ${error.message}` : error.message || error.name;
  }
  return String(error);
}

/**
 * Connects to NATS and asks the JetStream API for the account info, so a server started
 * without `-js` is reported as such rather than as healthy.
 *
 * @example
 * const result = await probeNats('nats://127.0.0.1:4222');
 * if (!result.ok) console.error(result.reason);
 */
export async function probeNats(url: string, options: ProbeOptions = {}): Promise<ProbeResult> {
  const timeout = options.timeoutMs ?? defaultTimeoutMs;
  let connection;
  try {
    connection = await connect({ servers: url, timeout, reconnect: false, maxReconnectAttempts: 0 });
  } catch (error) {
    return { ok: false, reason: `no NATS server answers: ${reasonOf(error)}` };
  }
  try {
    const reply = await connection.request('$JS.API.INFO', undefined, { timeout });
    const info = reply.json<{ error?: { description?: string } }>();
    if (info.error) return { ok: false, reason: `JetStream refuses requests: ${info.error.description ?? 'unknown'}` };
    return { ok: true };
  } catch (error) {
    if (error instanceof NoRespondersError || (error instanceof Error && error.cause instanceof NoRespondersError)) {
      return { ok: false, reason: 'NATS answers but JetStream is not enabled (start nats-server with -js)' };
    }
    return { ok: false, reason: `JetStream does not answer (${reasonOf(error)})` };
  } finally {
    await connection.close().catch(() => undefined);
  }
}

/**
 * Connects to Postgres and runs `SELECT 1`.
 *
 * @example
 * await probePostgres('postgres://postgres@127.0.0.1:5432/postgres');
 */
export async function probePostgres(url: string, options: ProbeOptions = {}): Promise<ProbeResult> {
  const timeout = options.timeoutMs ?? defaultTimeoutMs;
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: timeout, query_timeout: timeout });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
    return { ok: true };
  } catch (error) {
    return { ok: false, reason: reasonOf(error) };
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * Connects to Redis and sends `PING`, without retrying.
 *
 * @example
 * await probeRedis('redis://127.0.0.1:6379');
 */
export async function probeRedis(url: string, options: ProbeOptions = {}): Promise<ProbeResult> {
  const timeout = options.timeoutMs ?? defaultTimeoutMs;
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: timeout,
    commandTimeout: timeout,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  let connectionError: unknown;
  client.on('error', (error) => (connectionError ??= error));
  try {
    await client.connect();
    const answer = await client.ping();
    return answer === 'PONG' ? { ok: true } : { ok: false, reason: `Redis answered ${answer} to PING` };
  } catch (error) {
    return { ok: false, reason: reasonOf(connectionError ?? error) };
  } finally {
    client.disconnect();
  }
}
