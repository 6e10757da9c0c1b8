/** A manual choice of rendition, by bitrate, or adaptive bitrate. */
export type QualityChoice = 'auto' | number;

/** One choice offered to the listener. */
export interface QualityOption {
  value: QualityChoice;
  label: string;
}

const qualityKey = 'tonearm.quality';

/**
 * The choices for the renditions a player found: Auto first, then each bitrate once, lowest
 * first, labelled in kbit/s. Native HLS exposes no renditions, so it gets Auto alone.
 * @example
 * qualityOptions([{ bitrate: 256000 }, { bitrate: 64000 }]) // Auto, 64 kbit/s, 256 kbit/s
 */
export function qualityOptions(levels: readonly { bitrate: number }[]): QualityOption[] {
  const bitrates = [...new Set(levels.map((level) => level.bitrate).filter((bitrate) => bitrate > 0))];
  bitrates.sort((a, b) => a - b);
  return [
    { value: 'auto', label: 'Auto' },
    ...bitrates.map((bitrate) => ({ value: bitrate, label: `${Math.round(bitrate / 1000)} kbit/s` })),
  ];
}

/**
 * The hls.js level index for a choice: -1 (automatic) for Auto, otherwise the level whose
 * bitrate is closest to the chosen one, so a choice survives a track with a slightly different ladder.
 * @example
 * levelFor(128000, [{ bitrate: 64000 }, { bitrate: 130000 }]) // 1
 */
export function levelFor(choice: QualityChoice, levels: readonly { bitrate: number }[]): number {
  if (choice === 'auto' || levels.length === 0) return -1;
  let best = 0;
  levels.forEach((level, at) => {
    if (Math.abs(level.bitrate - choice) < Math.abs((levels[best]?.bitrate ?? 0) - choice)) best = at;
  });
  return best;
}

/** The kept choice, Auto when there is none or it is not a choice. */
export function loadQuality(storage: Pick<Storage, 'getItem'> | undefined): QualityChoice {
  const kept = storage?.getItem(qualityKey);
  const bitrate = Number(kept);
  return kept && kept !== 'auto' && Number.isInteger(bitrate) && bitrate > 0 ? bitrate : 'auto';
}

/** Keeps the choice for the next visit. */
export function saveQuality(storage: Pick<Storage, 'setItem'> | undefined, choice: QualityChoice): void {
  storage?.setItem(qualityKey, String(choice));
}
