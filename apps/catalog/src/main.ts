import { startService } from '@tonearm/service-host';
import packageJson from '../package.json' with { type: 'json' };

const service = await startService({
  name: 'catalog',
  version: packageJson.version,
  description: 'Event-sourced read model of artists, albums and tracks',
});
service.logger.info('catalog ready');
