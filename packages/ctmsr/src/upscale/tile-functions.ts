/**
 * The per-tile work of upscaling: the CTMSR sampler for colour, plain bicubic for alpha.
 *
 * Colour tile (method.md §5.1, with the global noise field):
 *   l = 2 v - 1 (v = padded LR tile in [0,1]);  u = bicubic_s(l)
 *   eps_k = the tile's crop of the global field N(0, I) over the padded HR canvas (seed_k)
 *   x_T = u + sigma_max * eps_0;  y = sampleConsistency(D, x_T, levels, re-noise eps_k)
 *   result = (y + 1) / 2 (clamped later, after blending)
 * Because every tile reads its noise from one field over the whole image, overlapping tiles see
 * the same noise on the pixels they share: a stochastic model agrees with itself across tiles.
 *
 * Deviations: the reference draws fresh noise per tile (method.md §5.1 step 3).
 */
import {
  bicubicUpsample,
  type Denoiser,
  deriveSeed,
  fromUnitRange,
  initialState,
  normalFieldRegion,
  sampleConsistency,
  type TrajectoryLevel,
} from '@ctmsr/pf-ode';
import * as tf from '@tensorflow/tfjs-core';
import type { TileRect } from '../tiling/plan-tiles.js';
import type { TileFunction } from '../tiling/run-tiles.js';

/** The seed of the noise field used before sampler step k (k = 0: the start x_T). */
export function stepSeed(seed: number, k: number): number {
  return k === 0 ? seed : deriveSeed(seed, k);
}

export interface SamplerTileOptions {
  /** Upscaling factor s. */
  scale: number;
  /** Descending noise levels (samplingLevels(steps, { sigmaMax })). */
  levels: TrajectoryLevel[];
  /** The global field [1, s * paddedHeight, s * paddedWidth, 3] of the (transformed) image. */
  fieldShape: [number, number, number, number];
  /** Seed of the field. */
  seed: number;
}

/** Tile function running the CTMSR sampler with the global noise field (see file doc). */
export function samplerTileFunction(denoiser: Denoiser, o: SamplerTileOptions): TileFunction {
  return (lrPadded: tf.Tensor4D, tile: TileRect) =>
    tf.tidy(() => {
      const s = o.scale;
      const region = { y0: s * tile.y0, x0: s * tile.x0, h: s * tile.padH, w: s * tile.padW };
      const noise = (k: number) => normalFieldRegion(o.fieldShape, stepSeed(o.seed, k), region);
      const lq = fromUnitRange(lrPadded);
      const u = bicubicUpsample(lq, s);
      const xT = initialState(u, o.levels[0].sigma, noise(0));
      // u is bicubic_s(lq) here, so a resCon network may reuse it instead of recomputing it
      // (Conditioning's contract); the generic sampler does not assume that of its caller's u.
      const d: Denoiser = (x, l, sigma) => denoiser(x, l, sigma, { u });
      const y = sampleConsistency(d, xT, o.levels, { lq, u, noise });
      return tf.div(tf.add(y, 1), 2) as tf.Tensor4D;
    });
}

/** Tile function for alpha: plain bicubic upsampling (PyTorch-exact) of the padded tile. */
export function bicubicTileFunction(scale: number): TileFunction {
  return (lrPadded: tf.Tensor4D) => bicubicUpsample(lrPadded, scale);
}
