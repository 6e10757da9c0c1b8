import { availableParallelism } from 'node:os';
import { ConfigError, loadEnv } from '@tonearm/runtime';
import { describe, expect, it } from 'vitest';
import { edgeEnvShape, edgeWorkersShape } from './edge-env.ts';

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
  it('runs one process by default, one per core with 0, and refuses a negative count', () => {
    expect(loadEnv(edgeWorkersShape, {}).EDGE_WORKERS).toBe(1);
    expect(loadEnv(edgeWorkersShape, { EDGE_WORKERS: '3' }).EDGE_WORKERS).toBe(3);
    expect(loadEnv(edgeWorkersShape, { EDGE_WORKERS: '0' }).EDGE_WORKERS).toBe(availableParallelism());
    expect(() => loadEnv(edgeWorkersShape, { EDGE_WORKERS: '-1' })).toThrow(/EDGE_WORKERS/);
  });
});
