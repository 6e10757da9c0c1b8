import adapter from '@sveltejs/adapter-node';
import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vite';

/**
 * SvelteKit 3 takes its options here, in the plugin, and refuses a `svelte.config.js`.
 * adapter-node emits `build/handler.js`, which `server.ts` mounts behind the service host.
 */
export default defineConfig({
  plugins: [sveltekit({ adapter: adapter() })],
});
