import { describe, expect, it } from 'vitest';
import { advance, applyStatus, isFinal } from './upload-status.ts';

const trackId = '5f0c6f9e-4d0b-4b55-9a55-1f8f7a0c2b11';

describe('advance', () => {
  it('moves forward and never back', () => {
    expect(advance('uploading', 'processing')).toBe('processing');
    expect(advance('ready', 'processing')).toBe('ready');
    expect(advance('ready', 'transcoding')).toBe('ready');
  });

  it('keeps an outcome, except for a deletion', () => {
    expect(advance('failed', 'ready')).toBe('failed');
    expect(advance('ready', 'deleted')).toBe('deleted');
  });
});

describe('applyStatus', () => {
  it('takes the reason of a failure', () => {
    expect(applyStatus({ phase: 'processing' }, { trackId, status: 'failed', reason: 'not an audio file' })).toEqual({
      phase: 'failed',
      reason: 'not an audio file',
    });
  });

  it('follows transcoding progress and the title', () => {
    const state = applyStatus({ phase: 'processing' }, { trackId, status: 'transcoding', percent: 10 });
    expect(applyStatus(state, { trackId, status: 'transcoding', percent: 60, title: 'Tone' })).toEqual({
      phase: 'transcoding',
      percent: 60,
      title: 'Tone',
    });
  });

  it('ignores a late status that would undo the outcome', () => {
    const ready = { phase: 'ready' as const };
    expect(applyStatus(ready, { trackId, status: 'processing' })).toBe(ready);
  });
});

describe('isFinal', () => {
  it('is true for outcomes only', () => {
    expect(isFinal('ready')).toBe(true);
    expect(isFinal('duplicate')).toBe(true);
    expect(isFinal('transcoding')).toBe(false);
  });
});
