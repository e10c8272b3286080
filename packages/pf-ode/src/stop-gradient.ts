/**
 * Two ways to stop gradients in TensorFlow.js (which has no `stop_gradient` op):
 *
 * - `stopGradient(x)`: identity forward, zero gradient backward (a `customGrad`). The gradient
 *   tape still contains everything computed from it, and backprop runs through it with zeros.
 * - `detach(x)`: a new tensor sharing x's storage (no copy) that the gradient tape has never
 *   seen, like PyTorch's `.detach()`. Everything computed from it is invisible to backprop, so
 *   a frozen network evaluated on a detached input costs no backward pass at all.
 */
import * as tf from '@tensorflow/tfjs-core';

const sg = tf.customGrad(((x: tf.Tensor) => ({
  value: tf.clone(x),
  gradFunc: (dy: tf.Tensor) => tf.zerosLike(dy),
})) as unknown as Parameters<typeof tf.customGrad>[0]);

/** Returns a copy of x through which no gradient flows (zero gradient). */
export function stopGradient<T extends tf.Tensor>(x: T): T {
  return sg(x) as T;
}

/**
 * Returns a tensor with x's values that is disconnected from the gradient tape (shares x's
 * storage; disposing either one leaves the other valid). Prefer it to `stopGradient` inside
 * training closures: no backward work is done for what is computed from it.
 */
export function detach<T extends tf.Tensor>(x: T): T {
  const engine = tf.engine();
  // The new tensor shares x's data id: raise the backend's reference count first, as tfjs's own
  // kernels do (e.g. Reshape), so disposing x later does not free the shared buffer.
  const info = (
    engine.state as unknown as { tensorInfo: WeakMap<object, { backend: tf.KernelBackend }> }
  ).tensorInfo.get(x.dataId);
  if (info == null) throw new Error('detach: the tensor has been disposed');
  info.backend.incRef(x.dataId);
  return engine.makeTensorFromDataId(x.dataId, x.shape, x.dtype, info.backend) as T;
}
