/**
 * Separable linear resampling from tap tables: every output index o along an axis is
 *   out[o] = Σ_t w[t][o] · in[idx[t][o]].
 * Each resize mode (PyTorch area / bilinear / bicubic, MATLAB antialiased bicubic) only builds the
 * table in JavaScript; one gather + multiply + sum per axis applies it on any backend.
 */
import * as tf from '@tensorflow/tfjs-core';

/** Taps of a 1-D resampling: `index[t * outSize + o]`, `weight[t * outSize + o]`. */
export interface TapTable {
  inSize: number;
  outSize: number;
  taps: number;
  index: Int32Array;
  weight: Float32Array;
}

/** Builds a table from per-output lists of (index, weight). Short lists are padded with zero weights. */
export function tapTable(inSize: number, lists: Array<Array<[number, number]>>): TapTable {
  const outSize = lists.length;
  const taps = Math.max(1, ...lists.map((l) => l.length));
  const index = new Int32Array(taps * outSize);
  const weight = new Float32Array(taps * outSize);
  for (let o = 0; o < outSize; o++) {
    const l = lists[o];
    for (let t = 0; t < l.length; t++) {
      index[t * outSize + o] = l[t][0];
      weight[t * outSize + o] = l[t][1];
    }
  }
  return { inSize, outSize, taps, index, weight };
}

/** True when the table maps every output to the same input index with weight 1. */
export function isIdentity(t: TapTable): boolean {
  if (t.inSize !== t.outSize) return false;
  for (let o = 0; o < t.outSize; o++) {
    let w = 0;
    for (let k = 0; k < t.taps; k++) {
      const i = k * t.outSize + o;
      if (t.weight[i] === 0) continue;
      if (t.index[i] !== o) return false;
      w += t.weight[i];
    }
    if (w !== 1) return false;
  }
  return true;
}

/** Applies a tap table along axis 1 (rows) or 2 (columns) of [B, H, W, C]. */
export function applyTaps(x: tf.Tensor4D, table: TapTable, axis: 1 | 2): tf.Tensor4D {
  if (x.shape[axis] !== table.inSize) {
    throw new Error(`applyTaps: axis ${axis} has size ${x.shape[axis]}, the table expects ${table.inSize}`);
  }
  if (isIdentity(table)) return tf.clone(x);
  return tf.tidy(() => {
    const [b, h, w, c] = x.shape;
    const m = table.outSize;
    const T = table.taps;
    const g = tf.gather(x, tf.tensor1d(table.index, 'int32'), axis);
    if (axis === 1) {
      const r = tf.reshape(g, [b, T, m, w * c]);
      const wt = tf.tensor4d(table.weight, [1, T, m, 1]);
      return tf.reshape(tf.sum(tf.mul(r, wt), 1), [b, m, w, c]) as tf.Tensor4D;
    }
    const r = tf.reshape(g, [b * h, T, m, c]);
    const wt = tf.tensor4d(table.weight, [1, T, m, 1]);
    return tf.reshape(tf.sum(tf.mul(r, wt), 1), [b, h, m, c]) as tf.Tensor4D;
  });
}
