import { startCatalog } from './catalog-service.ts';

await startCatalog();
