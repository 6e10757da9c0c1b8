import { describe, expect, it } from 'vitest';
import { PlayQueue } from './play-queue.ts';

const tracks = ['a', 'b', 'c', 'd', 'e'].map((id) => ({ id }));
const ids = (sut: PlayQueue<{ id: string }>) => sut.items.map((item) => item.id).join('');

/** A small deterministic generator so shuffles are reproducible. */
function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
}

function queue(start = 0) {
  const sut = new PlayQueue<{ id: string }>({ random: seeded(42) });
  sut.replace(tracks, start);
  return sut;
}

describe('PlayQueue', () => {
  it('is empty with no current track at first', () => {
    const sut = new PlayQueue();

    expect(sut.current).toBeNull();
    expect(sut.index).toBe(-1);
    expect(sut.next()).toBeNull();
    expect(sut.previous()).toBeNull();
  });

  it('starts where asked and clamps a start past the end', () => {
    expect(queue(2).current?.id).toBe('c');
    expect(queue(99).current?.id).toBe('e');
  });

  it('makes the first track added to an empty queue current and appends the rest', () => {
    const sut = new PlayQueue<{ id: string }>();

    sut.add({ id: 'x' });
    sut.add({ id: 'y' }, { id: 'z' });

    expect(ids(sut)).toBe('xyz');
    expect(sut.current?.id).toBe('x');
  });

  it('inserts "play next" tracks right after the current one', () => {
    const sut = queue(1);

    sut.playNext({ id: 'x' });

    expect(ids(sut)).toBe('abxcde');
    expect(sut.next()?.id).toBe('x');
  });

  it('moves forward and back and stops at the end without repeat', () => {
    const sut = queue(3);

    expect(sut.next()?.id).toBe('e');
    expect(sut.next()).toBeNull();
    expect(sut.current?.id).toBe('e');
    expect(sut.previous()?.id).toBe('d');
  });

  it('stays on the first track on previous without repeat', () => {
    const sut = queue(0);

    expect(sut.previous()?.id).toBe('a');
  });

  it('wraps around both ways with repeat all', () => {
    const sut = queue(4);
    sut.setRepeat('all');

    expect(sut.next()?.id).toBe('a');
    expect(sut.previous()?.id).toBe('e');
  });

  it('replays the track when it ends with repeat one, but skips on the next button', () => {
    const sut = queue(1);
    sut.setRepeat('one');

    expect(sut.next({ ended: true })?.id).toBe('b');
    expect(sut.next()?.id).toBe('c');
  });

  it('names the upcoming track for preloading in each repeat mode', () => {
    const sut = queue(4);

    expect(sut.upcoming).toBeNull();
    sut.setRepeat('all');
    expect(sut.upcoming?.id).toBe('a');
    sut.setRepeat('one');
    expect(sut.upcoming?.id).toBe('e');
  });

  it('cycles repeat off, all, one, off', () => {
    const sut = queue();

    expect([sut.cycleRepeat(), sut.cycleRepeat(), sut.cycleRepeat()]).toEqual(['all', 'one', 'off']);
  });

  it.each([
    [0, 4, 'bcdea', 'c', 1],
    [4, 0, 'eabcd', 'c', 3],
    [2, 0, 'cabde', 'c', 0],
    [1, 3, 'acdbe', 'c', 1],
    [3, 1, 'adbce', 'c', 3],
  ])('moves %i to %i and keeps the current track current', (from, to, order, current, index) => {
    const sut = queue(2);

    sut.move(from, to);

    expect(ids(sut)).toBe(order);
    expect(sut.current?.id).toBe(current);
    expect(sut.index).toBe(index);
  });

  it.each([
    [-1, 2],
    [5, 0],
    [1.5, 0],
  ])('ignores a move from or to an invalid position (%d, %d)', (from, to) => {
    const sut = queue(2);

    sut.move(from, to);

    expect(ids(sut)).toBe('abcde');
  });

  it('removes a track before the current one and keeps the current track', () => {
    const sut = queue(2);

    sut.remove(0);

    expect(ids(sut)).toBe('bcde');
    expect(sut.current?.id).toBe('c');
  });

  it('makes the following track current when the current one is removed', () => {
    const sut = queue(2);

    sut.remove(2);

    expect(sut.current?.id).toBe('d');
  });

  it('falls back to the new last track when the last one, current, is removed', () => {
    const sut = queue(4);

    sut.remove(4);

    expect(sut.current?.id).toBe('d');
  });

  it('is empty after removing its only track and ignores invalid removals', () => {
    const sut = new PlayQueue<{ id: string }>();
    sut.add({ id: 'x' });

    sut.remove(3);
    sut.remove(-1);
    expect(ids(sut)).toBe('x');
    sut.remove(0);

    expect(sut.current).toBeNull();
    expect(sut.index).toBe(-1);
  });

  it('shuffles the others behind the current track and restores the order when turned off', () => {
    const sut = queue(2);

    sut.setShuffle(true);

    expect(sut.shuffled).toBe(true);
    expect(sut.current?.id).toBe('c');
    expect(sut.index).toBe(0);
    expect([...ids(sut)].sort().join('')).toBe('abcde');
    expect(ids(sut)).not.toBe('cabde');

    sut.next();
    const now = sut.current?.id;
    sut.setShuffle(false);

    expect(ids(sut)).toBe('abcde');
    expect(sut.current?.id).toBe(now);
  });

  it('keeps tracks added or removed while shuffled when shuffle is turned off', () => {
    const sut = queue(0);
    sut.setShuffle(true);

    sut.add({ id: 'f' });
    sut.remove(sut.items.findIndex((item) => item.id === 'b'));
    sut.setShuffle(false);

    expect(ids(sut)).toBe('acdef');
  });

  it('jumps to a valid position only', () => {
    const sut = queue();

    expect(sut.jump(3)?.id).toBe('d');
    expect(sut.jump(9)?.id).toBe('d');
  });

  it('clears everything', () => {
    const sut = queue(1);

    sut.clear();

    expect(sut.items).toEqual([]);
    expect(sut.current).toBeNull();
  });
});
