/**
 * The shared contracts of CTMSR. Every package speaks these types.
 *
 * Tensors are NHWC float32. Images live in [-1, 1] (v -> (v - 0.5) / 0.5, method.md §1.1).
 */
import type { Tensor1D, Tensor4D } from '@tensorflow/tfjs-core';

/**
 * A denoiser / consistency function D(x, lq, sigma) ~ y.
 *
 * - `x`: the noisy HR-sized state, [B, s*h, s*w, 3].
 * - `lq`: the LR conditioning image l, [B, h, w, 3].
 * - `sigma`: the noise level, a number (shared by the batch) or a [B] tensor.
 * Returns the HR estimate, [B, s*h, s*w, 3], in [-1, 1] (not clamped).
 */
export type Denoiser = (x: Tensor4D, lq: Tensor4D, sigma: number | Tensor1D, cond?: Conditioning) => Tensor4D;

/**
 * Optional precomputed conditioning that a caller already holds, passed through to the network
 * so that it is not computed twice. `u` must equal `bicubicUpsample(lq, s)` (the sampler's u);
 * a network that needs it (the `res_con` option) otherwise computes it from `lq` itself.
 */
export interface Conditioning {
  u?: Tensor4D;
}

/**
 * A raw network F(c_in * x, c_noise, lq), before EDM preconditioning (method.md §2.1).
 * `cNoise` has shape [B].
 */
export type RawNetwork = (xIn: Tensor4D, cNoise: Tensor1D, lq: Tensor4D, cond?: Conditioning) => Tensor4D;

/** One point of the discretised trajectory: noise level sigma_i and residual weight alpha_i. */
export interface TrajectoryLevel {
  sigma: number;
  alpha: number;
}
