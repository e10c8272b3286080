/**
 * Reflect ("mirror without repeating the edge") padding of the two spatial axes of an NHWC tensor,
 * as PyTorch's `F.pad(mode='reflect')` / NumPy's `np.pad(mode='reflect')`.
 *
 * `tf.mirrorPad` needs pad <= size − 1. Larger pads are done in chunks: once one chunk of exactly
 * (size − 1) has been added, the new edge is again a mirror axis of the even periodic extension
 * (period 2·(size − 1)), so further chunks continue that extension exactly. A size-1 axis has no
 * reflection; it is replicated.
 */
import * as tf from '@tensorflow/tfjs-core';

function padAxis(x: tf.Tensor4D, axis: 1 | 2, before: number, after: number): tf.Tensor4D {
  let y = x;
  let a = before;
  let b = after;
  let n = x.shape[axis];
  if (n === 1) {
    const reps: [number, number, number, number] = [1, 1, 1, 1];
    reps[axis] = a + b + 1;
    return tf.tile(x, reps);
  }
  while (a > 0 || b > 0) {
    const ca = Math.min(a, n - 1);
    const cb = Math.min(b, n - 1);
    const pads: Array<[number, number]> = [
      [0, 0],
      [0, 0],
      [0, 0],
      [0, 0],
    ];
    pads[axis] = [ca, cb];
    y = tf.mirrorPad(y, pads, 'reflect');
    a -= ca;
    b -= cb;
    n += ca + cb;
  }
  return y;
}

/**
 * Pads rows by (top, bottom) and columns by (left, right) with reflection. Any pad size >= 0 works
 * (for pads smaller than the image this is exactly PyTorch's reflect padding).
 * @param x [N, H, W, C]
 * @returns [N, H + top + bottom, W + left + right, C]
 */
export function reflectPad(
  x: tf.Tensor4D,
  top: number,
  bottom: number,
  left: number,
  right: number,
): tf.Tensor4D {
  for (const [name, v] of Object.entries({ top, bottom, left, right })) {
    if (!Number.isInteger(v) || v < 0)
      throw new Error(`reflectPad: '${name}' must be an integer >= 0, got ${v}`);
  }
  if (top + bottom + left + right === 0) return tf.clone(x);
  const [, h, w] = x.shape;
  if (h > 1 && w > 1 && Math.max(top, bottom) < h && Math.max(left, right) < w) {
    // The common case in one op.
    return tf.mirrorPad(
      x,
      [
        [0, 0],
        [top, bottom],
        [left, right],
        [0, 0],
      ],
      'reflect',
    );
  }
  return tf.tidy(() => padAxis(padAxis(x, 1, top, bottom), 2, left, right));
}
