/**
 * The discretisation curriculum N(k): how many grid points the trajectory has at iteration k
 * (method.md §1.3; the `improved_timesteps_schedule_{decrease,increase}_linear` helpers of the
 * reference code base, inferred from GTASR).
 *
 * With s0 intervals at the start, s1 at the end and K total iterations:
 * - s0 > s1: K' = floor(K / (s0 - s1 + 1)); N = max(s0 - floor(k / K'), s1) + 1
 * - s0 < s1: K' = floor(K / (s1 - s0 + 1)); N = min(s0 + floor(k / K'), s1) + 1
 * - s0 = s1: N = s0 + 1
 */
import { assertPositiveInt } from './validate.js';

export interface CurriculumOptions {
  /** Intervals at the start (reference from-scratch: 4). */
  s0: number;
  /** Intervals at the end (reference: 3). */
  s1: number;
  /** Total iterations K (reference: ct_iter + dtm_iter). */
  totalIterations: number;
}

/** Reference from-scratch setting (C4b): 4 intervals, then 3; K = 502000. */
export const DEFAULT_CURRICULUM: CurriculumOptions = { s0: 4, s1: 3, totalIterations: 502_000 };

/** N(k): the number of grid points (intervals + 1) at iteration k (k >= 0). */
export function numGridPoints(k: number, options: Partial<CurriculumOptions> = {}): number {
  const { s0, s1, totalIterations } = { ...DEFAULT_CURRICULUM, ...options };
  assertPositiveInt('numGridPoints', 's0', s0);
  assertPositiveInt('numGridPoints', 's1', s1);
  assertPositiveInt('numGridPoints', 'totalIterations', totalIterations);
  assertPositiveInt('numGridPoints', 'k', k, 0);
  if (s0 === s1) return s0 + 1;
  const span = Math.abs(s0 - s1) + 1;
  const kPrime = Math.floor(totalIterations / span);
  if (kPrime < 1) {
    throw new Error(
      `numGridPoints: totalIterations ${totalIterations} is too small for ${span} curriculum stages`,
    );
  }
  const stage = Math.floor(k / kPrime);
  return s0 > s1 ? Math.max(s0 - stage, s1) + 1 : Math.min(s0 + stage, s1) + 1;
}
