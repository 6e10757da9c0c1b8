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

  it('keeps one copy of each stream unless told to replicate', () => {
    expect(loadEnv(baseEnvShape('ingest'), {}).BUS_STREAM_REPLICAS).toBe(1);
    expect(loadEnv(baseEnvShape('ingest'), { BUS_STREAM_REPLICAS: '3' }).BUS_STREAM_REPLICAS).toBe(3);
    expect(() => loadEnv(baseEnvShape('ingest'), { BUS_STREAM_REPLICAS: '0' })).toThrow(/BUS_STREAM_REPLICAS/);
  });

  it('stops on a NATS URL of another protocol', () => {
    expect(() => loadEnv(baseEnvShape('ingest'), { NATS_URL: 'http://127.0.0.1:4222' })).toThrow(/NATS_URL/);
  });
});
