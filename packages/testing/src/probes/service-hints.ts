/** The services every Tonearm process needs, by the name docker-compose.yml gives them. */
export type BackingService = 'nats' | 'postgres' | 'redis';

/** A service's display name, the variable that points at it, and how to get one running. */
export interface BackingServiceHint {
  label: string;
  variable: string;
  install: string;
  start: string[];
}

/**
 * What to tell a person whose service does not answer: one place for the wording used by
 * `npm start`, `npm test` and the integration global setup.
 *
 * @example
 * console.error(`start it: ${backingServiceHints.redis.start.join(' | ')}`);
 */
export const backingServiceHints: Record<BackingService, BackingServiceHint> = {
  nats: {
    label: 'NATS with JetStream',
    variable: 'NATS_URL',
    install: 'NATS server 2.9+ (https://docs.nats.io/running-a-nats-service/introduction/installation)',
    start: [
      'nats-server -a 127.0.0.1 -p 4222 -js',
      'start-stop-daemon --start --oknodo --background --exec /usr/sbin/nats-server -- -a 127.0.0.1 -p 4222 -js -sd /var/lib/nats-server -l /var/log/nats-server.log',
      'docker compose up -d nats',
    ],
  },
  postgres: {
    label: 'Postgres',
    variable: 'DATABASE_URL',
    install: 'PostgreSQL 15 (apt-get install -y postgresql, brew install postgresql@15)',
    start: [
      'pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start',
      'docker compose up -d postgres',
    ],
  },
  redis: {
    label: 'Redis',
    variable: 'REDIS_URL',
    install: 'Redis 7 (apt-get install -y redis-server, brew install redis)',
    start: [
      'redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no --dir /var/lib/redis --logfile /var/log/redis/ci.log',
      'docker compose up -d redis',
    ],
  },
};

/**
 * A message naming a service that does not answer, where it was looked for, why it failed and
 * the commands that start it.
 *
 * @example
 * describeMissingService('redis', 'redis://127.0.0.1:6379', 'ECONNREFUSED');
 * // Redis does not answer at redis://127.0.0.1:6379 (REDIS_URL): ECONNREFUSED ...
 */
export function describeMissingService(service: BackingService, url: string, reason: string): string {
  const hint = backingServiceHints[service];
  return [
    `${hint.label} does not answer at ${redactUrl(url)} (${hint.variable}): ${reason}`,
    `  install ${hint.install}, then start it with one of:`,
    ...hint.start.map((command) => `    ${command}`),
    `  or point ${hint.variable} at a running one.`,
  ].join('\n');
}

/**
 * The URL with its password masked, for messages and logs.
 *
 * @example
 * redactUrl('postgres://app:secret@db:5432/app'); // 'postgres://app:***@db:5432/app'
 */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (!parsed.password) return url;
    parsed.password = '***';
    return parsed.toString();
  } catch {
    return url;
  }
}
