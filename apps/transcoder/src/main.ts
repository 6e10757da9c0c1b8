import { startService } from '@tonearm/service-host';
import packageJson from '../package.json' with { type: 'json' };

const service = await startService({
  name: 'transcoder',
  version: packageJson.version,
  description: 'HLS ladder, loudness and waveform peaks from uploaded sources',
});
service.logger.info({ ladder: service.settings.get('transcode.ladder') }, 'transcoder ready');
service.settings.onChange('transcode.ladder', (ladder) => service.logger.info({ ladder }, 'rendition ladder changed'));
