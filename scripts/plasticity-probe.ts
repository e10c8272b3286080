#!/usr/bin/env -S node --import tsx
/**
 * Plasticity probe: how fast can a network still fit four fixed crops? Fits D = precondition(F)
 * at one noise level (the CT anchor: x = (1 - s) y + s (u + eps), target y) with AdamW on four
 * 128x128 crops of one training photo (LR = 4x4 average pool), and prints PSNR (RGB, [-1, 1],
 * peak 2) every 50 steps. A fresh network and a trained one side by side tell whether training
 * left the weights in a state that no longer learns (docs/training.md).
 *
 *   node --import tsx scripts/plasticity-probe.ts [--model <model.json>] [--photo <png>]
 *        [--sigma 0.5] [--steps 300] [--lr 5e-4]
 */
import { parseArgs } from 'node:util';
import { ensureGradients, selectBackend } from '@ctmsr/backends';
import { AdamW } from '@ctmsr/consistency-training';
import { bicubicUpsample, precondition } from '@ctmsr/pf-ode';
import { loadSrUnetFile, SrUnet } from '@ctmsr/sr-unet';
import * as tf from '@tensorflow/tfjs-core';
import { readRgbImage } from '../packages/ctmsr/src/train/photo-dataset.js';

const { values } = parseArgs({
  options: {
    model: { type: 'string' },
    photo: { type: 'string', default: 'data/photos/train/mate-Dune.png' },
    sigma: { type: 'string', default: '0.5' },
    steps: { type: 'string', default: '300' },
    lr: { type: 'string', default: '5e-4' },
  },
});
const sigma = Number(values.sigma);
await selectBackend({ backend: 'wasm' });
await ensureGradients();

const img = await readRgbImage(values.photo!);
const y = tf.tidy(() => {
  const full = tf.sub(tf.div(tf.tensor3d(img.data, [img.height, img.width, 3], 'float32'), 127.5), 1);
  const at = [
    [100, 100],
    [300, 500],
    [600, 200],
    [400, 800],
  ];
  return tf.stack(at.map(([r, c]) => tf.slice(full, [r, c, 0], [128, 128, 3]))) as tf.Tensor4D;
});
const lq = tf.avgPool(y, 4, 4, 'valid') as tf.Tensor4D;
const u = bicubicUpsample(lq, 4);
const state = (seed: number) =>
  tf.tidy(() =>
    tf.add(tf.mul(y, 1 - sigma), tf.mul(tf.add(u, tf.randomNormal(y.shape, 0, 1, 'float32', seed)), sigma)),
  ) as tf.Tensor4D;
const psnr = (a: tf.Tensor) =>
  tf.tidy(() => 10 * Math.log10(4 / tf.mean(tf.square(tf.sub(tf.clipByValue(a, -1, 1), y))).dataSync()[0]));

const net = values.model ? await loadSrUnetFile(values.model) : SrUnet.create('tiny', 0);
const D = precondition(net.rawNetwork());
const opt = new AdamW({ lr: Number(values.lr), beta1: 0.9, beta2: 0.99, weightDecay: 0 });
console.log(`${values.model ?? 'fresh tiny'}: bicubic ${psnr(u).toFixed(3)} dB`);
for (let k = 1; k <= Number(values.steps); k++) {
  const { value, grads } = tf.variableGrads(() =>
    tf.tidy(() => {
      const x = state(k);
      return tf.mean(tf.sqrt(tf.add(tf.square(tf.sub(D(x, lq, sigma), y)), 1e-6))) as tf.Scalar;
    }),
  );
  const byName: Record<string, tf.Tensor> = {};
  for (const v of net.variables) byName[v.name] = grads[v.variable.name];
  opt.apply(net.variables, byName);
  tf.dispose([value, ...Object.values(grads)]);
  if (k % 50 === 0) {
    const x = state(999);
    const out = D(x, lq, sigma);
    console.log(`step ${k}: ${psnr(out).toFixed(3)} dB`);
    tf.dispose([x, out]);
  }
}
