#!/usr/bin/env -S node --import tsx
/**
 * Control experiment for the default model's recipe: plain supervised regression of the same
 * network, no trajectory and no noise (y_hat = F(u, c_noise = 0, l) with the preset's bicubic
 * residual), Charbonnier loss, AdamW with warm-up, on the same data pipeline (random 128 px HR
 * crops, clean bicubic-x4 pairs); validation on the trainer's protocol (the first 6 held-out
 * photos, center 256 px, PSNR-Y vs bicubic). If this passes bicubic where CT does not, the
 * trajectory's noisy input is what slows CT; if not, the network or the data is the limit.
 * (`../shared/docs/calibration.md` ran the same control in PyTorch with a 48/96-channel net.)
 *
 *   node --import tsx scripts/regression-control.ts [--preset tiny] [--steps 2000] [--lr 5e-4]
 *        [--batch 8] [--every 250] [--data data/photos/train] [--val data/photos/val]
 */
import { parseArgs } from 'node:util';
import { ensureGradients, selectBackend } from '@ctmsr/backends';
import { AdamW } from '@ctmsr/consistency-training';
import { imresize, quantize8bit } from '@ctmsr/degradations';
import { bicubicUpsample, fromUnitRange, toUnitRange } from '@ctmsr/pf-ode';
import { SrUnet } from '@ctmsr/sr-unet';
import * as tf from '@tensorflow/tfjs-core';
import { psnr } from '../packages/ctmsr/src/metrics/index.js';
import { makePairs } from '../packages/ctmsr/src/train/pairs.js';
import { PhotoDataset } from '../packages/ctmsr/src/train/photo-dataset.js';
import { centerCrop } from '../packages/ctmsr/src/train/validation.js';

const { values } = parseArgs({
  options: {
    preset: { type: 'string', default: 'tiny' },
    steps: { type: 'string', default: '2000' },
    lr: { type: 'string', default: '5e-4' },
    batch: { type: 'string', default: '8' },
    every: { type: 'string', default: '250' },
    data: { type: 'string', default: 'data/photos/train' },
    val: { type: 'string', default: 'data/photos/val' },
  },
});
await selectBackend({ backend: 'wasm' });
await ensureGradients();
const train = await PhotoDataset.fromFolder(values.data!);
const val = await PhotoDataset.fromFolder(values.val!);
const net = SrUnet.create(values.preset as 'tiny', 0);
const lr = Number(values.lr);
const opt = new AdamW({ lr, beta1: 0.9, beta2: 0.99, weightDecay: 0 });
const predict = (u: tf.Tensor4D, lq: tf.Tensor4D) =>
  net.forward(u, tf.zeros([u.shape[0]]) as tf.Tensor1D, lq, { bicubic: u });

async function validate(step: number): Promise<void> {
  let sr = 0;
  let bic = 0;
  const multiple = 4 * net.requiredMultiple();
  for (const img of val.images.slice(0, 6)) {
    const hr = centerCrop(img, 256, multiple);
    const lq01 = tf.tidy(() => quantize8bit(tf.clipByValue(imresize(hr, 1 / 4), 0, 1)) as tf.Tensor4D);
    const [out, u01] = tf.tidy(() => {
      const lq = fromUnitRange(lq01);
      const u = bicubicUpsample(lq, 4);
      return [toUnitRange(predict(u, lq)), tf.clipByValue(toUnitRange(u), 0, 1)];
    });
    sr += await psnr(out, hr, { yChannel: true, crop: 4 });
    bic += await psnr(u01, hr, { yChannel: true, crop: 4 });
    tf.dispose([hr, lq01, out, u01]);
  }
  console.log(
    `step ${step}: PSNR-Y ${(sr / 6).toFixed(3)} dB (bicubic ${(bic / 6).toFixed(3)}, delta ${((sr - bic) / 6).toFixed(3)})`,
  );
}

await validate(0);
for (let k = 1; k <= Number(values.steps); k++) {
  const hr = train.batch(k, 0, Number(values.batch), 128, true);
  const b = makePairs(hr, 4, 'bicubic', 1, 0, k);
  const { value, grads } = tf.variableGrads(() =>
    tf.tidy(() => tf.mean(tf.sqrt(tf.add(tf.square(tf.sub(predict(b.u, b.lq), b.y)), 1e-12))) as tf.Scalar),
  );
  const byName: Record<string, tf.Tensor> = {};
  for (const v of net.variables) byName[v.name] = grads[v.variable.name];
  opt.apply(net.variables, byName, lr * Math.min(1, k / 500));
  tf.dispose([hr, b.y, b.u, b.lq, value, ...Object.values(grads)]);
  if (k % Number(values.every) === 0) await validate(k);
}
