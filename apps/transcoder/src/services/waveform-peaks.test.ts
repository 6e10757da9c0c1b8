import { describe, expect, it } from 'vitest';
import { PeakAccumulator } from './waveform-peaks.ts';

function pcm(samples: number[]): Uint8Array {
  const bytes = new Uint8Array(samples.length * 4);
  const view = new DataView(bytes.buffer);
  samples.forEach((sample, i) => view.setFloat32(i * 4, sample, true));
  return bytes;
}

describe('PeakAccumulator', () => {
  it('reduces a signal to the requested number of peaks, loudest scaled to 1', () => {
    const samples = Array.from({ length: 8000 }, (_, i) => (i < 4000 ? 0.03125 : -0.5) * (i % 2 === 0 ? 1 : -1));
    const sut = new PeakAccumulator(samples.length, 1, 10);
    sut.push(pcm(samples));
    const doc = sut.document(10);
    expect(doc.peaks).toEqual([0.063, 0.063, 0.063, 0.063, 0.063, 1, 1, 1, 1, 1]);
    expect(doc.fullScalePeak).toBe(0.5);
    expect(sut.frameCount).toBe(8000);
  });

  it('takes the loudest channel of each interleaved frame', () => {
    const sut = new PeakAccumulator(4, 2, 4);
    sut.push(pcm([0.1, -0.2, 0.4, 0, 0, 0, -0.05, 0.8]));
    expect(sut.frameCount).toBe(4);
    expect(sut.document(4)).toEqual({ version: 1, peaks: [0.25, 0.5, 0, 1], fullScalePeak: 0.8 });
  });

  it('joins samples split between chunks anywhere', () => {
    const bytes = pcm([0, 0, -1, 0, 0, 0]);
    for (const cut of [1, 5, 9, 10, 11]) {
      const sut = new PeakAccumulator(6, 1, 3);
      sut.push(bytes.subarray(0, cut));
      sut.push(bytes.subarray(cut, cut + 1));
      sut.push(bytes.subarray(cut + 1));
      expect(sut.frameCount).toBe(6);
      expect(sut.document(3)).toEqual({ version: 1, peaks: [0, 1, 0], fullScalePeak: 1 });
    }
  });

  it('keeps a short peak that falls inside a block', () => {
    const samples = new Array<number>(40_000).fill(0.001);
    samples[12_345] = 0.6;
    const sut = new PeakAccumulator(samples.length, 1, 100);
    sut.push(pcm(samples));
    const { peaks } = sut.document(100);
    expect(peaks).toHaveLength(100);
    expect(peaks[30]).toBe(1);
    expect(peaks.filter((p) => p === 1)).toHaveLength(1);
  });

  it('gives fewer peaks than asked when the track has fewer frames, and zeros for silence', () => {
    const sut = new PeakAccumulator(1000, 1, 1000);
    sut.push(pcm([0, 0, 0]));
    expect(sut.document(1000)).toEqual({ version: 1, peaks: [0, 0, 0], fullScalePeak: 0 });
  });

  it('gives no peaks for no audio', () => {
    expect(new PeakAccumulator(0).document().peaks).toEqual([]);
  });

  it('covers the whole track when more frames come than expected, and caps a clipping peak at full scale', () => {
    const samples = new Array<number>(5000).fill(0);
    samples[4999] = 1.5;
    const sut = new PeakAccumulator(1000, 1, 10);
    sut.push(pcm(samples));
    const doc = sut.document(10);
    expect(doc.peaks).toHaveLength(10);
    expect(doc.peaks[9]).toBe(1);
    expect(doc.fullScalePeak).toBe(1);
  });
});
