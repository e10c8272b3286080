/**
 * Max pooling that can be differentiated on every backend: a k x k window, stride s, no padding,
 * floor mode (PyTorch `max_pool2d(x, k, s)` defaults), built from slices, reshapes and
 * `tf.maximum` only. tfjs's `maxPool` gradient is wrong on wasm for channels > 1
 * (environment.md), and LPIPS is differentiated with respect to its input during training.
 *
 *   out[b, i, j, c] = max_{0 <= p, q < k} x[b, s*i + p, s*j + q, c]
 *
 * The max is separable: first over the k column offsets, then over the k row offsets.
 * Gradient at ties: `maximum` sends the gradient to its first argument, so the first maximal
 * element in row-major window order receives it, as in PyTorch's CPU kernel.
 */
import * as tf from '@tensorflow/tfjs-core';

/** Elements start, start + s, ..., start + (count - 1) s along axis 1 (rows) or 2 (columns). */
function subsample(x: tf.Tensor4D, axis: 1 | 2, start: number, count: number, stride: number): tf.Tensor4D {
  const [b, h, w, c] = x.shape;
  const dim = axis === 1 ? h : w;
  const span = Math.min(count * stride, dim - start);
  const begin = axis === 1 ? [0, start, 0, 0] : [0, 0, start, 0];
  const size = axis === 1 ? [b, span, w, c] : [b, h, span, c];
  let s: tf.Tensor = tf.slice(x, begin, size);
  if (stride === 1) return s as tf.Tensor4D;
  if (span < count * stride) {
    // Pad the last (discarded) positions of the last group so the axis splits into `count` groups.
    const pad: [number, number][] = [
      [0, 0],
      [0, 0],
      [0, 0],
      [0, 0],
    ];
    pad[axis] = [0, count * stride - span];
    s = tf.pad(s, pad);
  }
  const groups = axis === 1 ? [b * count, stride, w * c] : [b * h * count, stride, c];
  const first = tf.slice(tf.reshape(s, groups), [0, 0, 0], [groups[0], 1, groups[2]]);
  return tf.reshape(first, axis === 1 ? [b, count, w, c] : [b, h, count, c]) as tf.Tensor4D;
}

/**
 * Differentiable max pooling (see file doc). x: [B,H,W,C] -> [B,Ho,Wo,C], Ho = floor((H-k)/s)+1.
 */
export function maxPool2dDifferentiable(x: tf.Tensor4D, size: number, stride: number): tf.Tensor4D {
  const fn = 'maxPool2dDifferentiable';
  if (x.rank !== 4) throw new Error(`${fn}: 'x' must have rank 4, got rank ${x.rank} (shape [${x.shape}])`);
  for (const [name, v] of [
    ['size', size],
    ['stride', stride],
  ] as const) {
    if (!Number.isInteger(v) || v < 1) throw new Error(`${fn}: '${name}' must be an integer >= 1, got ${v}`);
  }
  const [, h, w] = x.shape;
  if (h < size || w < size) {
    throw new Error(`${fn}: 'x' is ${h}x${w}, smaller than the ${size}x${size} window`);
  }
  const ho = Math.floor((h - size) / stride) + 1;
  const wo = Math.floor((w - size) / stride) + 1;
  return tf.tidy(() => {
    let cols = subsample(x, 2, 0, wo, stride);
    for (let q = 1; q < size; q++) cols = tf.maximum(cols, subsample(x, 2, q, wo, stride));
    let out = subsample(cols, 1, 0, ho, stride);
    for (let p = 1; p < size; p++) out = tf.maximum(out, subsample(cols, 1, p, ho, stride));
    return out;
  });
}
