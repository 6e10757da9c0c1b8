import type { User } from '@tonearm/contracts';
import { ApiClient } from './api/api-client.ts';

/**
 * Who is signed in, reactive. `ready` turns true once a kept session was resumed or found missing,
 * so pages do not flash "signed out" on a reload.
 */
export const session = $state<{ user: User | null; ready: boolean }>({ user: null, ready: false });

/**
 * The app's one client of the edge (same origin). The refresh token survives reloads in
 * localStorage; the access token never leaves memory.
 * @example
 * const { items } = await api.listTracks({ limit: 12 });
 */
export const api = new ApiClient({
  storage: typeof localStorage === 'undefined' ? undefined : localStorage,
  onUserChange: (user) => {
    session.user = user;
  },
});

/** Resumes a kept session once in the browser; a failure only leaves the visitor signed out. */
export async function resumeSession(): Promise<void> {
  try {
    await api.resume();
  } catch {
    // Signed out is the honest state when the kept session cannot be renewed.
  } finally {
    session.ready = true;
  }
}
