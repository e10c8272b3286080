/**
 * The DTM time level (method.md §3.3): a grid of N_d = numSteps + 1 points and the range
 *
 *   step_min = max(1, floor(tMin * N_d)),  step_max = min(N_d, floor(tMax * N_d)),
 *   t ~ Uniform{step_min, ..., step_max - 1}
 *
 * The index t then addresses the sigma/alpha levels of the CURRENT CT grid (as the reference
 * does), not a grid of N_d points. With the reference numbers (numSteps 3, tMin 0.1, tMax 0.5)
 * the range is {1}: t is always index 1 (sigma = alpha = 1/3 on a 4-point CT grid, 0.25 on a
 * 5-point one), see method.md §8.3.
 */
import { deriveSeed } from '@ctmsr/pf-ode';
import { DTM_STREAMS } from './options.js';
import { assertPositiveInteger, assertRatio } from './validate.js';

/** The inclusive-exclusive index range {stepMin, ..., stepMax - 1} of §3.3. */
export interface DtmTimeRange {
  stepMin: number;
  stepMax: number;
}

/**
 * step_min = max(1, floor(tMin * N_d)), step_max = min(N_d, floor(tMax * N_d)), N_d = numSteps + 1
 * (method.md §3.3). Throws when the range is empty (stepMax <= stepMin), where the reference's
 * `randint` would fail too.
 */
export function dtmTimeIndices(numSteps: number, tMin: number, tMax: number): DtmTimeRange {
  const fn = 'dtmTimeIndices';
  assertPositiveInteger(fn, 'numSteps', numSteps);
  assertRatio(fn, 'tMin', tMin);
  assertRatio(fn, 'tMax', tMax);
  const nd = numSteps + 1;
  const stepMin = Math.max(1, Math.floor(tMin * nd));
  const stepMax = Math.min(nd, Math.floor(tMax * nd));
  if (stepMax <= stepMin) {
    throw new Error(
      `${fn}: empty time range: numSteps=${numSteps}, tMin=${tMin}, tMax=${tMax} give ` +
        `stepMin=${stepMin}, stepMax=${stepMax} (need stepMax > stepMin)`,
    );
  }
  return { stepMin, stepMax };
}

/**
 * Draws t uniformly from {stepMin, ..., stepMax - 1} for (seed, iteration): one index shared by
 * the batch, u = deriveSeed(seed, iteration, DTM_STREAMS.index) / 2^32, t = stepMin + floor(u * count).
 * Deviations: the reference draws from the global torch RNG; here the draw is a pure function
 * of (seed, iteration) so a resumed run repeats an uninterrupted one.
 */
export function drawDtmTimeIndex(seed: number, iteration: number, range: DtmTimeRange): number {
  const u = deriveSeed(seed, iteration, DTM_STREAMS.index) / 4294967296;
  return range.stepMin + Math.floor(u * (range.stepMax - range.stepMin));
}
