import { describe, expect, it } from 'vitest';
import { defaultSettings, parseSetting, runtimeSettings, settingKeys } from './runtime-settings.ts';

describe('runtime settings', () => {
  it('has defaults that pass their own schemas', () => {
    const defaults = defaultSettings();
    for (const key of settingKeys) expect(runtimeSettings[key].schema.safeParse(defaults[key]).success).toBe(true);
  });

  it('refuses a ladder out of bitrate order with a reason', () => {
    const result = parseSetting('transcode.ladder', [
      { name: 'hi', codec: 'aac-lc', bitrate: 256_000 },
      { name: 'lo', codec: 'aac-lc', bitrate: 64_000 },
    ]);
    expect(result).toMatchObject({ ok: false, error: expect.stringMatching(/rising bitrate/) });
  });

  it('accepts a valid ladder', () => {
    const ladder = [{ name: 'aac-96k', codec: 'aac-lc', bitrate: 96_000 }];
    expect(parseSetting('transcode.ladder', ladder)).toEqual({ ok: true, value: ladder });
  });
});
