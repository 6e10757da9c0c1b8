import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { freePort } from '@tonearm/testing';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createS3Client, type StorageEnv } from '../storage-config.ts';

/**
 * Where moto's server is: `MOTO_SERVER_PATH`, else `moto_server` on the PATH, else in a pyenv
 * Python (CI runs without the shell profile that puts pyenv's shims on the PATH).
 */
export function motoServerPath(env: NodeJS.ProcessEnv = process.env): string {
  if (env.MOTO_SERVER_PATH) return env.MOTO_SERVER_PATH;
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (dir && existsSync(join(dir, 'moto_server'))) return join(dir, 'moto_server');
  }
  const versions = join(env.PYENV_ROOT ?? join(homedir(), '.pyenv'), 'versions');
  const found = existsSync(versions)
    ? readdirSync(versions)
        .sort()
        .reverse()
        .map((version) => join(versions, version, 'bin', 'moto_server'))
        .find((path) => existsSync(path))
    : undefined;
  return found ?? 'moto_server';
}

/** A private S3 server of one test file. */
export interface MotoS3 {
  env: StorageEnv & { S3_ENDPOINT: string };
  stop(): Promise<void>;
}

/**
 * Starts moto's S3 server ({@link motoServerPath}) on a free loopback port with an
 * empty bucket. Tests of multipart resume and abort use it because the local s3rver of the global
 * setup answers ListParts, ListMultipartUploads and AbortMultipartUpload with "not implemented".
 *
 * @example
 * const s3 = await startMotoS3();
 * afterAll(() => s3.stop());
 */
export async function startMotoS3(bucket = 'tonearm-test'): Promise<MotoS3> {
  const port = await freePort();
  const child = spawn(motoServerPath(), ['-H', '127.0.0.1', '-p', String(port)], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => void (stderr = (stderr + chunk.toString()).slice(-4000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let spawnError: Error | undefined;
  child.once('error', (error) => void (spawnError = error));
  const endpoint = `http://127.0.0.1:${port}`;
  for (let attempt = 0; ; attempt++) {
    if (spawnError) throw new Error(`moto_server could not start: ${spawnError.message}`);
    if (child.exitCode !== null) throw new Error(`moto_server exited with ${child.exitCode}: ${stderr}`);
    const up = await fetch(endpoint).then(
      (r) => r.ok,
      () => false,
    );
    if (up) break;
    if (attempt > 200) throw new Error(`moto_server did not answer on ${endpoint}: ${stderr}`);
    await sleep(100);
  }
  const env = {
    S3_ENDPOINT: endpoint,
    S3_REGION: 'us-east-1',
    S3_BUCKET: bucket,
    S3_ACCESS_KEY_ID: 'moto',
    S3_SECRET_ACCESS_KEY: 'moto',
    S3_KEY_PREFIX: '',
  };
  const client = createS3Client(env);
  await client.send(new CreateBucketCommand({ Bucket: bucket }));
  client.destroy();
  return {
    env,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
