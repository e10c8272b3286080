import { selectBackend } from '@ctmsr/backends';
import { realEsrganDegrade, sampleDegradationParams, toSymmetricRange } from '@ctmsr/degradations';
import * as tf from '@tensorflow/tfjs-core';

await selectBackend({ backend: 'wasm' });
const hr = tf.randomUniform([8, 256, 256, 3], 0, 1, 'float32', 7) as tf.Tensor4D; // HR crops in [0, 1]
const params = sampleDegradationParams(8, 256, {}, 42); // every random choice of the batch, as plain JSON
const { lq, u } = realEsrganDegrade(hr, params); // deterministic: same params, same pixels
console.log(lq.shape, u.shape, params.stage2 ? 'second order' : 'first order only'); // [8, 64, 64, 3] [8, 256, 256, 3] ...
const [y, l, uUp] = [hr, lq, u].map(toSymmetricRange); // the trainer's [-1, 1] range
tf.dispose([hr, lq, u, y, l, uUp]);
