/**
 * The value mapping of method.md §1.1: images in [0,1] are used as v -> (v - 0.5) / 0.5 in
 * [-1,1]; network outputs go back by (v + 1) / 2 (clamped to [0,1] only for metrics and saving).
 */
import * as tf from '@tensorflow/tfjs-core';

/** [0,1] -> [-1,1]: (v - 0.5) / 0.5. */
export function fromUnitRange<T extends tf.Tensor>(v: T): T {
  return tf.tidy(() => tf.sub(tf.mul(v, 2), 1)) as T;
}

/** [-1,1] -> [0,1]: (v + 1) / 2, optionally clamped to [0,1]. */
export function toUnitRange<T extends tf.Tensor>(v: T, clamp = true): T {
  return tf.tidy(() => {
    const y = tf.mul(tf.add(v, 1), 0.5);
    return clamp ? tf.clipByValue(y, 0, 1) : y;
  }) as T;
}
