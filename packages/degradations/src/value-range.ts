/** Value-range helpers shared by the pipelines: 8-bit quantisation and the trainer's [−1, 1] range. */
import * as tf from '@tensorflow/tfjs-core';

/**
 * 8-bit round trip: clamp(round(x·255), 0, 255) / 255 (method.md §6.2 step 7). Ties round to even,
 * like `torch.round`.
 */
export function quantize8bit(x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.div(tf.clipByValue(tf.round(tf.mul(x, 255)), 0, 255), 255));
}

/** Maps [0, 1] to the trainer's [−1, 1]: v ↦ (v − 0.5) / 0.5 (method.md §1.1). */
export function toSymmetricRange<T extends tf.Tensor>(x: T): T {
  return tf.tidy(() => tf.sub(tf.mul(x, 2), 1)) as T;
}

/** Maps [−1, 1] back to [0, 1]: v ↦ (v + 1) / 2 (no clamping). */
export function fromSymmetricRange<T extends tf.Tensor>(x: T): T {
  return tf.tidy(() => tf.mul(tf.add(x, 1), 0.5)) as T;
}
