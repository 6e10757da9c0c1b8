import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineRpc, rpcReplySchema, rpcSubject } from './rpc-definition.ts';

describe('rpc definitions', () => {
  const sut = defineRpc({
    service: 'catalog',
    operation: 'get-track',
    access: 'public',
    description: 'test',
    input: z.object({ id: z.string() }),
    output: z.object({ id: z.string() }),
  });

  it('puts operations under the namespace, outside the event streams', () => {
    expect(rpcSubject('tonearm', sut)).toBe('tonearm.rpc.catalog.get-track');
  });

  it('refuses an operation name that would break the subject', () => {
    expect(() => defineRpc({ ...sut, operation: 'get.track' })).toThrow(/lower-case/);
    expect(() => defineRpc({ ...sut, operation: 'GetTrack' })).toThrow(/lower-case/);
  });

  it('reads a reply as output or error', () => {
    expect(rpcReplySchema.parse({ ok: true, output: 1 })).toEqual({ ok: true, output: 1 });
    expect(rpcReplySchema.safeParse({ ok: false, error: { code: 'nope', message: 'x' } }).success).toBe(false);
  });
});
