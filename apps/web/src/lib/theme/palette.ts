/** The colour variables of one theme. */
export interface Palette {
  bg: string;
  surface: string;
  fg: string;
  muted: string;
  accent: string;
  danger: string;
  focus: string;
  /** Unplayed waveform bars (a graphic: at least 3:1 against the player's surface). */
  wave: string;
}

/** The two themes. Text colours keep 4.5:1 against `bg` and `surface` (checked by palette.test.ts). */
export const palettes: Record<'light' | 'dark', Palette> = {
  light: {
    bg: '#faf7f2',
    surface: '#f0ebe2',
    fg: '#1f1b16',
    muted: '#5c544a',
    accent: '#8f5300',
    danger: '#b3261e',
    focus: '#0a58ca',
    wave: '#8a8075',
  },
  dark: {
    bg: '#15130f',
    surface: '#221f19',
    fg: '#f2ede4',
    muted: '#b5ab9c',
    accent: '#e8a33d',
    danger: '#ff8a80',
    focus: '#8ab4ff',
    wave: '#7d7468',
  },
};

function channel(value: number): number {
  const c = value / 255;
  return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
}

function luminance(hex: string): number {
  const match = /^#([0-9a-f]{6})$/i.exec(hex);
  if (!match) throw new Error(`not a #rrggbb colour: ${hex}`);
  const n = Number.parseInt(match[1]!, 16);
  return 0.2126 * channel((n >> 16) & 255) + 0.7152 * channel((n >> 8) & 255) + 0.0722 * channel(n & 255);
}

/**
 * The WCAG 2 contrast ratio of two `#rrggbb` colours (1 to 21).
 * @example
 * contrastRatio('#000000', '#ffffff') // 21
 */
export function contrastRatio(a: string, b: string): number {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (light + 0.05) / (dark + 0.05);
}

function variables(palette: Palette): string {
  return Object.entries(palette)
    .map(([name, value]) => `--${name}:${value};`)
    .join('');
}

/**
 * The stylesheet of the themes: the system's choice (`prefers-color-scheme`) unless the root
 * element carries `data-theme="light"` or `"dark"` (the listener's choice).
 */
export function themeCss(): string {
  const light = variables(palettes.light);
  const dark = variables(palettes.dark);
  return [
    `:root{${light}color-scheme:light}`,
    `@media (prefers-color-scheme: dark){:root:not([data-theme='light']){${dark}color-scheme:dark}}`,
    `:root[data-theme='dark']{${dark}color-scheme:dark}`,
  ].join('');
}
