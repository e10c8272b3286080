/**
 * Consistency samplers along the CTMSR trajectory. Every sampler has one signature:
 * `(denoiser, xT, levels, options) => HR estimate`.
 *
 * One step (method.md §5.1, the reference's only inference path):
 *   x_T = u + sigma_max * eps;  y_hat = D(x_T, sigma_max, l)                 (1 NFE)
 * Multi-step (consistency-model style; an extrapolation, method.md §5.2 [I]):
 *   y_hat = D(x_T, sigma_0);  for k = 1..K-1:
 *     x_k = y_hat + alpha_k (u - y_hat) + sigma_k eps_k;  y_hat = D(x_k, sigma_k)
 * Deviations: multi-step sampling is not in the reference code; it follows Song et al. 2023
 * (Consistency Models, Algorithm 1) with CTMSR's forward process as the re-noising step.
 */
import * as tf from '@tensorflow/tfjs-core';
import { forwardProcess } from './forward-process.js';
import { type TrajectoryScheduleOptions, trajectoryLevels } from './schedules.js';
import type { Denoiser, TrajectoryLevel } from './types.js';
import { assertPositiveInt, assertRank, assertSameShape } from './validate.js';

export interface SamplerOptions {
  /** LR conditioning image l, [B,h,w,3] in [-1,1]. */
  lq: tf.Tensor4D;
  /** Bicubic-upsampled LR u, [B,H,W,3] in [-1,1] (needed to re-noise in multi-step sampling). */
  u: tf.Tensor4D;
  /**
   * Fresh standard-normal noise for re-noising before step k (k >= 1), same shape as u.
   * The sampler disposes what it returns.
   */
  noise?: (k: number) => tf.Tensor4D;
}

/** x_T = u + sigma_max * eps: the start of sampling (the top of the trajectory). */
export function initialState(u: tf.Tensor4D, sigmaMax: number, eps: tf.Tensor4D): tf.Tensor4D {
  return forwardProcess(u, u, 1, sigmaMax, eps);
}

/**
 * Levels for a `steps`-step sampler: the top and then evenly spaced levels below it,
 * sigma_k = top * (1 - k / steps) under the default linear schedule (e.g. 2 steps: 1, 0.5).
 */
export function samplingLevels(
  steps: number,
  schedule: Partial<TrajectoryScheduleOptions> = {},
): TrajectoryLevel[] {
  assertPositiveInt('samplingLevels', 'steps', steps);
  return trajectoryLevels(steps + 1, schedule)
    .slice(1)
    .reverse();
}

/**
 * Multi-step consistency sampling (see file doc). `levels` are descending; `levels.length`
 * network calls. With one level it is the one-step sampler.
 * @param xT the starting state, usually `initialState(u, levels[0].sigma, eps)`.
 */
export function sampleConsistency(
  denoiser: Denoiser,
  xT: tf.Tensor4D,
  levels: TrajectoryLevel[],
  options: SamplerOptions,
): tf.Tensor4D {
  const fn = 'sampleConsistency';
  assertRank(fn, 'xT', xT, 4);
  assertSameShape(fn, 'xT', xT, 'options.u', options.u);
  if (levels.length === 0) throw new Error(`${fn}: 'levels' must not be empty`);
  for (let k = 1; k < levels.length; k++) {
    if (!(levels[k].sigma < levels[k - 1].sigma)) {
      throw new Error(
        `${fn}: 'levels' must have strictly decreasing sigma, got ${levels[k - 1].sigma} then ${levels[k].sigma} at index ${k}`,
      );
    }
  }
  if (levels.length > 1 && options.noise == null) {
    throw new Error(`${fn}: 'options.noise' is required for ${levels.length}-step sampling`);
  }
  let yHat = denoiser(xT, options.lq, levels[0].sigma);
  for (let k = 1; k < levels.length; k++) {
    const next = tf.tidy(() => {
      const eps = options.noise!(k);
      const x = forwardProcess(yHat, options.u, levels[k].alpha, levels[k].sigma, eps);
      tf.dispose(eps);
      return denoiser(x, options.lq, levels[k].sigma);
    });
    tf.dispose(yHat);
    yHat = next;
  }
  return yHat;
}

/** One-step sampling: D(x_T, sigma_max, l). */
export function sampleOneStep(
  denoiser: Denoiser,
  xT: tf.Tensor4D,
  levels: [TrajectoryLevel],
  options: SamplerOptions,
): tf.Tensor4D {
  return sampleConsistency(denoiser, xT, levels, options);
}
