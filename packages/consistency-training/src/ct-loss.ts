/**
 * The consistency-training (CT) objective of CTMSR (method.md §2.2), in two phases so that the
 * target network costs no backward pass:
 *
 *   target = D_target(x_n,  sigma_n,  l)          (phase 1, outside the gradient tape)
 *   online = D_online(x_n', sigma_n', l)          (phase 2, inside it), n' = n + 1
 *   x_i = y + alpha_i (u - y) + sigma_i eps        (same eps for both points)
 *   L_CT = w_pix * sum_k lambda_k * mean_b d_k(online, target)
 *
 * At n = 0 the target is y exactly (boundary condition D(x, 0) = x).
 *
 * Deviations: the reference uses 0.5 LPIPS-VGG + 0.5 Charbonnier; no LPIPS weights can be
 * shipped or downloaded here, so the default is Charbonnier with weight 1 (LPIPS can be added
 * as a weighted `Distance` by users who supply converted weights). The reference target is a
 * fresh copy of the online weights with dropout on; passing the online denoiser (in training
 * mode, its own dropout seed) as `target` is exactly that, without the copy.
 */
import { type Denoiser, detach, forwardProcess } from '@ctmsr/pf-ode';
import * as tf from '@tensorflow/tfjs-core';
import type { CtPlan } from './ct-plan.js';
import { charbonnier, type Distance } from './distances.js';

/** One training batch, all in [-1, 1]. */
export interface CtBatch {
  /** HR images y, [B,H,W,3]. */
  y: tf.Tensor4D;
  /** Bicubic-upsampled LR u, [B,H,W,3]. */
  u: tf.Tensor4D;
  /** LR images l, [B,H/s,W/s,3]. */
  lq: tf.Tensor4D;
}

export interface WeightedDistance {
  name: string;
  distance: Distance;
  weight: number;
}

export interface CtLossOptions {
  /** The weighted distance terms (lambda_k, d_k). */
  distances: WeightedDistance[];
  /** w_pix, an overall factor (reference `dtm_opt.pixel_weight` = 1). */
  pixelWeight: number;
}

export const DEFAULT_CT_LOSS_OPTIONS: CtLossOptions = {
  distances: [{ name: 'charbonnier', distance: charbonnier(), weight: 1 }],
  pixelWeight: 1,
};

export interface CtLossResult {
  /** The scalar loss to minimise. */
  loss: tf.Scalar;
  /** Each weighted term, by name (`ct_<name>`), already multiplied by its weight and w_pix. */
  terms: Record<string, tf.Scalar>;
  /** The online prediction D(x_n', sigma_n', l), [B,H,W,3] (DTM reuses it). */
  output: tf.Tensor4D;
}

function checkBatch(fn: string, batch: CtBatch, plan: CtPlan): void {
  const { y, u, lq } = batch;
  if (y.rank !== 4 || u.rank !== 4 || lq.rank !== 4) {
    throw new Error(`${fn}: batch tensors must have rank 4, got y ${y.rank}, u ${u.rank}, lq ${lq.rank}`);
  }
  if (y.shape.some((d, i) => d !== u.shape[i]) || y.shape.some((d, i) => d !== plan.eps.shape[i])) {
    throw new Error(
      `${fn}: batch.y [${y.shape}], batch.u [${u.shape}] and plan.eps [${plan.eps.shape}] must match`,
    );
  }
  if (lq.shape[0] !== y.shape[0]) {
    throw new Error(`${fn}: batch.lq batch ${lq.shape[0]} does not match batch.y batch ${y.shape[0]}`);
  }
}

/** The trajectory point x_i of the plan's noise, for grid index i. */
export function ctPoint(batch: CtBatch, plan: CtPlan, index: number): tf.Tensor4D {
  const level = plan.levels[index];
  if (level == null)
    throw new Error(`ctPoint: index ${index} is outside the ${plan.levels.length}-point grid`);
  return forwardProcess(batch.y, batch.u, level.alpha, level.sigma, plan.eps);
}

/**
 * Phase 1: the CT target sg(D_target(x_n, sigma_n, l)). The result is detached from the
 * gradient tape, so no gradient reaches the target network even when it shares the online
 * weights. Best called before the gradient closure (then its forward pass is not taped either).
 * At n = 0 it returns y exactly without calling the network.
 */
export function ctTarget(target: Denoiser, batch: CtBatch, plan: CtPlan): tf.Tensor4D {
  checkBatch('ctTarget', batch, plan);
  const out = tf.tidy(() => {
    const level = plan.levels[plan.n];
    if (level.sigma === 0 && level.alpha === 0) return tf.clone(batch.y);
    return target(ctPoint(batch, plan, plan.n), batch.lq, level.sigma);
  });
  const detached = detach(out);
  out.dispose();
  return detached;
}

/**
 * Phase 2: the online prediction at n' = n + 1 and the weighted CT loss against `targetOut`.
 * Call it inside the gradient closure. The caller owns (and disposes) every returned tensor.
 */
export function ctLoss(
  online: Denoiser,
  batch: CtBatch,
  plan: CtPlan,
  targetOut: tf.Tensor4D,
  options: Partial<CtLossOptions> = {},
): CtLossResult {
  const o = { ...DEFAULT_CT_LOSS_OPTIONS, ...options };
  checkBatch('ctLoss', batch, plan);
  if (o.distances.length === 0) throw new Error(`ctLoss: 'options.distances' must not be empty`);
  const next = plan.levels[plan.n + 1];
  const output = tf.tidy(() => online(ctPoint(batch, plan, plan.n + 1), batch.lq, next.sigma));
  const terms: Record<string, tf.Scalar> = {};
  const loss = tf.tidy(() => {
    let total: tf.Scalar = tf.scalar(0);
    for (const { name, distance, weight } of o.distances) {
      const term = tf.mul(tf.mean(distance(output, targetOut)), weight * o.pixelWeight) as tf.Scalar;
      terms[`ct_${name}`] = tf.keep(term);
      total = tf.add(total, term);
    }
    return total;
  });
  return { loss, terms, output };
}

/**
 * Both phases in one call. Safe inside a gradient closure (the target is detached); for speed
 * call `ctTarget` before the closure and `ctLoss` inside it, so the target's forward pass is not
 * recorded on the tape.
 */
export function consistencyTrainingLoss(
  online: Denoiser,
  target: Denoiser,
  batch: CtBatch,
  plan: CtPlan,
  options: Partial<CtLossOptions> = {},
): CtLossResult & { target: tf.Tensor4D } {
  const targetOut = ctTarget(target, batch, plan);
  return { ...ctLoss(online, batch, plan, targetOut, options), target: targetOut };
}
