/**
 * Bicubic up-sampling by an integer factor, exactly as PyTorch's
 * `F.interpolate(mode='bicubic', align_corners=False)` (Keys kernel, a = -0.75, half-pixel
 * centres, indices clamped at the border, no output clamping). This is how CTMSR builds
 * u = bicubic_x4(l) (method.md §5.1; §8 item 11).
 *
 * Output pixel o reads the source coordinate s = (o + 0.5) / r - 0.5. For a factor r every
 * output phase p = o mod r uses 4 fixed taps, so the op is a separable pair of stride-1
 * convolutions with r output channels (one per phase) followed by an interleave
 * (reshape/transpose, differentiable on every backend).
 */
import * as tf from '@tensorflow/tfjs-core';
import { assertPositiveInt, assertRank } from './validate.js';

/** Keys cubic convolution kernel with a = -0.75 (PyTorch's choice). */
export function cubicWeight(d: number, a = -0.75): number {
  const x = Math.abs(d);
  if (x <= 1) return (a + 2) * x ** 3 - (a + 3) * x ** 2 + 1;
  if (x < 2) return a * x ** 3 - 5 * a * x ** 2 + 8 * a * x - 4 * a;
  return 0;
}

/**
 * Taps of the 1-D filter bank: a [taps, r] matrix, and the padding needed on each side.
 * Row k of phase p weights source index q - pad + k for output index o = q*r + p.
 */
export function bicubicPhaseTaps(r: number): { taps: number[][]; pad: number } {
  const starts: number[] = [];
  const ts: number[] = [];
  for (let p = 0; p < r; p++) {
    const s = (p + 0.5) / r - 0.5; // relative to q
    const i0 = Math.floor(s);
    starts.push(i0 - 1);
    ts.push(s - i0);
  }
  const pad = Math.max(...starts.map((s) => -s), ...starts.map((s) => s + 3));
  const size = 2 * pad + 1;
  const taps = Array.from({ length: size }, () => new Array<number>(r).fill(0));
  for (let p = 0; p < r; p++) {
    const t = ts[p];
    const w = [cubicWeight(t + 1), cubicWeight(t), cubicWeight(1 - t), cubicWeight(2 - t)];
    for (let j = 0; j < 4; j++) taps[starts[p] + j + pad][p] += w[j];
  }
  return { taps, pad };
}

/** Replicate ("edge") padding of axis 1 (rows) of a rank-4 tensor. */
function edgePadRows(x: tf.Tensor4D, pad: number): tf.Tensor4D {
  const h = x.shape[1];
  const top = tf.tile(tf.slice(x, [0, 0, 0, 0], [-1, 1, -1, -1]), [1, pad, 1, 1]);
  const bottom = tf.tile(tf.slice(x, [0, h - 1, 0, 0], [-1, 1, -1, -1]), [1, pad, 1, 1]);
  return tf.concat([top, x, bottom], 1);
}

/** Up-samples rows (axis 1) of [N, H, W, 1] by r: -> [N, H*r, W, 1]. */
function upsampleRows(x: tf.Tensor4D, r: number): tf.Tensor4D {
  const { taps, pad } = bicubicPhaseTaps(r);
  const [n, h, w] = x.shape;
  const filter = tf.tensor4d(taps.flat(), [taps.length, 1, 1, r]);
  const y = tf.conv2d(edgePadRows(x, pad), filter, 1, 'valid'); // [N, H, W, r]
  // Interleave phases: out[q*r + p] = y[q, phase p].
  return tf.reshape(tf.transpose(y, [0, 1, 3, 2]), [n, h * r, w, 1]) as tf.Tensor4D;
}

/**
 * u = bicubic up-sampling of `lq` by integer factor `scale` (PyTorch bicubic, see file doc).
 * @param lq [B, h, w, C], any value range.
 * @returns [B, h*scale, w*scale, C].
 */
export function bicubicUpsample(lq: tf.Tensor4D, scale: number): tf.Tensor4D {
  assertRank('bicubicUpsample', 'lq', lq, 4);
  assertPositiveInt('bicubicUpsample', 'scale', scale);
  if (scale === 1) return tf.clone(lq);
  return tf.tidy(() => {
    const [b, h, w, c] = lq.shape;
    // Channels into the batch: [B*C, h, w, 1].
    const planes = tf.reshape(tf.transpose(lq, [0, 3, 1, 2]), [b * c, h, w, 1]);
    const rows = upsampleRows(planes as tf.Tensor4D, scale); // [BC, h*s, w, 1]
    const cols = upsampleRows(tf.transpose(rows, [0, 2, 1, 3]) as tf.Tensor4D, scale); // [BC, w*s, h*s, 1]
    const out = tf.reshape(tf.transpose(cols, [0, 2, 1, 3]), [b, c, h * scale, w * scale]);
    return tf.transpose(out, [0, 2, 3, 1]) as tf.Tensor4D;
  });
}
