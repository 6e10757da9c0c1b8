/** What a key press asks of the player. */
export type PlayerShortcut = 'toggle' | 'next' | 'previous' | 'forward' | 'back';

/** The parts of a keyboard event the shortcuts read. */
export interface ShortcutKey {
  key: string;
  shiftKey: boolean;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  /** True when focus is in a field or on a control that uses the key itself. */
  inControl: boolean;
}

/**
 * The player action of a key press, or null: space or k play/pause, ←/→ seek 10 s, shift+←/→
 * previous/next track. Keys typed in a field or pressed on a control, and modified by ctrl, meta or
 * alt, belong to them and the browser.
 * @example
 * playerShortcut({ key: ' ', shiftKey: false, ctrlKey: false, metaKey: false, altKey: false, inControl: false }) // 'toggle'
 */
export function playerShortcut(event: ShortcutKey): PlayerShortcut | null {
  if (event.inControl || event.ctrlKey || event.metaKey || event.altKey) return null;
  if (event.key === ' ' || event.key === 'k') return 'toggle';
  if (event.key === 'ArrowRight') return event.shiftKey ? 'next' : 'forward';
  if (event.key === 'ArrowLeft') return event.shiftKey ? 'previous' : 'back';
  return null;
}
