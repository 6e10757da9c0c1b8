import { availableParallelism } from 'node:os';
import { ConfigError, loadEnv } from '@tonearm/runtime';
import { describe, expect, it } from 'vitest';
import { edgeEnvShape, edgeWorkersShape, workerCacheBytes } from './edge-env.ts';

const shape = { EDGE_TRUSTED_PROXIES: edgeEnvShape.EDGE_TRUSTED_PROXIES };

describe('EDGE_TRUSTED_PROXIES', () => {
  it('trusts nobody when unset', () => {
    expect(loadEnv(shape, {}).EDGE_TRUSTED_PROXIES).toEqual([]);
  });

  it('reads a comma-separated list of addresses and CIDR ranges', () => {
    const sut = loadEnv(shape, { EDGE_TRUSTED_PROXIES: ' 10.0.0.0/8, ::1 ,fd00::/8,' });
    expect(sut.EDGE_TRUSTED_PROXIES).toEqual(['10.0.0.0/8', '::1', 'fd00::/8']);
  });

  it.each(['proxy.internal', '10.0.0.0/40', '10.0.0.1, nonsense'])(
    'stops start-up on %j, naming the variable',
    (value) => {
      const refusal = (() => {
        try {
          loadEnv(shape, { EDGE_TRUSTED_PROXIES: value });
          return undefined;
        } catch (error) {
          return error;
        }
      })();
      expect(refusal).toBeInstanceOf(ConfigError);
      expect((refusal as ConfigError).variables).toEqual(['EDGE_TRUSTED_PROXIES']);
    },
  );
});

describe('EDGE_WORKERS', () => {
  it('runs one process per available core by default, with auto and with 0', () => {
    expect(loadEnv(edgeWorkersShape, {}).EDGE_WORKERS).toBe(availableParallelism());
    expect(loadEnv(edgeWorkersShape, { EDGE_WORKERS: 'auto' }).EDGE_WORKERS).toBe(availableParallelism());
    expect(loadEnv(edgeWorkersShape, { EDGE_WORKERS: '0' }).EDGE_WORKERS).toBe(availableParallelism());
  });

  it('takes an explicit count as it is', () => {
    expect(loadEnv(edgeWorkersShape, { EDGE_WORKERS: '1' }).EDGE_WORKERS).toBe(1);
    expect(loadEnv(edgeWorkersShape, { EDGE_WORKERS: '3' }).EDGE_WORKERS).toBe(3);
  });

  it.each(['-1', '65', '1.5', 'many', 'AUTO'])('stops start-up on %j, naming the variable', (value) => {
    expect(() => loadEnv(edgeWorkersShape, { EDGE_WORKERS: value })).toThrow(/EDGE_WORKERS/);
  });
});

describe('workerCacheBytes', () => {
  it('splits the configured bound over the workers, so it stays the edge total', () => {
    expect(workerCacheBytes(64 * 1024 ** 2, 1)).toBe(64 * 1024 ** 2);
    expect(workerCacheBytes(64 * 1024 ** 2, 2)).toBe(32 * 1024 ** 2);
    expect(workerCacheBytes(100, 3)).toBe(33);
    expect(workerCacheBytes(0, 4)).toBe(0);
  });
});
