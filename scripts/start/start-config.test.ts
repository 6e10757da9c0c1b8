import { ConfigError } from '@tonearm/runtime';
import { describe, expect, it } from 'vitest';
import { readStartConfig } from './start-config.ts';

describe('readStartConfig', () => {
  it('runs on the local services with the standard ports when nothing is set', () => {
    expect(readStartConfig({})).toEqual({
      NATS_URL: 'nats://127.0.0.1:4222',
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/postgres',
      REDIS_URL: 'redis://127.0.0.1:6379',
      S3_REGION: 'us-east-1',
      S3_BUCKET: 'tonearm',
      S3_KEY_PREFIX: '',
      LOCAL_S3_PORT: 9000,
      EDGE_PORT: 8080,
      WEB_PORT: 3000,
      START_TIMEOUT_MS: 60_000,
      SHUTDOWN_TIMEOUT_MS: 25_000,
    });
  });

  it('takes the values that are set', () => {
    const sut = readStartConfig({
      EDGE_PORT: '8081',
      S3_ENDPOINT: 'https://s3.example.com',
      S3_ACCESS_KEY_ID: 'id',
      S3_SECRET_ACCESS_KEY: 'secret',
      CATALOG_DATABASE_URL: 'postgres://catalog@db/catalog',
    });

    expect(sut).toMatchObject({
      EDGE_PORT: 8081,
      S3_ENDPOINT: 'https://s3.example.com',
      CATALOG_DATABASE_URL: 'postgres://catalog@db/catalog',
    });
  });

  it.each([
    ['EDGE_PORT', 'eighty'],
    ['EDGE_PORT', '70000'],
    ['WEB_PORT', '-1'],
    ['NATS_URL', 'http://127.0.0.1:4222'],
    ['DATABASE_URL', 'not a url'],
    ['REDIS_URL', 'postgres://127.0.0.1'],
    ['S3_ENDPOINT', 'ftp://s3'],
    ['S3_BUCKET', 'Upper_Case'],
    ['START_TIMEOUT_MS', '10'],
  ])('stops on a bad %s, naming it', (variable, value) => {
    expect(() => readStartConfig({ [variable]: value })).toThrow(ConfigError);
    expect(() => readStartConfig({ [variable]: value })).toThrow(
      new RegExp(`^invalid configuration:\\n  ${variable}: `),
    );
  });

  it('never echoes the bad value (it may be a secret)', () => {
    expect(() => readStartConfig({ DATABASE_URL: 'hunter2' })).toThrow(/^(?![\s\S]*hunter2)/);
  });

  it('refuses two public ports on one number', () => {
    expect(() => readStartConfig({ EDGE_PORT: '3000' })).toThrow(/EDGE_PORT, WEB_PORT: all set to port 3000/);
  });

  it('lets several ports be 0 (any free port)', () => {
    expect(readStartConfig({ WEB_PORT: '0', LOCAL_S3_PORT: '0' })).toMatchObject({ WEB_PORT: 0, LOCAL_S3_PORT: 0 });
  });
});

describe('START_APPS', () => {
  it('takes a comma-separated list of apps', () => {
    expect(readStartConfig({ START_APPS: 'identity, edge' }).START_APPS).toEqual(['identity', 'edge']);
  });

  it('refuses an app that does not exist, naming the variable', () => {
    expect(() => readStartConfig({ START_APPS: 'edge,webb' })).toThrow(/START_APPS/);
  });
});
