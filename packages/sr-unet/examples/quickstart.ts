// One-step super-resolution with an (untrained) tiny SrUnet: F wrapped into the denoiser D.
import { selectBackend } from '@ctmsr/backends';
import { bicubicUpsample, precondition, seededNormal } from '@ctmsr/pf-ode';
import { SrUnet } from '@ctmsr/sr-unet';
import * as tf from '@tensorflow/tfjs-core';

await selectBackend({ backend: 'wasm' });
const net = SrUnet.create('tiny', 0); // 747,494 parameters; LR sides: multiples of net.requiredMultiple() = 32
const denoise = precondition(net.rawNetwork()); // D(x, lq, sigma) = c_skip x + c_out F(x, c_noise, lq)
const lq = tf.randomUniform([1, 64, 64, 3], -1, 1) as tf.Tensor4D; // LR image in [-1, 1]
const xT = tf.add(bicubicUpsample(lq, 4), seededNormal([1, 256, 256, 3], 1)) as tf.Tensor4D; // x_T = u + eps
const sr = denoise(xT, lq, 1); // one step at sigma_max = 1
console.log(sr.shape, net.parameterCount()); // [1, 256, 256, 3] 747494
