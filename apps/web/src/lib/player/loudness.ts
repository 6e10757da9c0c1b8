/**
 * The element volume that plays a track at `volume` (0..1) after its loudness gain (dB, from
 * `track.loudness.gainDb`), kept within what an audio element accepts: positive gain is capped at full volume.
 * @example
 * normalisedVolume(0.8, -6) // ≈ 0.40
 */
export function normalisedVolume(volume: number, gainDb: number | undefined): number {
  const level = Math.min(1, Math.max(0, Number.isFinite(volume) ? volume : 0));
  const gain = gainDb !== undefined && Number.isFinite(gainDb) ? 10 ** (gainDb / 20) : 1;
  return Math.min(1, level * gain);
}

/**
 * `m:ss` (or `h:mm:ss`) for a time in seconds; `0:00` for anything that is not a time yet.
 * @example
 * formatTime(125) // '2:05'
 */
export function formatTime(seconds: number): string {
  const total = Number.isFinite(seconds) && seconds > 0 ? Math.floor(seconds) : 0;
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}
