import { DEFAULT_DTM_OPTIONS, dtmActive, FrozenModelSchedule, shouldRefreshFrozen } from '@ctmsr/dtm-loss';
import { describe, expect, it } from 'vitest';

describe('DTM phase and frozen-model refresh (method.md §3.1, §3.2)', () => {
  it('refreshes exactly at multiples of refreshEvery (k = 999, 1000, 1001 with 1000)', () => {
    expect(DEFAULT_DTM_OPTIONS.refreshEvery).toBe(1000);
    expect(shouldRefreshFrozen(999, 1000)).toBe(false);
    expect(shouldRefreshFrozen(1000, 1000)).toBe(true);
    expect(shouldRefreshFrozen(1001, 1000)).toBe(false);
    expect(shouldRefreshFrozen(2000, 1000)).toBe(true);
    expect(shouldRefreshFrozen(0, 1000)).toBe(false); // k is 1-based; 0 is before the first step
    expect(shouldRefreshFrozen(1000, 0)).toBe(false); // self_iterative off
    expect(shouldRefreshFrozen(3, 1)).toBe(true);
  });

  it('DTM is active for k > ct_iter', () => {
    expect(dtmActive(1, 0)).toBe(true);
    expect(dtmActive(500000, 500000)).toBe(false);
    expect(dtmActive(500001, 500000)).toBe(true);
  });

  it('FrozenModelSchedule: the 2000-iteration fine-tune of the reference (C4a)', () => {
    const s = new FrozenModelSchedule({ ctIterations: 0, refreshEvery: 1000 });
    const refreshes = Array.from({ length: 2001 }, (_, k) => k).filter((k) => s.shouldRefresh(k));
    expect(refreshes).toEqual([1000, 2000]);
    expect(s.snapshotIteration(1)).toBeNull(); // the loaded CT-EMA model
    expect(s.snapshotIteration(999)).toBeNull();
    expect(s.snapshotIteration(1000)).toBe(1000);
    expect(s.snapshotIteration(1999)).toBe(1000);
    expect(s.snapshotIteration(2000)).toBe(2000);
  });

  it('FrozenModelSchedule: from scratch (C4b), refreshes only inside the DTM phase', () => {
    const s = new FrozenModelSchedule({ ctIterations: 500000, refreshEvery: 1000 });
    expect(s.isActive(500000)).toBe(false);
    expect(s.shouldRefresh(500000)).toBe(false);
    expect(s.shouldRefresh(1000)).toBe(false);
    expect(s.isActive(500001)).toBe(true);
    expect(s.shouldRefresh(501000)).toBe(true);
    expect(s.snapshotIteration(500999)).toBeNull();
    expect(s.snapshotIteration(501500)).toBe(501000);
    expect(new FrozenModelSchedule({ ctIterations: 0, refreshEvery: 0 }).snapshotIteration(5000)).toBeNull();
  });

  it('rejects bad arguments, naming them', () => {
    expect(() => shouldRefreshFrozen(1.5, 1000)).toThrow(
      /shouldRefreshFrozen: 'iteration' must be an integer >= 0, got 1.5/,
    );
    expect(() => shouldRefreshFrozen(10, -1)).toThrow(/'refreshEvery' must be an integer >= 0, got -1/);
    expect(() => dtmActive(-1, 0)).toThrow(/dtmActive: 'iteration'/);
    expect(() => new FrozenModelSchedule({ ctIterations: Number.NaN, refreshEvery: 1 })).toThrow(
      /FrozenModelSchedule: 'options.ctIterations'/,
    );
  });
});
