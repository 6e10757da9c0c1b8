import { HeadBucketCommand } from '@aws-sdk/client-s3';
import { existsSync } from 'node:fs';
import { describe, expect, inject, it } from 'vitest';
import { isolatedName } from '../isolated-names.ts';
import { freePort } from '../processes/free-port.ts';
import { createS3Client } from '../s3/s3-test-client.ts';
import { serviceUrls } from '../service-urls.ts';
import { prepareTestServices } from './test-services.ts';

const containerEngine = Boolean(process.env.DOCKER_HOST) || existsSync('/var/run/docker.sock');

function runningServices(): NodeJS.ProcessEnv {
  const urls = serviceUrls();
  return { NATS_URL: urls.natsUrl, DATABASE_URL: urls.databaseUrl, REDIS_URL: urls.redisUrl };
}

describe('prepareTestServices', () => {
  it('finds the running services and starts a local S3 with the bucket when S3_ENDPOINT is unset', async () => {
    const sut = await prepareTestServices({ env: runningServices() });
    const client = createS3Client(sut.s3);
    try {
      expect(sut.env).toMatchObject({
        S3_ENDPOINT: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/),
        S3_BUCKET: 'tonearm-test',
      });
      expect(sut.env).not.toHaveProperty('NATS_URL');
      expect(sut.services).toMatchObject({ ...serviceUrls(), s3Endpoint: sut.env.S3_ENDPOINT });
      await expect(client.send(new HeadBucketCommand({ Bucket: 'tonearm-test' }))).resolves.toBeDefined();
    } finally {
      client.destroy();
      await sut.stop();
    }

    await expect(fetch(sut.s3.endpoint)).rejects.toThrow();
  });

  it('uses the S3 server S3_ENDPOINT names and creates the bucket S3_BUCKET names', async () => {
    const bucket = isolatedName('bucket').replace('_', '-');
    const given = inject('s3');

    const sut = await prepareTestServices({
      env: { ...runningServices(), S3_ENDPOINT: given.endpoint, S3_BUCKET: bucket },
    });
    const client = createS3Client(sut.s3);
    try {
      expect(sut.env).not.toHaveProperty('S3_ENDPOINT');
      expect(sut.s3).toMatchObject({ endpoint: given.endpoint, bucket });
      await expect(client.send(new HeadBucketCommand({ Bucket: bucket }))).resolves.toBeDefined();
    } finally {
      client.destroy();
      await sut.stop();
    }
  });

  it('uses the URL of a container it starts for a service that does not answer, and stops it', async () => {
    const closed = `redis://127.0.0.1:${await freePort()}`;
    const started: string[] = [];
    let stopped = 0;

    const sut = await prepareTestServices({
      env: { ...runningServices(), REDIS_URL: closed, S3_ENDPOINT: inject('s3').endpoint },
      startContainer: async (service) => {
        started.push(service);
        return { url: serviceUrls().redisUrl, stop: async () => void stopped++ };
      },
    });
    await sut.stop();

    expect(started).toEqual(['redis']);
    expect(sut.env.REDIS_URL).toBe(serviceUrls().redisUrl);
    expect(sut.services.redisUrl).toBe(serviceUrls().redisUrl);
    expect(stopped).toBe(1);
  });

  it.skipIf(containerEngine)(
    'fails naming every missing service, its URL and how to start it when no container engine answers',
    async () => {
      const natsUrl = `nats://127.0.0.1:${await freePort()}`;
      const redisUrl = `redis://127.0.0.1:${await freePort()}`;

      const preparing = prepareTestServices({ env: { ...runningServices(), NATS_URL: natsUrl, REDIS_URL: redisUrl } });

      await expect(preparing).rejects.toThrow(
        new RegExp(
          [
            'Integration tests need these services:',
            `NATS with JetStream does not answer at ${natsUrl} \\(NATS_URL\\)[\\s\\S]*nats-server[\\s\\S]*-js`,
            `Redis does not answer at ${redisUrl} \\(REDIS_URL\\)[\\s\\S]*redis-server`,
            'no container either: Could not find a working container runtime strategy',
          ].join('[\\s\\S]*'),
        ),
      );
    },
  );
});
