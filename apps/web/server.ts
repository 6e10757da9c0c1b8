import { once } from 'node:events';
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConfigError, loadEnv, portVariable, urlVariable } from '@tonearm/runtime';
import { startService } from '@tonearm/service-host';
import { z } from 'zod';
import pkg from './package.json' with { type: 'json' };

/**
 * Serves the built SvelteKit app (adapter-node's `build/handler.js`) on `WEB_PORT` and joins the
 * platform through the service host. Only the edge talks to it: it finds this instance by its
 * `httpUrl` in discovery, so the port may be 0 (any free port) when several run on one machine.
 */
const webEnv = {
  WEB_PORT: portVariable(3000),
  WEB_HOST: z.string().min(1).default('127.0.0.1'),
  /** The URL the edge reaches this instance at, when it is not the listening address (containers). */
  WEB_HTTP_URL: urlVariable(['http', 'https']).optional(),
};

const { WEB_PORT, WEB_HOST, WEB_HTTP_URL } = readWebEnv();
const handler = await loadHandler(new URL('./build/handler.js', import.meta.url));
const server = createServer(handler);
server.listen(WEB_PORT, WEB_HOST);
await once(server, 'listening');
const listening = WEB_HOST.includes(':') ? `[${WEB_HOST}]` : WEB_HOST;
const httpUrl = WEB_HTTP_URL ?? `http://${listening}:${(server.address() as AddressInfo).port}`;

const service = await startService({
  name: 'web',
  version: pkg.version,
  description: 'SvelteKit web app',
  env: webEnv,
  httpUrl,
});
service.onShutdown(() => close(server));
service.logger.info({ httpUrl }, 'web app listening');

/** The port is needed before the host starts (discovery publishes the URL), so it is read first, failing the same way. */
function readWebEnv() {
  try {
    return loadEnv(webEnv);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`web: ${error.message}\n`);
    process.exit(78);
  }
}

async function loadHandler(url: URL): Promise<RequestListener> {
  try {
    const module = (await import(url.href)) as { handler: RequestListener };
    return module.handler;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND') {
      throw new Error(`no web build at ${url.pathname}: run "npm run build -w @tonearm/web" first`, { cause: error });
    }
    throw error;
  }
}

function close(target: Server): Promise<void> {
  return new Promise((resolve, reject) => target.close((error) => (error ? reject(error) : resolve())));
}
