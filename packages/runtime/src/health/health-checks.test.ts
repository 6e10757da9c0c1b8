import { describe, expect, it } from 'vitest';
import { runHealthChecks } from './health-checks.ts';

describe('runHealthChecks', () => {
  it('is ok when every check is ok', async () => {
    expect(await runHealthChecks({ a: () => ({ status: 'ok' }) })).toEqual({
      status: 'ok',
      checks: { a: { status: 'ok' } },
    });
  });

  it('is failing when a check throws, with its message', async () => {
    const sut = await runHealthChecks({
      a: () => ({ status: 'degraded' }),
      b: async () => {
        throw new Error('connection refused');
      },
    });
    expect(sut).toEqual({
      status: 'failing',
      checks: { a: { status: 'degraded' }, b: { status: 'failing', detail: 'connection refused' } },
    });
  });

  it('fails a check that does not answer in time', async () => {
    const sut = await runHealthChecks({ slow: () => new Promise(() => {}) }, 20);
    expect(sut.checks.slow).toEqual({ status: 'failing', detail: 'no answer within 20 ms' });
  });
});
