import '@tensorflow/tfjs-backend-cpu';
import { AdamW, consistencyTrainingLoss, Ema, planCtStep } from '@ctmsr/consistency-training';
import { precondition, seededNormal } from '@ctmsr/pf-ode';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs'; // registers gradient functions (in apps: ensureGradients() of @ctmsr/backends)

const w = tf.variable(tf.scalar(0.5)); // a one-parameter "network" F = w * lq-upsampled-ish
const params = [{ name: 'w', variable: w }];
const D = precondition((x) => tf.mul(tf.tanh(x), w) as tf.Tensor4D);
const batch = {
  y: seededNormal([2, 8, 8, 3], 1),
  u: seededNormal([2, 8, 8, 3], 2),
  lq: seededNormal([2, 2, 2, 3], 3),
} as { y: tf.Tensor4D; u: tf.Tensor4D; lq: tf.Tensor4D };
const [opt, ema] = [new AdamW({ lr: 1e-2 }), new Ema(params)];
for (let k = 1; k <= 3; k++) {
  const plan = planCtStep(k, 0, [2, 8, 8, 3]); // grid index n, shared noise eps (seeded by k)
  const { value, grads } = tf.variableGrads(() => consistencyTrainingLoss(D, D, batch, plan).loss); // target is detached
  opt.apply(params, { w: grads[w.name] });
  ema.update(params);
  console.log(k, plan.n, (await value.data())[0]);
}
