import { createServer } from 'node:net';

/**
 * A TCP port that nothing listens on right now, found by letting the kernel pick one.
 * Another process may take it before you bind it; pass it on at once.
 *
 * @example
 * const port = await freePort();
 */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port ? resolve(port) : reject(new Error('the kernel gave no port'))));
    });
  });
}

/**
 * Whether a TCP port can be bound right now on every interface (how servers usually bind).
 *
 * @example
 * if (!(await isPortFree(8080))) throw new Error('port 8080 is taken');
 */
export function isPortFree(port: number, host?: string): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
  });
}
