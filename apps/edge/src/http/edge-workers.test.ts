import { describe, expect, it } from 'vitest';
import { workerEnv } from './edge-workers.ts';

const settings = { count: 2, opsPort: 9105, mediaSecret: 'k'.repeat(32) };

describe('workerEnv', () => {
  it('shares the public port, the worker count and the playback key', () => {
    expect(workerEnv(0, settings)).toEqual({
      EDGE_WORKER_INDEX: '0',
      EDGE_WORKERS: '2',
      EDGE_REUSE_PORT: 'true',
      EDGE_MEDIA_SECRET: settings.mediaSecret,
      OPS_PORT: '9105',
    });
  });

  it("keeps OPS_PORT for worker 0 only: the next ports are other services' (web's is 9106)", () => {
    expect(workerEnv(1, settings)).toMatchObject({ EDGE_WORKER_INDEX: '1', OPS_PORT: '0' });
    expect(workerEnv(3, { ...settings, count: 4 })).toMatchObject({ EDGE_WORKERS: '4', OPS_PORT: '0' });
  });
});
