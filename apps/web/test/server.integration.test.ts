import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { connectBus, listInstances, type Bus } from '@tonearm/bus';
import { createLogger } from '@tonearm/runtime';
import {
  freePort,
  isolatedNamespace,
  repositoryRoot,
  serviceUrls,
  startChildService,
  type ChildService,
} from '@tonearm/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const appDir = fileURLToPath(new URL('..', import.meta.url));
const namespace = isolatedNamespace('web');
let sut: ChildService;
let bus: Bus;
let webUrl: string;

/** Runs a build tool of the repository in the app's directory, failing with its output. */
function runTool(tool: string, args: string[]): void {
  const result = spawnSync(process.execPath, [join(repositoryRoot, 'node_modules/.bin', tool), ...args], {
    cwd: appDir,
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`${tool} ${args.join(' ')} failed:\n${result.stdout}${result.stderr}`);
}

/** Newest modification time of the files the vite build reads. */
function newestSource(): number {
  const files = ['vite.config.ts', 'package.json', 'src', 'static'].flatMap((entry) => {
    const path = join(appDir, entry);
    return statSync(path).isDirectory()
      ? readdirSync(path, { recursive: true, encoding: 'utf8' }).map((file) => join(path, file))
      : [path];
  });
  return Math.max(...files.map((file) => statSync(file).mtimeMs));
}

function builtAt(): number {
  return statSync(join(appDir, 'build/handler.js'), { throwIfNoEntry: false })?.mtimeMs ?? 0;
}

beforeAll(async () => {
  bus = await connectBus({
    url: serviceUrls().natsUrl,
    namespace,
    name: 'web-test',
    logger: createLogger({ service: 'web-test', instanceId: 'test', level: 'silent' }),
  });
  // Only when missing or stale: another test may be serving this build/ right now.
  if (builtAt() < newestSource()) {
    runTool('vite', ['build']);
  }
}, 120_000);

afterAll(async () => {
  await sut?.stop('SIGKILL');
  if (!bus) return;
  const streams = [...bus.topology.streams.map((stream) => stream.name), `KV_${bus.topology.settingsBucket}`];
  for (const stream of streams) await bus.jsm.streams.delete(stream).catch(() => false);
  await bus.close();
});

describe('web server', () => {
  it('starts from server.ts and answers 200 on /healthz', async () => {
    const port = await freePort();
    webUrl = `http://127.0.0.1:${port}`;
    sut = await startChildService({ app: 'web', env: { BUS_NAMESPACE: namespace, WEB_PORT: String(port) } });

    const response = await fetch(`${sut.opsUrl}/healthz`);

    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'ok', checks: { bus: { status: 'ok' } } });
  });

  it('announces its HTTP URL on the bus for the edge to find', async () => {
    const instances = await listInstances(bus, { name: 'web' });

    expect(instances).toEqual([
      expect.objectContaining({
        name: 'web',
        metadata: expect.objectContaining({ namespace, httpUrl: webUrl, opsUrl: sut.opsUrl }),
      }),
    ]);
  });

  it('renders the landing page on WEB_PORT', async () => {
    const response = await fetch(`${webUrl}/`);
    const body = await response.text();

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(body).toMatch(/<title>Tonearm<\/title>/);
    expect(body).toMatch(/<h1[^>]*>Tonearm<\/h1>/);
  });

  it('serves the static assets of the build', async () => {
    const response = await fetch(`${webUrl}/favicon.svg`);

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^image\/svg\+xml/);
  });

  it('answers 404 with an HTML page for a path with no route', async () => {
    const response = await fetch(`${webUrl}/no-such-page`);

    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
  });

  it('closes the HTTP server and exits 0 on SIGTERM', async () => {
    const code = await sut.stop('SIGTERM');

    expect(code).toBe(0);
    expect(sut.output()).toMatch(/"clean":true[^\n]*"msg":"stopped"/);
    await expect(fetch(`${webUrl}/`)).rejects.toThrow();
  });
});

describe('web configuration', () => {
  it.each(['not-a-port', '70000', '-1'])('refuses WEB_PORT=%s and names the variable', async (value) => {
    const start = startChildService({ app: 'web', env: { BUS_NAMESPACE: namespace, WEB_PORT: value } });

    await expect(start).rejects.toThrow(/exited with code 78[\s\S]*WEB_PORT/);
  });
});
