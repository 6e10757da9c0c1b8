import { startIngest } from './ingest-service.ts';

await startIngest();
