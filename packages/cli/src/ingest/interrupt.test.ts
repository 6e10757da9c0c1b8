import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { InterruptedError, isInterruption, watchInterrupt } from './interrupt.ts';

describe('watchInterrupt', () => {
  it('aborts the signal with an InterruptedError on the first SIGINT and calls onFirst once', () => {
    const source = new EventEmitter();
    const calls: string[] = [];
    const sut = watchInterrupt(source, { onFirst: () => calls.push('first'), onForce: () => calls.push('force') });
    expect(sut.signal.aborted).toBe(false);
    source.emit('SIGINT');
    expect(sut.signal.aborted).toBe(true);
    expect(sut.signal.reason).toBeInstanceOf(InterruptedError);
    expect(calls).toEqual(['first']);
  });

  it('forces on the second signal, SIGTERM counting as well', () => {
    const source = new EventEmitter();
    const calls: string[] = [];
    watchInterrupt(source, { onFirst: () => calls.push('first'), onForce: () => calls.push('force') });
    source.emit('SIGTERM');
    source.emit('SIGINT');
    expect(calls).toEqual(['first', 'force']);
  });

  it('stops listening once disposed', () => {
    const source = new EventEmitter();
    const sut = watchInterrupt(source, { onFirst: () => undefined, onForce: () => undefined });
    sut.dispose();
    expect(source.listenerCount('SIGINT') + source.listenerCount('SIGTERM')).toBe(0);
  });
});

describe('isInterruption', () => {
  it('is true for our reason or a fetch abort once the signal is aborted', () => {
    const controller = new AbortController();
    controller.abort(new InterruptedError());
    const abortError = Object.assign(new Error('aborted'), { name: 'AbortError' });
    expect(isInterruption(controller.signal.reason, controller.signal)).toBe(true);
    expect(isInterruption(abortError, controller.signal)).toBe(true);
    expect(isInterruption(new Error('part 2 was refused'), controller.signal)).toBe(false);
  });

  it('is false while the run was not interrupted, even for an AbortError', () => {
    const abortError = Object.assign(new Error('aborted'), { name: 'AbortError' });
    expect(isInterruption(abortError, new AbortController().signal)).toBe(false);
  });
});
