import { describe, expect, it } from 'vitest';
import { levelFor, loadQuality, qualityOptions, saveQuality } from './quality.ts';

function memoryStorage() {
  const values = new Map<string, string>();
  return {
    getItem: (key: string) => values.get(key) ?? null,
    setItem: (key: string, value: string) => void values.set(key, value),
  };
}

describe('qualityOptions', () => {
  it('offers Auto then each bitrate once, lowest first', () => {
    expect(
      qualityOptions([{ bitrate: 256_000 }, { bitrate: 64_000 }, { bitrate: 128_000 }, { bitrate: 64_000 }]),
    ).toEqual([
      { value: 'auto', label: 'Auto' },
      { value: 64_000, label: '64 kbit/s' },
      { value: 128_000, label: '128 kbit/s' },
      { value: 256_000, label: '256 kbit/s' },
    ]);
  });

  it('offers Auto alone without renditions (native HLS)', () => {
    expect(qualityOptions([])).toEqual([{ value: 'auto', label: 'Auto' }]);
  });
});

describe('levelFor', () => {
  const levels = [{ bitrate: 64_000 }, { bitrate: 130_000 }, { bitrate: 260_000 }];

  it('is automatic for Auto or no levels', () => {
    expect(levelFor('auto', levels)).toBe(-1);
    expect(levelFor(128_000, [])).toBe(-1);
  });

  it('picks the closest bitrate', () => {
    expect(levelFor(128_000, levels)).toBe(1);
    expect(levelFor(64_000, levels)).toBe(0);
    expect(levelFor(320_000, levels)).toBe(2);
  });
});

describe('loadQuality and saveQuality', () => {
  it('round-trips a bitrate and Auto', () => {
    const storage = memoryStorage();
    expect(loadQuality(storage)).toBe('auto');
    saveQuality(storage, 128_000);
    expect(loadQuality(storage)).toBe(128_000);
    saveQuality(storage, 'auto');
    expect(loadQuality(storage)).toBe('auto');
  });

  it('treats a tampered value as Auto', () => {
    const storage = memoryStorage();
    storage.setItem('tonearm.quality', 'lots');
    expect(loadQuality(storage)).toBe('auto');
    expect(loadQuality(undefined)).toBe('auto');
  });
});
