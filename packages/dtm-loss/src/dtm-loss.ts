/**
 * The Distribution Trajectory Matching (DTM) objective of CTMSR (method.md §3.4, §3.5):
 *
 *   yhat = sg(output)
 *   x_t  = y    + alpha_t (u - y)    + sigma_t eps        (ground-truth trajectory)
 *   z_t  = yhat + alpha_t (u - yhat) + sigma_t eps        (SR trajectory, same eps)
 *   g    = f_phi(z_t, sigma_t, l) - f_phi(x_t, sigma_t, l) (frozen model, no gradient)
 *   w_b  = 1 / mean_{c,h,w} |yhat_b - y_b|   ('improved')  or 1 ('simple')
 *   L_DTM = 0.5 * lambda * mean_b( w_b * sum_k lambda'_k d_k(output_b, sg(output_b - g_b)) )
 *
 * The pull towards sg(output - g) moves the output along -g: a DMD-like "real minus fake"
 * direction, both predictions coming from the same frozen consistency model.
 */
import { type Denoiser, detach, forwardProcess } from '@ctmsr/pf-ode';
import * as tf from '@tensorflow/tfjs-core';
import type { DtmPlan } from './dtm-plan.js';
import { DEFAULT_DTM_OPTIONS, type DtmBatch, type DtmOptions, type WeightedDistance } from './options.js';
import { assertFinitePositive, assertOneOf, assertRank4, assertSameShape } from './validate.js';

export interface DtmLossResult {
  /** The scalar loss to minimise (sum of the terms). */
  loss: tf.Scalar;
  /** Each term `dtm_<name>` = 0.5 * lambda * mean_b(w_b * lambda'_k * d_k), by name. */
  terms: Record<string, tf.Scalar>;
}

function checkInputs(fn: string, output: tf.Tensor4D, batch: DtmBatch, plan: DtmPlan): void {
  assertRank4(fn, 'output', output);
  assertRank4(fn, 'batch.y', batch.y);
  assertRank4(fn, 'batch.u', batch.u);
  assertRank4(fn, 'batch.lq', batch.lq);
  assertSameShape(fn, 'output', output, 'batch.y', batch.y);
  assertSameShape(fn, 'batch.u', batch.u, 'batch.y', batch.y);
  assertSameShape(fn, 'plan.eps', plan.eps, 'batch.y', batch.y);
  if (batch.lq.shape[0] !== batch.y.shape[0]) {
    throw new Error(
      `${fn}: 'batch.lq' batch ${batch.lq.shape[0]} does not match 'batch.y' batch ${batch.y.shape[0]}`,
    );
  }
}

/**
 * The per-sample weights w_b, [B], computed on detached tensors (method.md §3.5):
 * 'improved': 1 / max(mean_{c,h,w} |yhat_b - y_b|, weightEps); 'simple': 1.
 * Deviations: the reference divides by the mean with no floor (inf when yhat = y).
 */
export function dtmSampleWeights(
  yhat: tf.Tensor4D,
  y: tf.Tensor4D,
  options: Partial<Pick<DtmOptions, 'weighting' | 'weightEps'>> = {},
): tf.Tensor1D {
  const fn = 'dtmSampleWeights';
  const o = { ...DEFAULT_DTM_OPTIONS, ...options };
  assertRank4(fn, 'yhat', yhat);
  assertSameShape(fn, 'yhat', yhat, 'y', y);
  assertOneOf(fn, 'options.weighting', o.weighting, ['improved', 'simple']);
  assertFinitePositive(fn, 'options.weightEps', o.weightEps);
  const w = tf.tidy(() => {
    if (o.weighting === 'simple') return tf.ones([yhat.shape[0]]) as tf.Tensor1D;
    const meanAbs = tf.mean(tf.abs(tf.sub(detach(yhat), detach(y))), [1, 2, 3]);
    return tf.div(1, tf.maximum(meanAbs, o.weightEps)) as tf.Tensor1D;
  });
  const out = detach(w);
  w.dispose();
  return out;
}

/**
 * The DTM regression target sg(output - g), with g = f_phi(z_t) - f_phi(x_t) (method.md §3.4).
 * Detached: no gradient reaches the output through it, nor the frozen model, and no backward
 * pass is spent on the frozen model's two forward passes.
 * `frozen` must be the frozen copy in eval mode (dropout off, as in the reference).
 */
export function dtmTarget(
  frozen: Denoiser,
  output: tf.Tensor4D,
  batch: DtmBatch,
  plan: DtmPlan,
): tf.Tensor4D {
  checkInputs('dtmTarget', output, batch, plan);
  const target = tf.tidy(() => {
    const yhat = detach(output);
    const { sigma, alpha } = plan.level;
    const xt = forwardProcess(batch.y, batch.u, alpha, sigma, plan.eps);
    const zt = forwardProcess(yhat, batch.u, alpha, sigma, plan.eps);
    const g = tf.sub(frozen(zt, batch.lq, sigma), frozen(xt, batch.lq, sigma));
    return tf.sub(yhat, g) as tf.Tensor4D;
  });
  const out = detach(target);
  target.dispose();
  return out;
}

/**
 * The DTM loss (file doc). Call it inside the gradient closure with the output that DTM pulls
 * on (`dtmOutput`: the CT online output by default). The caller owns the returned scalars.
 * @param frozen the frozen model f_phi (eval mode); it receives no gradient.
 * @param output the SR output [B,H,W,3] in [-1, 1], carrying the online network's gradient.
 * @param batch y, u, lq in [-1, 1].
 * @param plan from `planDtmStep` (time level and the shared noise).
 * @param distances the terms lambda'_k d_k (reference: LPIPS-VGG with lambda' = 1).
 * @param options weight (lambda), weighting, weightEps.
 * Deviations: the reference's only distance is LPIPS-VGG, for which no weights can be shipped;
 * the caller chooses the distances (the CTMSR default recipe uses Charbonnier).
 */
export function dtmLoss(
  frozen: Denoiser,
  output: tf.Tensor4D,
  batch: DtmBatch,
  plan: DtmPlan,
  distances: readonly WeightedDistance[],
  options: Partial<DtmOptions> = {},
): DtmLossResult {
  const fn = 'dtmLoss';
  const o = { ...DEFAULT_DTM_OPTIONS, ...options };
  checkInputs(fn, output, batch, plan);
  if (!Number.isFinite(o.weight)) throw new Error(`${fn}: 'options.weight' must be finite, got ${o.weight}`);
  if (!Array.isArray(distances) || distances.length === 0) {
    throw new Error(`${fn}: 'distances' must be a non-empty list of { name, distance, weight }`);
  }
  const names = new Set<string>();
  for (const d of distances) {
    if (typeof d.distance !== 'function' || !Number.isFinite(d.weight) || !d.name) {
      throw new Error(
        `${fn}: 'distances' entry ${JSON.stringify(d.name)} needs a name, a distance function and a finite weight`,
      );
    }
    if (names.has(d.name)) throw new Error(`${fn}: 'distances' has the name '${d.name}' twice`);
    names.add(d.name);
  }
  const b = output.shape[0];
  const target = dtmTarget(frozen, output, batch, plan);
  const w = dtmSampleWeights(output, batch.y, o); // detaches internally
  const terms: Record<string, tf.Scalar> = {};
  try {
    const loss = tf.tidy(() => {
      let total = tf.scalar(0);
      for (const { name, distance, weight } of distances) {
        const d = distance(output, target);
        if (d.rank !== 1 || d.shape[0] !== b) {
          throw new Error(
            `${fn}: distance '${name}' must return one value per sample, shape [${b}]; got [${d.shape}]`,
          );
        }
        const term = tf.mul(tf.mean(tf.mul(w, d)), 0.5 * o.weight * weight) as tf.Scalar;
        terms[`dtm_${name}`] = tf.keep(term);
        total = tf.add(total, term);
      }
      return total as tf.Scalar;
    });
    return { loss, terms };
  } catch (e) {
    tf.dispose(Object.values(terms));
    throw e;
  } finally {
    tf.dispose([target, w]);
  }
}
