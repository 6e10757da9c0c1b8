import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { booleanVariable, ConfigError, loadEnv, portVariable, urlVariable } from './env-config.ts';

describe('loadEnv', () => {
  const shape = {
    OPS_PORT: portVariable(9100),
    NATS_URL: urlVariable(['nats', 'tls'], 'nats://127.0.0.1:4222'),
    VERBOSE: booleanVariable(false),
    NAME: z.string().min(1),
  };

  it('applies defaults and coerces values', () => {
    expect(loadEnv(shape, { NAME: 'x', OPS_PORT: '0', VERBOSE: 'yes' })).toEqual({
      OPS_PORT: 0,
      NATS_URL: 'nats://127.0.0.1:4222',
      VERBOSE: true,
      NAME: 'x',
    });
  });

  it('names a variable that is not a URL at all', () => {
    expect(() => loadEnv(shape, { NAME: 'x', NATS_URL: 'not-a-url' })).toThrow(/NATS_URL/);
  });

  it('treats an empty variable as unset', () => {
    expect(loadEnv(shape, { NAME: 'x', OPS_PORT: '' }).OPS_PORT).toBe(9100);
  });

  it('names every bad variable at once without echoing values', () => {
    const sut = () => loadEnv(shape, { OPS_PORT: '99999', NATS_URL: 'http://secret@host', VERBOSE: 'maybe' });
    expect(sut).toThrow(ConfigError);
    try {
      sut();
    } catch (error) {
      expect((error as ConfigError).variables.sort()).toEqual(['NAME', 'NATS_URL', 'OPS_PORT', 'VERBOSE']);
      expect((error as Error).message).toMatch(/NATS_URL: must be a nats or tls URL/);
      expect((error as Error).message).not.toMatch(/secret/);
    }
  });
});
