import { describe, expect, it } from 'vitest';
import { formatDuration, redraw, renderProgress, type ProgressState } from './progress-display.ts';

const MiB = 1024 ** 2;

describe('renderProgress', () => {
  it('draws the overall bar with files, bytes, rate and ETA, then one line per file in flight', () => {
    const state: ProgressState = {
      done: 1,
      files: 4,
      bytes: 10 * MiB,
      totalBytes: 40 * MiB,
      elapsedMs: 5000,
      inFlight: [
        { name: '01 Première chanson.flac', size: 20 * MiB, bytes: 5 * MiB, phase: 'uploading' },
        { name: 'track two.mp3', size: 2 * MiB, bytes: 2 * MiB, phase: 'processing' },
      ],
    };
    expect(renderProgress(state, 200)).toEqual([
      '[#####---------------]  25% 1/4 files 10.0 MiB/40.0 MiB 2.0 MiB/s ETA 15s',
      '  [###-------] 5.0 MiB/20.0 MiB 01 Première chanson.flac',
      '  uploaded, processing track two.mp3',
    ]);
  });

  it('has no ETA before any byte is sent, and 0s once everything is sent', () => {
    const base = { done: 0, files: 1, totalBytes: 100, inFlight: [] };
    expect(renderProgress({ ...base, bytes: 0, elapsedMs: 0 }, 200)[0]).toContain('ETA ?');
    expect(renderProgress({ ...base, bytes: 100, elapsedMs: 10 }, 200)[0]).toContain('100% 0/1 files');
    expect(renderProgress({ ...base, bytes: 100, elapsedMs: 10 }, 200)[0]).toContain('ETA 0s');
  });

  it('cuts every line to the width so nothing wraps and the redraw stays in place', () => {
    const sut = renderProgress(
      {
        done: 0,
        files: 2,
        bytes: 0,
        totalBytes: 10,
        elapsedMs: 0,
        inFlight: [{ name: 'x'.repeat(99), size: 10, bytes: 0, phase: 'uploading' }],
      },
      40,
    );
    expect(sut.map((line) => line.length)).toEqual([40, 40]);
    expect(sut[1]!.endsWith('…')).toBe(true);
  });

  it('shows at most maxFiles files and counts the others', () => {
    const inFlight = ['a', 'b', 'c', 'd'].map((name) => ({ name, size: 1, bytes: 0, phase: 'uploading' as const }));
    const sut = renderProgress({ done: 0, files: 4, bytes: 0, totalBytes: 4, elapsedMs: 1, inFlight }, 80, 2);
    expect(sut).toHaveLength(4);
    expect(sut[3]).toBe('  … and 2 more');
  });
});

describe('redraw', () => {
  it('moves up over the last drawing, clears below, prints what stays, then the live lines', () => {
    expect(redraw(2, ['done a.flac'], ['[###] 50%'])).toBe('\u001b[2F\u001b[Jdone a.flac\n[###] 50%\n');
  });

  it('moves nowhere the first time', () => {
    expect(redraw(0, [], ['a', 'b'])).toBe('a\nb\n');
  });
});

describe('formatDuration', () => {
  it.each([
    [0, '0s'],
    [44.2, '45s'],
    [185, '3m05s'],
    [3720, '1h02m'],
  ])('%s s is %s', (seconds, text) => {
    expect(formatDuration(seconds)).toBe(text);
  });
});
