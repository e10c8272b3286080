/**
 * Poisson sampling on any backend from random fields generated in JavaScript (no read-back).
 *
 * For each element with rate λ, given one uniform u ∈ (0, 1) and one standard normal z:
 * - λ < `exactBelow` (default 12): exact inversion, X = #{k : F_λ(k) < u} with
 *   F_λ(k) = Σ_{j<=k} e^{−λ} λ^j / j!, evaluated for k < `maxCount` (default 34; the tail
 *   P(X >= 34 | λ = 12) is 1.5e-7, so the cap is practically never hit).
 * - λ >= `exactBelow`: normal approximation X = max(0, round(λ + √λ·z)). Mean λ (to within the
 *   rounding bias, < 1e-3 relative here), variance λ + 1/12, skewness ignored (it is 1/√λ <= 0.29).
 * Both branches are computed for every element (no data-dependent control flow on the device).
 */
import * as tf from '@tensorflow/tfjs-core';

export interface PoissonSamplingOptions {
  /** Rates below this use exact inversion; at or above, the normal approximation. Default 12. */
  exactBelow?: number;
  /** Number of CDF terms of the exact branch (the largest exact count). Default 34. */
  maxCount?: number;
}

export const DEFAULT_POISSON_SAMPLING: Required<PoissonSamplingOptions> = { exactBelow: 12, maxCount: 34 };

/**
 * Draws X ~ Poisson(λ) element-wise.
 * @param lambda rates λ >= 0, any shape.
 * @param uniform uniforms in (0, 1), same shape (used by the exact branch).
 * @param normal standard normals, same shape (used by the approximate branch).
 * @returns float32 counts, same shape.
 */
export function samplePoisson(
  lambda: tf.Tensor,
  uniform: tf.Tensor,
  normal: tf.Tensor,
  options: PoissonSamplingOptions = {},
): tf.Tensor {
  const { exactBelow, maxCount } = { ...DEFAULT_POISSON_SAMPLING, ...options };
  for (const [name, t] of [
    ['uniform', uniform],
    ['normal', normal],
  ] as const) {
    if (t.shape.join(',') !== lambda.shape.join(',')) {
      throw new Error(
        `samplePoisson: '${name}' must have the shape of 'lambda' [${lambda.shape}], got [${t.shape}]`,
      );
    }
  }
  if (!Number.isInteger(maxCount) || maxCount < 1) {
    throw new Error(`samplePoisson: 'maxCount' must be an integer >= 1, got ${maxCount}`);
  }
  return tf.tidy(() => {
    const lam = tf.relu(lambda);
    // Exact branch, on λ capped at the threshold (the capped elements are discarded below).
    const lamE = tf.minimum(lam, exactBelow);
    let p = tf.exp(tf.neg(lamE));
    let rem = tf.sub(uniform, p);
    let count = tf.step(rem);
    for (let j = 1; j < maxCount; j++) {
      // Free each step's temporaries at once: peak memory stays a few copies of λ.
      const next = tf.tidy(() => {
        const pj = tf.mul(p, tf.mul(lamE, 1 / j));
        const rj = tf.sub(rem, pj);
        return [pj, rj, tf.add(count, tf.step(rj))];
      });
      tf.dispose([p, rem, count]);
      [p, rem, count] = next;
    }
    const approx = tf.relu(tf.round(tf.add(lam, tf.mul(tf.sqrt(lam), normal))));
    return tf.where(tf.less(lam, exactBelow), count, approx);
  });
}
