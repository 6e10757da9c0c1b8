import { spawn } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { freePort, repositoryRoot } from '@tonearm/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/** Runs `node scripts/start.ts` with a fake `docker` first on PATH; resolves once it exits. */
function runStart(env: Record<string, string>, fakeDocker: string): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['scripts/start.ts'], {
      cwd: repositoryRoot,
      env: { ...process.env, PATH: `${fakeDocker}:${dirname(process.execPath)}:${process.env.PATH}`, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.resume();
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stderr }));
  });
}

describe('npm start, before it starts anything', () => {
  let fakeDocker: string;
  let dockerCalls: string;

  beforeAll(async () => {
    fakeDocker = await mkdtemp(join(tmpdir(), 'fake-docker-'));
    dockerCalls = join(fakeDocker, 'calls');
    await writeFile(
      join(fakeDocker, 'docker'),
      `#!/bin/sh\necho "$*" >> "${dockerCalls}"\n[ "$1" = info ] && exit "\${FAKE_DOCKER_INFO:-1}"\nexit 1\n`,
    );
    await chmod(join(fakeDocker, 'docker'), 0o755);
  });
  afterAll(() => rm(fakeDocker, { recursive: true, force: true }));

  it('stops naming the variable that has a bad value', async () => {
    const result = await runStart({ EDGE_PORT: 'eighty' }, fakeDocker);

    expect(result.code).toBe(78);
    expect(result.stderr).toMatch(/invalid configuration:\n {2}EDGE_PORT: /);
  });

  it('stops naming each service that does not answer and how to start it, without a Docker engine', async () => {
    const redisUrl = `redis://127.0.0.1:${await freePort()}`;

    const result = await runStart({ REDIS_URL: redisUrl }, fakeDocker);

    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`Redis does not answer at ${redisUrl} (REDIS_URL)`);
    expect(result.stderr).toContain('redis-server');
    expect(result.stderr).toContain('docker compose up -d redis');
    expect(result.stderr).not.toContain('NATS with JetStream does not answer');
  });

  it('runs docker compose for a missing local service when a Docker engine answers', async () => {
    const redisUrl = `redis://127.0.0.1:${await freePort()}`;
    await rm(dockerCalls, { force: true });

    const result = await runStart({ REDIS_URL: redisUrl, FAKE_DOCKER_INFO: '0' }, fakeDocker);

    expect(result.code).toBe(1);
    expect((await readFile(dockerCalls, 'utf8')).split('\n')).toContain('compose up -d redis');
    expect(result.stderr).toContain('docker compose up -d redis exited with 1');
  });

  describe('with a port it needs taken', () => {
    let server: Server;
    let port: number;

    beforeAll(async () => {
      server = createServer();
      await new Promise<void>((resolve) => server.listen(0, resolve));
      port = (server.address() as { port: number }).port;
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    it('stops naming the port and who needs it', async () => {
      const result = await runStart({ EDGE_PORT: String(port) }, fakeDocker);

      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`port ${port} for the edge (EDGE_PORT) is in use`);
    });
  });
});
