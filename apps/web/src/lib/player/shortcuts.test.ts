import { describe, expect, it } from 'vitest';
import { playerShortcut, type ShortcutKey } from './shortcuts.ts';

const press = (key: string, extra: Partial<ShortcutKey> = {}): ShortcutKey => ({
  key,
  shiftKey: false,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  inControl: false,
  ...extra,
});

describe('playerShortcut', () => {
  it.each([
    [press(' '), 'toggle'],
    [press('k'), 'toggle'],
    [press('ArrowRight'), 'forward'],
    [press('ArrowLeft'), 'back'],
    [press('ArrowRight', { shiftKey: true }), 'next'],
    [press('ArrowLeft', { shiftKey: true }), 'previous'],
  ])('maps %o to %s', (event, action) => {
    expect(playerShortcut(event)).toBe(action);
  });

  it.each([
    ['typed in a field or on a control', press(' ', { inControl: true })],
    ['with ctrl', press('ArrowRight', { ctrlKey: true })],
    ['with meta', press('k', { metaKey: true })],
    ['with alt', press('ArrowLeft', { altKey: true })],
    ['of another key', press('x')],
  ])('ignores a key %s', (_case, event) => {
    expect(playerShortcut(event)).toBeNull();
  });
});
