/**
 * Unsharp masking of the ground truth, BasicSR's `USMSharp` (Real-ESRGAN's optional `use_sharp`
 * step; CTMSR trains without it, method.md §6.2):
 *   blur = G ∗ img, r = img − blur, mask = [|r|·255 > threshold], soft = G ∗ mask,
 *   out = soft · clamp(img + weight·r, 0, 1) + (1 − soft) · img,
 * G the k×k Gaussian of OpenCV's `getGaussianKernel(k, 0)`: σ = 0.3·((k − 1)/2 − 1) + 0.8
 * (k = 51 gives σ = 8), reflect padding.
 */
import * as tf from '@tensorflow/tfjs-core';
import { reflectPad } from './reflect-pad.js';
import { assertRgbBatch, fail } from './validate.js';

export interface UnsharpMaskOptions {
  /** Kernel size; an even value is raised by one (BasicSR). Default 51 (BasicSR's radius 50). */
  radius?: number;
  /** Weight of the residual. Default 0.5. */
  weight?: number;
  /** Residual threshold in 8-bit levels. Default 10. */
  threshold?: number;
}

export const DEFAULT_UNSHARP_MASK: Required<UnsharpMaskOptions> = { radius: 51, weight: 0.5, threshold: 10 };

/** OpenCV's `getGaussianKernel(k, 0)`: 1-D, sum 1. */
export function opencvGaussian1d(k: number): Float32Array {
  const sigma = 0.3 * ((k - 1) * 0.5 - 1) + 0.8;
  const v = new Float64Array(k);
  let s = 0;
  for (let i = 0; i < k; i++) {
    v[i] = Math.exp(-((i - (k - 1) / 2) ** 2) / (2 * sigma * sigma));
    s += v[i];
  }
  return Float32Array.from(v, (a) => a / s);
}

/** Separable Gaussian blur of planes [N, H, W, 1] with reflect padding. */
function blurPlanes(planes: tf.Tensor4D, g: Float32Array): tf.Tensor4D {
  const p = (g.length - 1) / 2;
  const padded = reflectPad(planes, p, p, p, p);
  const rows = tf.conv2d(padded, tf.tensor4d(g, [g.length, 1, 1, 1]), 1, 'valid');
  return tf.conv2d(rows, tf.tensor4d(g, [1, g.length, 1, 1]), 1, 'valid');
}

/**
 * Unsharp-masks a batch (see file doc).
 * @param img [B, H, W, 3] in [0, 1].
 * @returns [B, H, W, 3] in [0, 1].
 */
export function unsharpMask(img: tf.Tensor4D, options: UnsharpMaskOptions = {}): tf.Tensor4D {
  const fn = 'unsharpMask';
  assertRgbBatch(fn, 'img', img);
  const o = { ...DEFAULT_UNSHARP_MASK, ...options };
  if (!Number.isInteger(o.radius) || o.radius < 1)
    fail(fn, `'radius' must be an integer >= 1, got ${o.radius}`);
  const k = o.radius % 2 === 0 ? o.radius + 1 : o.radius;
  const g = opencvGaussian1d(k);
  return tf.tidy(() => {
    const [b, h, w, c] = img.shape;
    const planes = tf.reshape(tf.transpose(img, [0, 3, 1, 2]), [b * c, h, w, 1]) as tf.Tensor4D;
    const residual = tf.sub(planes, blurPlanes(planes, g));
    const mask = tf.cast(tf.greater(tf.mul(tf.abs(residual), 255), o.threshold), 'float32') as tf.Tensor4D;
    const soft = blurPlanes(mask, g);
    const sharp = tf.clipByValue(tf.add(planes, tf.mul(residual, o.weight)), 0, 1);
    const out = tf.add(tf.mul(soft, sharp), tf.mul(tf.sub(1, soft), planes));
    return tf.transpose(tf.reshape(out, [b, c, h, w]), [0, 2, 3, 1]) as tf.Tensor4D;
  });
}
