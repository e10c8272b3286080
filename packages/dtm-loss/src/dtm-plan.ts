/**
 * The random choices of one DTM step, drawn up front from (seed, iteration) so a step is
 * deterministic and a resumed run repeats an uninterrupted one exactly (method.md §3.3, §3.4):
 * the time index t (one per batch) from the configured range, and fresh noise eps shared by the
 * two trajectory points x_t and z_t.
 */
import { deriveSeed, seededNormal, type TrajectoryLevel } from '@ctmsr/pf-ode';
import type * as tf from '@tensorflow/tfjs-core';
import { DEFAULT_DTM_OPTIONS, DTM_STREAMS, type DtmInput, type DtmOptions } from './options.js';
import { drawDtmTimeIndex, dtmTimeIndices } from './time-level.js';
import { assertFinitePositive, assertOneOf, assertPositiveInteger } from './validate.js';

export interface DtmPlan {
  /** Iteration k. */
  iteration: number;
  /** The run's seed (the one-step state draws its noise from it). */
  seed: number;
  /** The time index t into the current CT grid. */
  index: number;
  /** sigma_t and alpha_t of that grid. */
  level: TrajectoryLevel;
  /** Fresh standard-normal noise eps shared by x_t and z_t, [B,H,W,C]. The caller disposes it. */
  eps: tf.Tensor4D;
  /** Which output DTM is applied to (see `DtmInput`). */
  input: DtmInput;
  /** sigma_max of the one-step state (used when `input` is `'one-step'`). */
  sigmaMax: number;
}

/**
 * Draws the DTM choices of iteration k.
 * @param iteration k (>= 0).
 * @param seed the run's seed.
 * @param shape the HR batch shape [B,H,W,C] (for eps).
 * @param levels the CURRENT CT grid, ascending (`CtPlan.levels`): t indexes it, as the reference does.
 * @param options.indexOverride fix t (tests, ablations); must be in [1, levels.length - 1].
 */
export function planDtmStep(
  iteration: number,
  seed: number,
  shape: [number, number, number, number],
  levels: readonly TrajectoryLevel[],
  options: Partial<DtmOptions> & { indexOverride?: number } = {},
): DtmPlan {
  const fn = 'planDtmStep';
  const o = { ...DEFAULT_DTM_OPTIONS, ...options };
  assertPositiveInteger(fn, 'iteration', iteration, 0);
  if (!Number.isInteger(seed)) throw new Error(`${fn}: 'seed' must be an integer, got ${seed}`);
  if (!Array.isArray(shape) || shape.length !== 4) {
    throw new Error(`${fn}: 'shape' must be [B,H,W,C], got ${JSON.stringify(shape)}`);
  }
  shape.forEach((d, i) => {
    assertPositiveInteger(fn, `shape[${i}]`, d);
  });
  if (!Array.isArray(levels) || levels.length < 2) {
    throw new Error(
      `${fn}: 'levels' must be the current CT grid (>= 2 levels), got ${levels?.length} levels`,
    );
  }
  assertOneOf(fn, 'options.input', o.input, ['ct-output', 'one-step']);
  assertFinitePositive(fn, 'options.sigmaMax', o.sigmaMax);
  const index =
    o.indexOverride ?? drawDtmTimeIndex(seed, iteration, dtmTimeIndices(o.numSteps, o.tMin, o.tMax));
  if (!Number.isInteger(index) || index < 1 || index >= levels.length) {
    throw new Error(
      `${fn}: time index t must be an integer in [1, ${levels.length - 1}] of the ${levels.length}-level ` +
        `CT grid ('levels'), got ${index}`,
    );
  }
  return {
    iteration,
    seed,
    index,
    level: { sigma: levels[index].sigma, alpha: levels[index].alpha },
    eps: seededNormal(shape, deriveSeed(seed, iteration, DTM_STREAMS.noise)) as tf.Tensor4D,
    input: o.input,
    sigmaMax: o.sigmaMax,
  };
}
