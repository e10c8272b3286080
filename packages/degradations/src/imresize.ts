/**
 * MATLAB-style `imresize(img, scale, 'bicubic')`: Keys cubic with a = −0.5; when shrinking
 * (scale < 1) the kernel is widened by 1/scale (antialiasing): h(x) = scale·cubic(scale·x), width
 * 4/scale. Output index o (1-based) reads u = o/scale + ½·(1 − 1/scale); taps ⌊u − width/2⌋ + 0 …
 * ⌈width⌉ + 1, weights normalised to sum 1, indices outside the image mirrored symmetrically
 * (edge pixel repeated). Output size ⌈n·scale⌉. Rows first, then columns.
 * This is how classic SR benchmarks (Set5, DIV2K "bicubic" tracks) make their LR images.
 */
import type * as tf from '@tensorflow/tfjs-core';
import { applyTaps2d, type TapTable, tapTable } from './resample.js';
import { cubicWeight } from './resize.js';
import { assertRank, fail } from './validate.js';

/** The 1-D tap table of MATLAB's antialiased bicubic resize by `scale`. */
export function imresizeTaps(inSize: number, scale: number, outSize = Math.ceil(inSize * scale)): TapTable {
  if (!Number.isFinite(scale) || scale <= 0)
    fail('imresizeTaps', `'scale' must be finite and > 0, got ${scale}`);
  const shrink = scale < 1;
  const width = shrink ? 4 / scale : 4;
  const h = (x: number) => (shrink ? scale * cubicWeight(scale * x, -0.5) : cubicWeight(x, -0.5));
  const taps = Math.ceil(width) + 2;
  const period = 2 * inSize;
  const mirror = (i1: number) => {
    // 1-based index into [1..n, n..1], periodic.
    const m = (((i1 - 1) % period) + period) % period;
    return m < inSize ? m : period - 1 - m; // 0-based
  };
  const lists: Array<Array<[number, number]>> = [];
  for (let o = 1; o <= outSize; o++) {
    const u = o / scale + 0.5 * (1 - 1 / scale);
    const left = Math.floor(u - width / 2);
    const raw: number[] = [];
    let sum = 0;
    for (let t = 0; t < taps; t++) {
      const w = h(u - (left + t));
      raw.push(w);
      sum += w;
    }
    lists.push(raw.map((w, t) => [mirror(left + t), w / sum] as [number, number]));
  }
  return tapTable(inSize, lists);
}

/**
 * Resizes [B, H, W, C] like MATLAB `imresize(img, scale)` with the default bicubic method.
 * @param outSize output [height, width]; default [⌈H·scale⌉, ⌈W·scale⌉] (pass it when H·scale is meant to
 *   be an integer, e.g. scale 1/3, where floating point can push the ceiling up by one).
 * @returns [B, H', W', C], float (no rounding).
 *
 * **Deviations:** computed in float32 throughout; MATLAB on uint8 input returns uint8 (the caller
 * rounds, see `bicubicDegrade`).
 */
export function imresize(x: tf.Tensor4D, scale: number, outSize?: [number, number]): tf.Tensor4D {
  assertRank('imresize', 'x', x, 4);
  if (!Number.isFinite(scale) || scale <= 0) fail('imresize', `'scale' must be finite and > 0, got ${scale}`);
  const [, h, w] = x.shape;
  const [oh, ow] = outSize ?? [Math.ceil(h * scale), Math.ceil(w * scale)];
  return applyTaps2d(x, imresizeTaps(h, scale, oh), imresizeTaps(w, scale, ow));
}
