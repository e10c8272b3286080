/**
 * The SR output that DTM pulls on (method.md §3.6(a), §8.2), selectable with `DtmInput`:
 *
 * - `'ct-output'` (default, the reference code): the online CT prediction D(x_n+1, sigma_n+1, l)
 *   of this step, reused; no extra forward pass.
 * - `'one-step'`: the one-step prediction D(x_T, sigma_max, l) with x_T = u + sigma_max * eps
 *   (inference's input, method.md §5.1), computed by a separate forward of the online network.
 */
import { type Denoiser, deriveSeed, seededNormal } from '@ctmsr/pf-ode';
import * as tf from '@tensorflow/tfjs-core';
import type { DtmPlan } from './dtm-plan.js';
import { DTM_STREAMS, type DtmBatch } from './options.js';
import { assertFinitePositive, assertRank4, assertSameShape } from './validate.js';

/**
 * The one-step state x_T = u + sigma_max * eps, eps = seededNormal(shape(u),
 * deriveSeed(seed, iteration, DTM_STREAMS.oneStepNoise)) (method.md §5.1 step 2).
 * @param u bicubic-upsampled LR [B,H,W,C] in [-1, 1].
 */
export function oneStepState(u: tf.Tensor4D, seed: number, iteration: number, sigmaMax = 1): tf.Tensor4D {
  assertRank4('oneStepState', 'u', u);
  assertFinitePositive('oneStepState', 'sigmaMax', sigmaMax);
  return tf.tidy(() => {
    const eps = seededNormal(u.shape, deriveSeed(seed, iteration, DTM_STREAMS.oneStepNoise));
    return tf.add(u, tf.mul(eps, sigmaMax)) as tf.Tensor4D;
  });
}

/**
 * The output DTM is applied to, per `plan.input`. Call it inside the gradient closure (its
 * result must carry the online network's gradient). Always returns a new tensor the caller
 * disposes: in `'ct-output'` mode a clone of `ctOutput` (no data copy), in `'one-step'` mode
 * online(x_T, l, sigma_max).
 * Deviations: `'one-step'` is the reading of the paper that method.md §8.2 leaves open; the
 * reference code does `'ct-output'`.
 */
export function dtmOutput(
  plan: DtmPlan,
  online: Denoiser,
  batch: DtmBatch,
  ctOutput?: tf.Tensor4D,
): tf.Tensor4D {
  const fn = 'dtmOutput';
  assertRank4(fn, 'batch.u', batch.u);
  if (plan.input === 'ct-output') {
    if (ctOutput == null) {
      throw new Error(
        `${fn}: 'ctOutput' is required when plan.input is 'ct-output' (pass the CT online output)`,
      );
    }
    assertRank4(fn, 'ctOutput', ctOutput);
    assertSameShape(fn, 'ctOutput', ctOutput, 'batch.u', batch.u);
    return tf.clone(ctOutput);
  }
  return tf.tidy(() =>
    online(oneStepState(batch.u, plan.seed, plan.iteration, plan.sigmaMax), batch.lq, plan.sigmaMax),
  );
}
