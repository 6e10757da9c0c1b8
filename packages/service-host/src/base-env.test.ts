import { loadEnv } from '@tonearm/runtime';
import { describe, expect, it } from 'vitest';
import { baseEnvShape } from './base-env.ts';

describe('baseEnvShape', () => {
  it('gives each service its own default ops port', () => {
    expect(loadEnv(baseEnvShape('ingest'), {}).OPS_PORT).toBe(9102);
    expect(loadEnv(baseEnvShape('edge'), {}).OPS_PORT).toBe(9105);
  });

  it('stops on a namespace that would break subjects, naming the variable', () => {
    expect(() => loadEnv(baseEnvShape('ingest'), { BUS_NAMESPACE: 'Tone.arm' })).toThrow(/BUS_NAMESPACE/);
  });

  it('stops on a NATS URL of another protocol', () => {
    expect(() => loadEnv(baseEnvShape('ingest'), { NATS_URL: 'http://127.0.0.1:4222' })).toThrow(/NATS_URL/);
  });
});
