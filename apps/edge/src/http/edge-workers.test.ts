import { describe, expect, it } from 'vitest';
import { workerEnv } from './edge-workers.ts';

describe('workerEnv', () => {
  it('shares the public port and gives each worker its own operations port', () => {
    expect(workerEnv(0, 9105)).toEqual({ EDGE_WORKER_INDEX: '0', EDGE_REUSE_PORT: 'true', OPS_PORT: '9105' });
    expect(workerEnv(2, 9105)).toMatchObject({ OPS_PORT: '9107' });
  });

  it('keeps an ephemeral operations port ephemeral', () => {
    expect(workerEnv(1, 0)).toMatchObject({ OPS_PORT: '0' });
  });
});
