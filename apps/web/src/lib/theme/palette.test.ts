import { describe, expect, it } from 'vitest';
import { contrastRatio, palettes, themeCss } from './palette.ts';

describe('contrastRatio', () => {
  it('is 21 for black on white and 1 for a colour on itself', () => {
    expect(contrastRatio('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrastRatio('#ffffff', '#000000')).toBeCloseTo(21, 5);
    expect(contrastRatio('#8f5300', '#8f5300')).toBe(1);
  });

  it('refuses what is not #rrggbb', () => {
    expect(() => contrastRatio('red', '#ffffff')).toThrow(/not a #rrggbb colour: red/);
  });
});

describe.each(['light', 'dark'] as const)('the %s palette', (name) => {
  const palette = palettes[name];

  it.each(['fg', 'muted', 'accent', 'danger'] as const)('keeps %s text at 4.5:1 on the page and the player', (text) => {
    expect(contrastRatio(palette[text], palette.bg)).toBeGreaterThanOrEqual(4.5);
    expect(contrastRatio(palette[text], palette.surface)).toBeGreaterThanOrEqual(4.5);
  });

  it('keeps the page colour readable on accent buttons', () => {
    expect(contrastRatio(palette.bg, palette.accent)).toBeGreaterThanOrEqual(4.5);
  });

  it('keeps the focus ring, the waveform and its played part at 3:1', () => {
    expect(contrastRatio(palette.focus, palette.bg)).toBeGreaterThanOrEqual(3);
    expect(contrastRatio(palette.wave, palette.surface)).toBeGreaterThanOrEqual(3);
    expect(contrastRatio(palette.accent, palette.wave)).toBeGreaterThanOrEqual(1.2);
  });
});

describe('themeCss', () => {
  it('follows the system unless the listener chose', () => {
    const css = themeCss();
    expect(css).toContain(`:root{--bg:${palettes.light.bg};`);
    expect(css).toContain(
      `@media (prefers-color-scheme: dark){:root:not([data-theme='light']){--bg:${palettes.dark.bg};`,
    );
    expect(css).toContain(`:root[data-theme='dark']{--bg:${palettes.dark.bg};`);
  });
});
