import { describe, expect, it } from 'vitest';
import { PeakAccumulator } from './waveform-peaks.ts';

function pcm(samples: number[]): Uint8Array {
  const bytes = new Uint8Array(samples.length * 2);
  const view = new DataView(bytes.buffer);
  samples.forEach((sample, i) => view.setInt16(i * 2, sample, true));
  return bytes;
}

describe('PeakAccumulator', () => {
  it('reduces a signal to the requested number of peaks, loudest scaled to 1', () => {
    const samples = Array.from({ length: 8000 }, (_, i) => (i < 4000 ? 1000 : -16000) * (i % 2 === 0 ? 1 : -1));
    const sut = new PeakAccumulator(samples.length, 10);
    sut.push(pcm(samples));
    const doc = sut.document(10);
    expect(doc.peaks).toEqual([0.063, 0.063, 0.063, 0.063, 0.063, 1, 1, 1, 1, 1]);
    expect(doc.fullScalePeak).toBe(Math.round((16000 / 32767) * 1000) / 1000);
    expect(sut.sampleCount).toBe(8000);
  });

  it('joins a sample split between two chunks', () => {
    const bytes = pcm([0, 0, -32768, 0, 0, 0]);
    const sut = new PeakAccumulator(6, 3);
    sut.push(bytes.subarray(0, 5));
    sut.push(bytes.subarray(5));
    expect(sut.sampleCount).toBe(6);
    expect(sut.document(3).peaks).toEqual([0, 1, 0]);
    expect(sut.document(3).fullScalePeak).toBe(1);
  });

  it('keeps a short peak that falls inside a block', () => {
    const samples = new Array<number>(40_000).fill(10);
    samples[12_345] = 20_000;
    const sut = new PeakAccumulator(samples.length, 100);
    sut.push(pcm(samples));
    const { peaks } = sut.document(100);
    expect(peaks).toHaveLength(100);
    expect(peaks[30]).toBe(1);
    expect(peaks.filter((p) => p === 1)).toHaveLength(1);
  });

  it('gives fewer peaks than asked when the track has fewer samples, and zeros for silence', () => {
    const sut = new PeakAccumulator(1000, 1000);
    sut.push(pcm([0, 0, 0]));
    expect(sut.document(1000)).toEqual({ version: 1, peaks: [0, 0, 0], fullScalePeak: 0 });
  });

  it('gives no peaks for no audio', () => {
    expect(new PeakAccumulator(0).document().peaks).toEqual([]);
  });

  it('covers the whole track when more samples come than expected', () => {
    const samples = new Array<number>(5000).fill(0);
    samples[4999] = 100;
    const sut = new PeakAccumulator(1000, 10);
    sut.push(pcm(samples));
    const { peaks } = sut.document(10);
    expect(peaks).toHaveLength(10);
    expect(peaks[9]).toBe(1);
  });
});
