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
 * Collects peak levels from a stream of interleaved 32-bit float little-endian PCM (the decoded
 * audio as ffmpeg hands it on), block by block, so memory stays small for a three-hour track,
 * and reduces them to a fixed number of peaks. A frame's level is its loudest channel.
 *
 * @example
 * const sut = new PeakAccumulator(expectedFrames, 2);
 * pcm.on('data', (chunk) => sut.push(chunk));
 * const { peaks } = sut.document(1000);
 */
export class PeakAccumulator {
  readonly blockFrames: number;
  readonly channels: number;
  private readonly blocks: number[] = [];
  private current = 0;
  private inBlock = 0;
  private frameLevel = 0;
  private channel = 0;
  private readonly carry = Buffer.alloc(4);
  private carried = 0;
  private frames = 0;

  /** @param expectedFrames roughly how many frames (samples per channel) will come; only sets the block size. */
  constructor(expectedFrames: number, channels = 1, peakCount = DEFAULT_PEAK_COUNT) {
    this.blockFrames = Math.max(1, Math.floor(expectedFrames / (peakCount * BLOCKS_PER_PEAK)));
    this.channels = channels;
  }

  /** Whole frames seen so far. */
  get frameCount(): number {
    return this.frames;
  }

  /** Takes the next bytes of PCM; a sample split across chunks is joined. */
  push(chunk: Uint8Array): void {
    let offset = 0;
    if (this.carried > 0) {
      const need = Math.min(4 - this.carried, chunk.length);
      this.carry.set(chunk.subarray(0, need), this.carried);
      this.carried += need;
      offset = need;
      if (this.carried < 4) return;
      this.take(this.carry.readFloatLE(0));
      this.carried = 0;
    }
    const view = new DataView(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    const end = offset + Math.floor((chunk.length - offset) / 4) * 4;
    for (let i = offset; i < end; i += 4) this.take(view.getFloat32(i, true));
    if (end < chunk.length) {
      this.carry.set(chunk.subarray(end), 0);
      this.carried = chunk.length - end;
    }
  }

  private take(sample: number): void {
    const level = sample < 0 ? -sample : sample;
    if (level > this.frameLevel) this.frameLevel = level;
    if (++this.channel < this.channels) return;
    this.channel = 0;
    this.frames++;
    if (this.frameLevel > this.current) this.current = this.frameLevel;
    this.frameLevel = 0;
    if (++this.inBlock === this.blockFrames) {
      this.blocks.push(this.current);
      this.current = 0;
      this.inBlock = 0;
    }
  }

  /**
   * The peaks of the track in `count` equal slices (fewer when there are fewer frames),
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
      fullScalePeak: Math.round(Math.min(loudest, 1) * 1000) / 1000,
    };
  }
}
