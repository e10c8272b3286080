/**
 * `tf.variable(init)` shares `init`'s storage and does not take ownership of the `init` tensor:
 * `tf.variable(tf.clone(x))` leaves the clone alive forever. This helper creates a
 * non-trainable variable from a freshly made initial value and releases that value.
 */
import * as tf from '@tensorflow/tfjs-core';

/** A non-trainable variable initialised by `make()` (whose tensor is disposed here). */
export function ownedVariable(make: () => tf.Tensor): tf.Variable {
  const init = make();
  const v = tf.variable(init, false, undefined, 'float32');
  init.dispose();
  return v;
}
