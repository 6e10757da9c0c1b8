import { startService } from '@tonearm/service-host';
import packageJson from '../package.json' with { type: 'json' };

const service = await startService({
  name: 'ingest',
  version: packageJson.version,
  description: 'Upload sessions, presigned S3 URLs, tag extraction and content hashes',
});
service.logger.info('ingest ready');
