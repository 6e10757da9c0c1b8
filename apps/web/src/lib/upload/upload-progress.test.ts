import { describe, expect, it } from 'vitest';
import { bytesSent, formatBytes, overallProgress } from './upload-progress.ts';

describe('bytesSent', () => {
  it('adds finished parts and parts in flight, counting a finished part once', () => {
    expect(bytesSent(100, { 1: 50 }, { 1: 50, 2: 20 })).toBe(70);
  });

  it('never says more than the file', () => {
    expect(bytesSent(60, { 1: 50 }, { 2: 20 })).toBe(60);
  });
});

describe('overallProgress', () => {
  it('weighs files by their size', () => {
    expect(
      overallProgress([
        { size: 100, sent: 100 },
        { size: 300, sent: 0 },
      ]),
    ).toEqual({ sent: 100, total: 400, fraction: 0.25 });
  });

  it('is complete when there is nothing to send', () => {
    expect(overallProgress([]).fraction).toBe(1);
  });
});

describe('formatBytes', () => {
  it('picks a unit people read', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1_572_864)).toBe('1.5 MB');
    expect(formatBytes(300 * 1024 ** 3)).toBe('300 GB');
  });
});
