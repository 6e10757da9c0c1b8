import { readFileSync } from 'node:fs';
import { startService } from '@tonearm/service-host';
import { appContextCheckName } from './app-context-health.provider.ts';
import { identityEnvShape, identityHttpUrl } from './config/identity-env.ts';
import { startIdentityApp, startingCheck } from './identity-app.ts';

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

const service = await startService({
  name: 'identity',
  version,
  description: 'Accounts, sessions and signing keys',
  env: identityEnvShape,
  httpUrl: identityHttpUrl(process.env),
  // Failing until the Nest application replaces it: the ops server answers before Postgres and Redis are reached.
  healthChecks: { [appContextCheckName]: startingCheck },
});

try {
  const identity = await startIdentityApp(service);
  service.onShutdown(() => identity.close());
} catch (error) {
  service.logger.fatal({ err: error }, 'identity could not start its Nest application');
  await service.shutdown(1);
}
