/** The listener's theme: follow the system, or always light or dark. */
export type ThemeChoice = 'system' | 'light' | 'dark';

/** Where the choice is kept (also read by the inline script in `app.html`, before the first paint). */
export const themeKey = 'tonearm.theme';

/** The kept choice; `system` when there is none or it is not a choice. */
export function loadTheme(storage: Pick<Storage, 'getItem'> | undefined): ThemeChoice {
  const kept = storage?.getItem(themeKey);
  return kept === 'light' || kept === 'dark' ? kept : 'system';
}

/**
 * The choice after `current` when the toggle is pressed: system, light, dark, then system again.
 * @example
 * nextTheme('light') // 'dark'
 */
export function nextTheme(current: ThemeChoice): ThemeChoice {
  return current === 'system' ? 'light' : current === 'light' ? 'dark' : 'system';
}

/** Keeps the choice and shows it on `root` (`data-theme`, none for the system's). */
export function applyTheme(
  choice: ThemeChoice,
  root: HTMLElement | undefined,
  storage: Pick<Storage, 'setItem' | 'removeItem'> | undefined,
): void {
  if (choice === 'system') {
    storage?.removeItem(themeKey);
    delete root?.dataset.theme;
  } else {
    storage?.setItem(themeKey, choice);
    if (root) root.dataset.theme = choice;
  }
}
