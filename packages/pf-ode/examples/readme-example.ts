import '@tensorflow/tfjs-backend-cpu';
import {
  bicubicUpsample,
  forwardProcess,
  initialState,
  precondition,
  sampleConsistency,
  samplingLevels,
  seededNormal,
  trajectoryLevels,
} from '@ctmsr/pf-ode';
import * as tf from '@tensorflow/tfjs-core';

const y = tf.tanh(seededNormal([1, 32, 32, 3], 1)) as tf.Tensor4D; // an "HR image" in [-1, 1]
const lq = tf.avgPool(y, 4, 4, 'valid') as tf.Tensor4D; // its LR image
const u = bicubicUpsample(lq, 4); // u = bicubic x4 (PyTorch semantics)
const eps = seededNormal(y.shape, 2) as tf.Tensor4D; // same numbers on every backend
const levels = trajectoryLevels(4); // sigma = alpha = 0, 1/3, 2/3, 1
const x = levels.map((l) => forwardProcess(y, u, l.alpha, l.sigma, eps)); // x_i = y + a_i (u - y) + s_i eps
const denoiser = precondition((xIn) => tf.mul(xIn, 0) as tf.Tensor4D); // D = c_skip x + c_out F (F = 0 here)
const yHat = sampleConsistency(denoiser, initialState(u, 1, eps), samplingLevels(1), { lq, u });
console.log(
  x.map((t) => t.shape),
  yHat.shape,
); // a real F comes from @ctmsr/sr-unet
