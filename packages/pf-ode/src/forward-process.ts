/**
 * The CTMSR forward process ("trajectory") between the HR image y and the bicubic LR image u
 * (method.md §1.2, G1 `q_sample`):
 *
 *   x_i = y + alpha_i * (u - y) + sigma_i * eps
 *
 * With rho = 1 it is the straight line x(s) = (1 - s) y + s (u + eps). Passing the same `eps`
 * to two calls gives the shared-noise pair (x_n, x_n+1) that consistency training needs.
 */
import * as tf from '@tensorflow/tfjs-core';
import { assertRank, assertSameShape } from './validate.js';

/** A per-batch scalar or a per-sample [B] value. */
export type LevelValue = number | tf.Tensor1D;

function asColumn(fn: string, arg: string, v: LevelValue, batch: number): number | tf.Tensor4D {
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new Error(`${fn}: '${arg}' must be finite, got ${v}`);
    return v;
  }
  assertRank(fn, arg, v, 1);
  if (v.shape[0] !== batch) {
    throw new Error(`${fn}: '${arg}' has ${v.shape[0]} entries, expected the batch size ${batch}`);
  }
  return tf.reshape(v, [batch, 1, 1, 1]) as tf.Tensor4D;
}

/**
 * x = y + alpha (u - y) + sigma eps.
 * @param y HR image [B,H,W,C] in [-1,1].
 * @param u bicubic-upsampled LR [B,H,W,C] in [-1,1].
 * @param alpha residual weight (scalar or [B]).
 * @param sigma noise std (scalar or [B]).
 * @param eps standard-normal noise [B,H,W,C] (required when sigma is not the number 0).
 */
export function forwardProcess(
  y: tf.Tensor4D,
  u: tf.Tensor4D,
  alpha: LevelValue,
  sigma: LevelValue,
  eps?: tf.Tensor4D,
): tf.Tensor4D {
  const fn = 'forwardProcess';
  assertRank(fn, 'y', y, 4);
  assertSameShape(fn, 'y', y, 'u', u);
  if (eps != null) assertSameShape(fn, 'y', y, 'eps', eps);
  else if (sigma !== 0) throw new Error(`${fn}: 'eps' is required when sigma is not 0`);
  return tf.tidy(() => {
    const b = y.shape[0];
    const a = asColumn(fn, 'alpha', alpha, b);
    const s = asColumn(fn, 'sigma', sigma, b);
    let x = tf.add(y, tf.mul(tf.sub(u, y), a));
    if (eps != null && s !== 0) x = tf.add(x, tf.mul(eps, s));
    return x as tf.Tensor4D;
  });
}
