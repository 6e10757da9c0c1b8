/**
 * The floor of any Node edge: a bare `node:http` server answering `GET <path>` with the bytes of
 * the files given, from memory, with no checks, headers or metrics. One process of it per core
 * (SO_REUSEPORT), as the edge's default. Run by `run.ts` as a reference.
 *
 * Usage: `node bench/edge/bare-node-server.ts <port> <url path prefix> <dir>`
 */
import { createServer } from 'node:http';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

const [port, prefix, dir] = process.argv.slice(2) as [string, string, string];
const files = new Map<string, Buffer>();
for (const name of await readdir(dir)) files.set(`${prefix}${name}`, await readFile(join(dir, name)));

createServer((req, res) => {
  const body = files.get(req.url ?? '');
  if (!body) {
    res.writeHead(404).end();
    return;
  }
  res.writeHead(200, ['content-type', 'audio/mp4', 'content-length', String(body.byteLength)]);
  res.end(body);
}).listen({ port: Number(port), host: '127.0.0.1', reusePort: true }, () => process.send?.('listening'));
