import { parseTraceparent } from '@tonearm/runtime';
import { describe, expect, it } from 'vitest';
import { segmentTraceparent } from './hot-segment-listener.ts';

describe('segmentTraceparent', () => {
  it('starts a valid new trace with a fresh span each time when the caller sent none', () => {
    const first = parseTraceparent(segmentTraceparent(undefined));
    const second = parseTraceparent(segmentTraceparent(undefined));

    expect(first).toMatchObject({ traceId: expect.stringMatching(/^[0-9a-f]{32}$/), flags: '01' });
    expect(first!.spanId).toMatch(/^[0-9a-f]{16}$/);
    expect(second!.traceId).not.toBe(first!.traceId);
    expect(second!.spanId).not.toBe(first!.spanId);
  });

  it("continues the caller's trace in a new span", () => {
    const parent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

    const child = parseTraceparent(segmentTraceparent(parent));

    expect(child).toMatchObject({ traceId: '4bf92f3577b34da6a3ce929d0e0e4736', flags: '01' });
    expect(child!.spanId).not.toBe('00f067aa0ba902b7');
  });

  it('starts a new trace for a malformed parent', () => {
    const child = parseTraceparent(segmentTraceparent('00-nonsense-01'));

    expect(child?.traceId).toMatch(/^[0-9a-f]{32}$/);
  });
});
