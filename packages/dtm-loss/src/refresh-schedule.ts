/**
 * When DTM runs and when its frozen "trajectory" model f_phi is refreshed (method.md §3.1, §3.2).
 *
 * - DTM is active for k > ct_iter (k is the 1-based iteration; the CT loss keeps running).
 * - Self-iterative refresh: at every k with k mod time_scale == 0, f_phi becomes a deep copy of
 *   the ONLINE weights (not the EMA). In a 2000-iteration fine-tune, iterations 1-999 use the
 *   loaded model, 1000-1999 the snapshot taken at 1000, and 2000 takes a fresh one: the snapshot
 *   is taken at the start of iteration k, before that iteration's loss.
 *
 * The frozen copy itself belongs to the trainer; this file only says when.
 */
import { assertPositiveInteger } from './validate.js';

/**
 * True when the frozen model must be refreshed at the start of iteration k:
 * k >= 1 and k mod refreshEvery == 0. `refreshEvery = 0` disables refreshing
 * (reference `self_iterative: false`).
 */
export function shouldRefreshFrozen(iteration: number, refreshEvery: number): boolean {
  assertPositiveInteger('shouldRefreshFrozen', 'iteration', iteration, 0);
  assertPositiveInteger('shouldRefreshFrozen', 'refreshEvery', refreshEvery, 0);
  return refreshEvery > 0 && iteration >= 1 && iteration % refreshEvery === 0;
}

/** True when the DTM term is part of iteration k's loss: k > ctIterations (method.md §3.1). */
export function dtmActive(iteration: number, ctIterations: number): boolean {
  assertPositiveInteger('dtmActive', 'iteration', iteration, 0);
  assertPositiveInteger('dtmActive', 'ctIterations', ctIterations, 0);
  return iteration > ctIterations;
}

export interface FrozenModelScheduleOptions {
  /** ct_iter: iterations of the CT-only phase (0 for a DTM fine-tune). */
  ctIterations: number;
  /** time_scale; 0 never refreshes. */
  refreshEvery: number;
}

/**
 * The DTM phase and refresh rule of one run. Refreshes happen only while DTM is active (the
 * reference refreshes inside its DTM branch).
 */
export class FrozenModelSchedule {
  readonly ctIterations: number;
  readonly refreshEvery: number;

  constructor(options: FrozenModelScheduleOptions) {
    assertPositiveInteger('FrozenModelSchedule', 'options.ctIterations', options.ctIterations, 0);
    assertPositiveInteger('FrozenModelSchedule', 'options.refreshEvery', options.refreshEvery, 0);
    this.ctIterations = options.ctIterations;
    this.refreshEvery = options.refreshEvery;
  }

  /** Whether iteration k includes the DTM term. */
  isActive(iteration: number): boolean {
    return dtmActive(iteration, this.ctIterations);
  }

  /** Whether the frozen model is replaced by the online weights at the start of iteration k. */
  shouldRefresh(iteration: number): boolean {
    return this.isActive(iteration) && shouldRefreshFrozen(iteration, this.refreshEvery);
  }

  /**
   * The iteration whose snapshot the frozen model holds during iteration k, or `null` when it
   * still holds the initial (loaded) weights. A resumed run can check its checkpoint with it.
   */
  snapshotIteration(iteration: number): number | null {
    assertPositiveInteger('FrozenModelSchedule.snapshotIteration', 'iteration', iteration, 0);
    if (this.refreshEvery === 0) return null;
    const last = Math.floor(iteration / this.refreshEvery) * this.refreshEvery;
    return last >= 1 && last > this.ctIterations ? last : null;
  }
}
