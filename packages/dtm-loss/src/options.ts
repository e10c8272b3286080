/**
 * Options of the DTM objective (method.md §3) and the contracts it shares with its callers.
 *
 * The package never imports a network or another loss package: the online and frozen networks
 * arrive as `Denoiser` functions (from `@ctmsr/pf-ode`) and the distances as `Distance`
 * functions, declared here structurally so any per-sample distance fits (for example the
 * Charbonnier / L1 / L2 / LPIPS distances of `@ctmsr/consistency-training`).
 */
import type * as tf from '@tensorflow/tfjs-core';

/** A per-sample distance: [B,H,W,C] x [B,H,W,C] -> [B]. */
export type Distance = (a: tf.Tensor4D, b: tf.Tensor4D) => tf.Tensor1D;

/** One term lambda'_k * d_k of the DTM sum. */
export interface WeightedDistance {
  /** Used in the term's name, `dtm_<name>`. */
  name: string;
  distance: Distance;
  /** lambda'_k (reference: 1 for its only term, LPIPS-VGG). */
  weight: number;
}

/** One training batch, all in [-1, 1] (same fields as the CT batch). */
export interface DtmBatch {
  /** HR images y, [B,H,W,3]. */
  y: tf.Tensor4D;
  /** Bicubic-upsampled LR u, [B,H,W,3]. */
  u: tf.Tensor4D;
  /** LR images l, [B,H/s,W/s,3]. */
  lq: tf.Tensor4D;
}

/**
 * Per-sample weighting of the DTM term (method.md §3.5):
 * - `'improved'`: w_b = 1 / mean_{c,h,w} |yhat_b - y_b| (computed on detached tensors);
 * - `'simple'`: w_b = 1.
 */
export type DtmWeighting = 'improved' | 'simple';

/**
 * Which SR output DTM is applied to (the open question of method.md §3.6(a) and §8.2):
 * - `'ct-output'`: the online CT prediction at the random level n+1 of this step, reused
 *   (what the reference code does; no extra forward pass);
 * - `'one-step'`: the one-step prediction D(x_T, sigma_max, l) with x_T = u + sigma_max * eps,
 *   i.e. exactly what inference produces (one extra forward + backward of the online network).
 */
export type DtmInput = 'ct-output' | 'one-step';

export interface DtmOptions {
  /** lambda_dtm, the factor outside the sum (reference `dtm_opt.weight` = 1.6). */
  weight: number;
  /** num_steps of the DTM time grid: N_d = numSteps + 1 (reference 3). */
  numSteps: number;
  /** t_min ratio (reference 0.1). */
  tMin: number;
  /** t_max ratio (reference 0.5). */
  tMax: number;
  /**
   * Refresh the frozen model from the online weights every this many iterations
   * (reference `time_scale` = 1000, `self_iterative: true`). 0 disables refreshing.
   */
  refreshEvery: number;
  /** Per-sample weighting (reference `'improved'`). */
  weighting: DtmWeighting;
  /** Which output DTM pulls on (default `'ct-output'`, as the reference code). */
  input: DtmInput;
  /** sigma_max of the one-step state x_T = u + sigma_max * eps (reference 1). */
  sigmaMax: number;
  /**
   * Floor of the `'improved'` weight's denominator: w_b = 1 / max(mean|yhat_b - y_b|, weightEps).
   * Deviations: the reference has no guard and divides by zero when the output equals y.
   */
  weightEps: number;
}

/**
 * Reference defaults (method.md §3, C4): lambda = 1.6, num_steps 3, t in [0.1, 0.5],
 * refresh every 1000 iterations, improved weighting, DTM on the CT output (reference code).
 */
export const DEFAULT_DTM_OPTIONS: DtmOptions = {
  weight: 1.6,
  numSteps: 3,
  tMin: 0.1,
  tMax: 0.5,
  refreshEvery: 1000,
  weighting: 'improved',
  input: 'ct-output',
  sigmaMax: 1,
  weightEps: 1e-6,
};

/** Stream ids for `deriveSeed(seed, iteration, stream)`; disjoint from the CT streams (1-4). */
export const DTM_STREAMS = { index: 101, noise: 102, oneStepNoise: 103 } as const;
