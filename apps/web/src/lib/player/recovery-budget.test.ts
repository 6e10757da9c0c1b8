import { describe, expect, it } from 'vitest';
import { maxRecoveries, recoveredAfterSeconds, RecoveryBudget } from './recovery-budget.ts';

describe('RecoveryBudget', () => {
  it('allows a bounded number of recoveries in a row, then refuses', () => {
    const budget = new RecoveryBudget();
    const answers = Array.from({ length: maxRecoveries + 2 }, () => budget.attempt('a', 30));
    expect(answers).toEqual([...Array<boolean>(maxRecoveries).fill(true), false, false]);
    expect(budget.attempts).toBe(maxRecoveries);
  });

  it('starts over once playback went far enough past the resume point', () => {
    const budget = new RecoveryBudget(1);
    expect(budget.attempt('a', 30)).toBe(true);
    budget.played('a', 30 + recoveredAfterSeconds - 1);
    expect(budget.attempt('a', 34)).toBe(false);
    budget.played('a', 30 + recoveredAfterSeconds);
    expect(budget.attempt('a', 80)).toBe(true);
  });

  it('keeps a separate streak per track, and ignores playback of another one', () => {
    const budget = new RecoveryBudget(1);
    expect(budget.attempt('a', 10)).toBe(true);
    budget.played('b', 100);
    expect(budget.attempt('a', 10)).toBe(false);
    expect(budget.attempt('b', 0)).toBe(true);
  });

  it('starts over on reset (the listener pressed play)', () => {
    const budget = new RecoveryBudget(1);
    budget.attempt('a', 10);
    budget.reset();
    expect(budget.attempt('a', 10)).toBe(true);
  });
});
