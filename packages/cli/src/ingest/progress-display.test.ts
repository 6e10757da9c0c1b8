import { describe, expect, it } from 'vitest';
import { statusLine } from './progress-display.ts';

describe('statusLine', () => {
  it('shows files done, bytes, rate, ETA and the files in flight', () => {
    const sut = statusLine(
      { done: 1, files: 4, bytes: 1024, totalBytes: 4096, elapsedMs: 1000, inFlight: ['a.flac', 'b.mp3'] },
      200,
    );
    expect(sut).toBe('[1/4] 1.0 KiB/4.0 KiB 25% 1.0 KiB/s ETA 3s | a.flac, b.mp3');
  });

  it('has no ETA before any byte is sent and fits the width', () => {
    const sut = statusLine(
      { done: 0, files: 2, bytes: 0, totalBytes: 10, elapsedMs: 0, inFlight: ['x'.repeat(99)] },
      40,
    );
    expect(sut).toContain('ETA ?');
    expect(sut).toHaveLength(40);
  });
});
