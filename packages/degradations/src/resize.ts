/**
 * Image resizing with the semantics of PyTorch's `F.interpolate` (align_corners = False, no
 * antialiasing), which the Real-ESRGAN pipeline uses (method.md §6.2 steps 2, 5, 6, 8):
 *
 * - 'bilinear': source s = (o + ½)·r − ½, clamped at 0; taps ⌊s⌋ and ⌊s⌋+1 (clamped to the last index).
 * - 'bicubic': the same s without the clamp; Keys cubic with a = −0.75 on taps ⌊s⌋−1 … ⌊s⌋+2,
 *   indices clamped to the image (edge replication).
 * - 'area': adaptive average pooling: out[o] = mean(in[⌊o·n/m⌋ … ⌈(o+1)·n/m⌉ − 1]).
 *
 * r = 1 / scaleFactor when a scale factor is given (PyTorch then also uses floor(n·scaleFactor) as
 * the output size), otherwise r = n / m. Up- and down-scaling, arbitrary sizes.
 */
import type * as tf from '@tensorflow/tfjs-core';
import { applyTaps2d, type TapTable, tapTable } from './resample.js';
import { assertRank, fail } from './validate.js';

export const RESIZE_MODES = ['area', 'bilinear', 'bicubic'] as const;
export type ResizeMode = (typeof RESIZE_MODES)[number];

/** Keys' cubic convolution kernel; a = −0.75 is PyTorch's (and OpenCV's) choice, −0.5 MATLAB's. */
export function cubicWeight(d: number, a = -0.75): number {
  const x = Math.abs(d);
  if (x <= 1) return ((a + 2) * x - (a + 3)) * x * x + 1;
  if (x < 2) return ((a * x - 5 * a) * x + 8 * a) * x - 4 * a;
  return 0;
}

/** Output length PyTorch gives for a scale factor: floor(n · scaleFactor). */
export function scaledSize(n: number, scaleFactor: number): number {
  return Math.floor(n * scaleFactor);
}

/**
 * The 1-D tap table of a PyTorch resize from `inSize` to `outSize` samples.
 * @param scaleFactor when given (PyTorch `scale_factor=`), sets the coordinate ratio to 1/scaleFactor.
 */
export function resizeTaps(
  inSize: number,
  outSize: number,
  mode: ResizeMode,
  scaleFactor?: number,
): TapTable {
  const n = inSize;
  const m = outSize;
  const lists: Array<Array<[number, number]>> = [];
  if (mode === 'area') {
    for (let o = 0; o < m; o++) {
      const start = Math.floor((o * n) / m);
      const end = Math.ceil(((o + 1) * n) / m);
      const l: Array<[number, number]> = [];
      for (let i = start; i < end; i++) l.push([i, 1 / (end - start)]);
      lists.push(l);
    }
    return tapTable(n, lists);
  }
  const r = scaleFactor != null && scaleFactor > 0 ? 1 / scaleFactor : n / m;
  const clampIdx = (i: number) => Math.min(n - 1, Math.max(0, i));
  for (let o = 0; o < m; o++) {
    let s = (o + 0.5) * r - 0.5;
    if (mode === 'bilinear') {
      if (s < 0) s = 0;
      const i0 = Math.floor(s);
      const l = s - i0;
      const i1 = i0 < n - 1 ? i0 + 1 : i0;
      lists.push([
        [clampIdx(i0), 1 - l],
        [clampIdx(i1), l],
      ]);
    } else if (mode === 'bicubic') {
      const i0 = Math.floor(s);
      const t = s - i0;
      const w = [cubicWeight(t + 1), cubicWeight(t), cubicWeight(1 - t), cubicWeight(2 - t)];
      lists.push(w.map((wj, j) => [clampIdx(i0 - 1 + j), wj] as [number, number]));
    } else {
      fail('resizeTaps', `unknown mode '${mode}'; expected one of area, bilinear, bicubic`);
    }
  }
  return tapTable(n, lists);
}

/** Target of a resize: an explicit size, or a scale factor (PyTorch `size=` vs `scale_factor=`). */
export type ResizeTarget = { size: [number, number] } | { scaleFactor: number | [number, number] };

/**
 * Resizes [B, H, W, C] as PyTorch's `F.interpolate(x, size | scale_factor, mode, align_corners=False)`.
 * @returns [B, H', W', C] with (H', W') = size, or floor((H, W) · scaleFactor).
 *
 * **Deviations:** a computed size of 0 is raised to 1 (PyTorch raises an error).
 */
export function resize(x: tf.Tensor4D, target: ResizeTarget, mode: ResizeMode): tf.Tensor4D {
  const fn = 'resize';
  assertRank(fn, 'x', x, 4);
  if (!(RESIZE_MODES as readonly string[]).includes(mode)) {
    fail(fn, `'mode' must be one of ${RESIZE_MODES.join(', ')}, got '${mode}'`);
  }
  const [, h, w] = x.shape;
  let oh: number;
  let ow: number;
  let sh: number | undefined;
  let sw: number | undefined;
  if ('size' in target) {
    [oh, ow] = target.size;
    for (const [name, v] of [
      ['size[0]', oh],
      ['size[1]', ow],
    ] as const) {
      if (!Number.isInteger(v) || v < 1) fail(fn, `'${name}' must be an integer >= 1, got ${v}`);
    }
  } else {
    const sf = target.scaleFactor;
    [sh, sw] = typeof sf === 'number' ? [sf, sf] : sf;
    for (const v of [sh, sw]) {
      if (!Number.isFinite(v) || v <= 0) fail(fn, `'scaleFactor' must be finite and > 0, got ${v}`);
    }
    oh = Math.max(1, scaledSize(h, sh));
    ow = Math.max(1, scaledSize(w, sw));
  }
  return applyTaps2d(x, resizeTaps(h, oh, mode, sh), resizeTaps(w, ow, mode, sw));
}
