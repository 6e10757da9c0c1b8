import { z } from 'zod';

/**
 * What an API token may do: `read` the catalog and playback, `ingest` (upload). A route the
 * edge serves to an API token checks that the token holds the scope the route needs.
 */
export const apiTokenScopeSchema = z.enum(['read', 'ingest']);

/** A scope of an API token. */
export type ApiTokenScope = z.infer<typeof apiTokenScopeSchema>;

/**
 * Every API token starts with this, so a bearer value is known to be an API token (not a JWT)
 * without a look-up, and secret scanners can find leaked ones.
 */
export const apiTokenPrefix = 'tnat_';
