import { describe, expect, it } from 'vitest';
import { applyTheme, loadTheme, nextTheme, themeKey } from './theme-choice.ts';

function memoryStorage() {
  const values = new Map<string, string>();
  return {
    getItem: (key: string) => values.get(key) ?? null,
    setItem: (key: string, value: string) => void values.set(key, value),
    removeItem: (key: string) => void values.delete(key),
  };
}

describe('theme choice', () => {
  it('cycles system, light, dark', () => {
    expect(nextTheme('system')).toBe('light');
    expect(nextTheme('light')).toBe('dark');
    expect(nextTheme('dark')).toBe('system');
  });

  it('keeps a choice and forgets it when back to the system', () => {
    const storage = memoryStorage();
    const root = { dataset: {} as Record<string, string> } as unknown as HTMLElement;
    applyTheme('dark', root, storage);
    expect(loadTheme(storage)).toBe('dark');
    expect(root.dataset.theme).toBe('dark');
    applyTheme('system', root, storage);
    expect(loadTheme(storage)).toBe('system');
    expect(root.dataset.theme).toBeUndefined();
  });

  it('treats a tampered value as the system', () => {
    const storage = memoryStorage();
    storage.setItem(themeKey, 'neon');
    expect(loadTheme(storage)).toBe('system');
  });
});
