import '@tensorflow/tfjs'; // registers the cpu backend and the gradient functions
import { type Distance, dtmLoss, dtmOutput, planDtmStep } from '@ctmsr/dtm-loss';
import { precondition, seededNormal, trajectoryLevels } from '@ctmsr/pf-ode';
import * as tf from '@tensorflow/tfjs-core';

const l1: Distance = (a, b) => tf.mean(tf.abs(tf.sub(a, b)), [1, 2, 3]) as tf.Tensor1D;
const scale = tf.variable(tf.scalar(0.9)); // a stand-in "network": F = tanh(scale * x)
const online = precondition((x) => tf.tanh(tf.mul(x, scale)) as tf.Tensor4D);
const frozen = precondition((x) => tf.tanh(tf.mul(x, 0.9)) as tf.Tensor4D); // the frozen copy f_phi
const [y, u] = [seededNormal([2, 16, 16, 3], 1), seededNormal([2, 16, 16, 3], 2)] as tf.Tensor4D[];
const batch = { y, u, lq: tf.zeros([2, 4, 4, 3]) as tf.Tensor4D };
const plan = planDtmStep(1, 0, [2, 16, 16, 3], trajectoryLevels(4)); // t = 1 on the CT grid
const { value, grads } = tf.variableGrads(() => {
  const ctOutput = online(u, batch.lq, 2 / 3); // stands in for the CT online output
  const out = dtmOutput(plan, online, batch, ctOutput); // 'ct-output' (default): reused
  return dtmLoss(frozen, out, batch, plan, [{ name: 'l1', distance: l1, weight: 1 }]).loss;
});
const [loss, grad] = [(await value.data())[0], (await grads[scale.name].data())[0]];
console.log(`sigma_t ${plan.level.sigma}  L_DTM ${loss}  dL/dscale ${grad}`);
export const result = { loss, grad };
