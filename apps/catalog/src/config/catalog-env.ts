import { urlVariable } from '@tonearm/runtime';
import { z } from 'zod';

/** Environment variables of the catalog, validated once at start with the common ones. */
export const catalogEnvShape = {
  CATALOG_DATABASE_URL: urlVariable(['postgres', 'postgresql'], 'postgres://postgres@127.0.0.1:5432/tonearm_catalog'),
  CATALOG_DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(10),
  CATALOG_PROJECTOR_BATCH: z.coerce.number().int().min(1).max(1024).default(512),
};
