import { readFileSync } from 'node:fs';
import { NestFactory } from '@nestjs/core';
import { startService } from '@tonearm/service-host';
import { AppModule } from './app.module.ts';
import { NestLogger } from './nest-logger.ts';

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

const service = await startService({
  name: 'identity',
  version,
  description: 'Accounts, sessions and signing keys',
});

try {
  // abortOnError: false makes a failing module throw here instead of Nest calling process.abort().
  const app = await NestFactory.createApplicationContext(AppModule.forService(service), {
    logger: new NestLogger(service.logger),
    abortOnError: false,
  });
  service.onShutdown(() => app.close());
} catch (error) {
  service.logger.fatal({ err: error }, 'identity could not start its Nest application');
  await service.shutdown(1);
}
