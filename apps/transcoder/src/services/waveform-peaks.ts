/** How many peaks the seek bar gets, whatever the track's length. */
export const DEFAULT_PEAK_COUNT = 1000;

/** Blocks kept per output peak, so that bucket edges cost at most a quarter of a bucket's width. */
const BLOCKS_PER_PEAK = 4;

/** The waveform document stored for a track. */
export interface WaveformDocument {
  version: 1;
  /** Peaks of the absolute sample value, oldest first, scaled so the loudest is 1 (all 0 when silent). */
  peaks: number[];
  /** The loudest sample of the track relative to full scale, 0..1. */
  fullScalePeak: number;
}

/**
 * Collects peak levels from a stream of mono signed 16-bit little-endian PCM, block by block,
 * so memory stays small for a three-hour track, and reduces them to a fixed number of peaks.
 *
 * @example
 * const sut = new PeakAccumulator(expectedSamples);
 * pcm.on('data', (chunk) => sut.push(chunk));
 * const { peaks } = sut.document(1000);
 */
export class PeakAccumulator {
  readonly blockSamples: number;
  private readonly blocks: number[] = [];
  private current = 0;
  private inBlock = 0;
  private carry: number | undefined;
  private samples = 0;

  /** @param expectedSamples roughly how many samples will come; only sets the block size. */
  constructor(expectedSamples: number, peakCount = DEFAULT_PEAK_COUNT) {
    this.blockSamples = Math.max(1, Math.floor(expectedSamples / (peakCount * BLOCKS_PER_PEAK)));
  }

  /** Samples seen so far. */
  get sampleCount(): number {
    return this.samples;
  }

  /** Takes the next bytes of PCM; a sample split across chunks is joined. */
  push(chunk: Uint8Array): void {
    let offset = 0;
    if (this.carry !== undefined && chunk.length > 0) {
      this.take((((chunk[0]! << 8) | this.carry) << 16) >> 16);
      this.carry = undefined;
      offset = 1;
    }
    const view = new DataView(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    const end = offset + Math.floor((chunk.length - offset) / 2) * 2;
    for (let i = offset; i < end; i += 2) this.take(view.getInt16(i, true));
    if (end < chunk.length) this.carry = chunk[end]!;
  }

  private take(sample: number): void {
    const level = sample < 0 ? -sample : sample;
    if (level > this.current) this.current = level;
    this.samples++;
    if (++this.inBlock === this.blockSamples) {
      this.blocks.push(this.current);
      this.current = 0;
      this.inBlock = 0;
    }
  }

  /**
   * The peaks of the track in `count` equal slices (fewer when there are fewer samples),
   * scaled so the loudest is 1 and rounded to 3 decimals.
   */
  document(count = DEFAULT_PEAK_COUNT): WaveformDocument {
    const blocks = this.inBlock > 0 ? [...this.blocks, this.current] : this.blocks;
    const slices = Math.min(count, blocks.length);
    const raw: number[] = [];
    for (let i = 0; i < slices; i++) {
      const from = Math.floor((i * blocks.length) / slices);
      const to = Math.max(from + 1, Math.floor(((i + 1) * blocks.length) / slices));
      let peak = 0;
      for (let b = from; b < to; b++) if (blocks[b]! > peak) peak = blocks[b]!;
      raw.push(peak);
    }
    const loudest = raw.reduce((max, value) => Math.max(max, value), 0);
    return {
      version: 1,
      peaks: raw.map((value) => (loudest === 0 ? 0 : Math.round((value / loudest) * 1000) / 1000)),
      fullScalePeak: Math.round((Math.min(loudest, 32767) / 32767) * 1000) / 1000,
    };
  }
}
