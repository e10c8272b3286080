import { describeBackend, ensureGradients, selectBackend } from '@ctmsr/backends';
import * as tf from '@tensorflow/tfjs-core';

await ensureGradients(); // tfjs-core's Node bundle registers no gradients: do this once
const chosen = await selectBackend({ backend: process.env.BACKEND ?? 'auto' }); // wasm gets fast conv gradients
console.log(describeBackend(chosen)); // e.g. "backend wasm (auto: no WebGPU adapter; using wasm (XNNPACK, SIMD))"
const w = tf.variable(tf.randomNormal([3, 3, 3, 8], 0, 0.1, 'float32', 1));
const x = tf.randomNormal([2, 16, 16, 3], 0, 1, 'float32', 2) as tf.Tensor4D;
const { value, grads } = tf.variableGrads(
  () => tf.mean(tf.square(tf.conv2d(x, w as tf.Tensor4D, 1, 'same'))) as tf.Scalar,
);
console.log((await value.data())[0], grads[w.name].shape); // a conv net trains on wasm too
