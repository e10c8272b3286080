/**
 * sg(x): the identity in the forward pass, zero gradient in the backward pass
 * (PyTorch's `.detach()`, JAX's `stop_gradient`). tfjs has no such op; `customGrad` makes one.
 */
import * as tf from '@tensorflow/tfjs-core';

const sg = tf.customGrad(((x: tf.Tensor) => ({
  value: tf.clone(x),
  gradFunc: (dy: tf.Tensor) => tf.zerosLike(dy),
})) as unknown as Parameters<typeof tf.customGrad>[0]);

/** Returns a copy of x through which no gradient flows. */
export function stopGradient<T extends tf.Tensor>(x: T): T {
  return sg(x) as T;
}
