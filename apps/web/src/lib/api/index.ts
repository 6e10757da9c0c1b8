import { ApiClient } from './api-client.ts';

export * from './api-client.ts';
export * from './api-error.ts';

/**
 * The app's one client of the edge (same origin). The refresh token survives reloads in
 * localStorage; the access token never leaves memory.
 * @example
 * import { api } from '$lib/api';
 * const { items } = await api.listTracks({ limit: 12 });
 */
export const api = new ApiClient({ storage: typeof localStorage === 'undefined' ? undefined : localStorage });
