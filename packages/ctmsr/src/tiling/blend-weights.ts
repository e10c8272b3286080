/**
 * Smooth blending weights for overlapping tiles: a partition of unity, so no weight buffer is
 * needed (the weighted tile outputs are summed straight into the output image).
 *
 * Along one axis (HR pixels), with the overlap O (HR) and margin m = floor(O / 4), ramp
 * R = O - 2m, each tile gets a bump that is 0 within m pixels of an edge it shares with a
 * neighbour, rises as a raised cosine over the next R pixels, and is 1 elsewhere:
 *   f(d) = 0                            d < m
 *        = (1 - cos(pi (d - m + 0.5) / R)) / 2   m <= d < m + R
 *        = 1                            otherwise
 * (d = distance to the shared edge; image borders get no ramp). The weights are the bumps
 * divided by their sum at each pixel, so they add up to exactly 1. Neighbours overlap by at
 * least O, so the sum is never 0. A 2-D tile weight is the product of its row and column
 * weights, which again sums to 1 over the grid.
 *
 * Pixels within m of a tile's inner edge get weight 0: a local network whose receptive field
 * reaches at most m HR pixels gives exactly the untiled result.
 *
 * Deviations: the reference averages overlapping tiles uniformly (method.md §5.1 step 3).
 */
import type { AxisPlan } from './plan-tiles.js';

/** The 1-D bump of a tile of `length` HR pixels (see file doc). */
export function tileBump(
  length: number,
  rampStart: boolean,
  rampEnd: boolean,
  overlap: number,
): Float64Array {
  const m = Math.floor(overlap / 4);
  const r = overlap - 2 * m;
  const f = (d: number): number => {
    if (r <= 0 || d >= m + r) return 1;
    if (d < m) return 0;
    return 0.5 - 0.5 * Math.cos((Math.PI * (d - m + 0.5)) / r);
  };
  const out = new Float64Array(length);
  for (let t = 0; t < length; t++) {
    out[t] = (rampStart ? f(t) : 1) * (rampEnd ? f(length - 1 - t) : 1);
  }
  return out;
}

/**
 * Normalised blending weights of every tile along one axis, in HR pixels.
 * @param axis the LR axis plan.
 * @param scale the upscaling factor s (HR = s * LR).
 * @param overlap the effective LR overlap used to plan the axis.
 * @returns one Float32Array per tile, of length s * axis.size; at every HR pixel the weights of
 *   the tiles covering it sum to 1.
 */
export function axisBlendWeights(axis: AxisPlan, scale: number, overlap: number): Float32Array[] {
  const n = axis.starts.length;
  const len = axis.size * scale;
  const total = new Float64Array(axis.length * scale);
  const bumps = axis.starts.map((s, i) => {
    const b = tileBump(len, i > 0, i < n - 1, overlap * scale);
    const offset = s * scale;
    for (let t = 0; t < len; t++) total[offset + t] += b[t];
    return b;
  });
  for (let t = 0; t < total.length; t++) {
    if (!(total[t] > 0)) {
      throw new Error(`axisBlendWeights: HR pixel ${t} is covered by no tile weight (tiles too far apart)`);
    }
  }
  return bumps.map((b, i) => {
    const offset = axis.starts[i] * scale;
    const w = new Float32Array(len);
    for (let t = 0; t < len; t++) w[t] = b[t] / total[offset + t];
    return w;
  });
}
