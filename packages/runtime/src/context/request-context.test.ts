import { describe, expect, it } from 'vitest';
import {
  childTraceparent,
  currentContext,
  newTraceparent,
  parseTraceparent,
  runWithContext,
} from './request-context.ts';

describe('request context', () => {
  it('is visible inside the run, across awaits, and gone after', async () => {
    await runWithContext({ correlationId: 'c-1' }, async () => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      expect(currentContext()?.correlationId).toBe('c-1');
    });
    expect(currentContext()).toBeUndefined();
  });

  it('keeps the trace id and makes a new span for a child', () => {
    const parent = newTraceparent();
    const child = childTraceparent(parent);
    expect(parseTraceparent(child)?.traceId).toBe(parseTraceparent(parent)?.traceId);
    expect(parseTraceparent(child)?.spanId).not.toBe(parseTraceparent(parent)?.spanId);
  });

  it('starts a new trace from a malformed or all-zero parent', () => {
    expect(parseTraceparent('00-abc-def-01')).toBeUndefined();
    expect(parseTraceparent(`00-${'0'.repeat(32)}-${'1'.repeat(16)}-01`)).toBeUndefined();
    expect(parseTraceparent(childTraceparent('garbage'))).toBeDefined();
  });
});
