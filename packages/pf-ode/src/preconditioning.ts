/**
 * EDM preconditioning as configured by CTMSR (method.md §2.1; Karras et al. 2022, Table 1,
 * with CTMSR's changes):
 *
 *   D(x, sigma, l) = c_skip(sigma) * x + c_out(sigma) * F(c_in * x, c_noise(sigma), l)
 *   s = sigma / sigmaScale                       (sigmaScale = 0.1, the reference's use_skip=True)
 *   c_skip = sigma_d^2 / (s^2 + sigma_d^2)
 *   c_out  = s / sqrt(s^2 + sigma_d^2)           (not multiplied by sigma_d, unlike EDM)
 *   c_in   = 1
 *   c_noise = ln(sigma + 0.002) / 4
 *
 * Boundary condition: c_skip(0) = 1, c_out(0) = 0, so D(x, 0) = x exactly.
 *
 * Deviations: none from the reference code. From EDM: c_out lacks the sigma_d factor, sigma is
 * rescaled by 1/0.1 inside c_skip/c_out, c_in = 1 and c_noise uses ln(sigma + 0.002)/4 (the
 * offset keeps it finite at sigma = 0).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Denoiser, RawNetwork } from './types.js';
import { assertFiniteInRange, assertRank } from './validate.js';

export interface PreconditioningOptions {
  /** sigma_d, the data standard deviation. */
  sigmaData: number;
  /** The reference divides sigma by 0.1 (use_skip=True) or 0.001 (use_skip=False). */
  sigmaScale: number;
  /** c_noise = ln(sigma + noiseOffset) / noiseDivisor. */
  noiseOffset: number;
  noiseDivisor: number;
}

export const DEFAULT_PRECONDITIONING: PreconditioningOptions = {
  sigmaData: 0.5,
  sigmaScale: 0.1,
  noiseOffset: 0.002,
  noiseDivisor: 4,
};

export interface EdmCoefficients {
  cSkip: number;
  cOut: number;
  cIn: number;
  cNoise: number;
}

/** The four preconditioning coefficients at one noise level (see file doc for formulas). */
export function edmCoefficients(
  sigma: number,
  options: Partial<PreconditioningOptions> = {},
): EdmCoefficients {
  const o = { ...DEFAULT_PRECONDITIONING, ...options };
  assertFiniteInRange('edmCoefficients', 'sigma', sigma, 0, Number.MAX_VALUE);
  const s = sigma / o.sigmaScale;
  const sd2 = o.sigmaData * o.sigmaData;
  return {
    cSkip: sd2 / (s * s + sd2),
    cOut: s / Math.sqrt(s * s + sd2),
    cIn: 1,
    cNoise: Math.log(sigma + o.noiseOffset) / o.noiseDivisor,
  };
}

/** Tensor version for per-sample sigma [B]: returns [B,1,1,1] cSkip/cOut/cIn and [B] cNoise. */
function edmCoefficientTensors(sigma: tf.Tensor1D, o: PreconditioningOptions) {
  const s = tf.div(sigma, o.sigmaScale);
  const sd2 = o.sigmaData * o.sigmaData;
  const denom = tf.add(tf.square(s), sd2);
  const col = (t: tf.Tensor) => tf.reshape(t, [-1, 1, 1, 1]) as tf.Tensor4D;
  return {
    cSkip: col(tf.div(sd2, denom)),
    cOut: col(tf.div(s, tf.sqrt(denom))),
    cNoise: tf.div(tf.log(tf.add(sigma, o.noiseOffset)), o.noiseDivisor) as tf.Tensor1D,
  };
}

/**
 * Wraps a raw network F into the consistency function D (formula in the file doc).
 * With a scalar sigma = 0 the network is not called and D returns a copy of x (exact boundary).
 */
export function precondition(raw: RawNetwork, options: Partial<PreconditioningOptions> = {}): Denoiser {
  const o = { ...DEFAULT_PRECONDITIONING, ...options };
  return (x, lq, sigma, cond) => {
    assertRank('Denoiser', 'x', x, 4);
    assertRank('Denoiser', 'lq', lq, 4);
    const batch = x.shape[0];
    if (lq.shape[0] !== batch) {
      throw new Error(`Denoiser: 'lq' batch ${lq.shape[0]} does not match 'x' batch ${batch}`);
    }
    if (typeof sigma === 'number') {
      assertFiniteInRange('Denoiser', 'sigma', sigma, 0, Number.MAX_VALUE);
      if (sigma === 0) return tf.clone(x);
      const c = edmCoefficients(sigma, o);
      return tf.tidy(() => {
        const f = raw(
          c.cIn === 1 ? x : tf.mul(x, c.cIn),
          tf.fill([batch], c.cNoise) as tf.Tensor1D,
          lq,
          cond,
        );
        return tf.add(tf.mul(x, c.cSkip), tf.mul(f, c.cOut)) as tf.Tensor4D;
      });
    }
    assertRank('Denoiser', 'sigma', sigma, 1);
    if (sigma.shape[0] !== batch) {
      throw new Error(`Denoiser: 'sigma' has ${sigma.shape[0]} entries, expected the batch size ${batch}`);
    }
    return tf.tidy(() => {
      const c = edmCoefficientTensors(sigma, o);
      const f = raw(x, c.cNoise, lq, cond);
      return tf.add(tf.mul(x, c.cSkip), tf.mul(f, c.cOut)) as tf.Tensor4D;
    });
  };
}
