#!/usr/bin/env -S node --import tsx
// Weight-space interpolation of two runs that share an architecture and an initialisation (e.g. a
// CT run and the DTM fine-tune started from it with `ctmsr train --init`), as WiSE-FT does for
// fine-tuned models (Wortsman et al., CVPR 2022): theta = (1 - t) * theta_a + t * theta_b, on the
// EMA weights of each run's latest checkpoint.
//
//   node --import tsx scripts/interpolate-models.ts <run-a> <run-b> <t> <out-dir> [--fp16]
//
// The manifest records both runs, their steps and t; its trainConfig is run b's (CTMSR reads the
// trajectory settings sigma_max / sigma scale from it: both runs must agree on them).
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { selectBackend } from '@ctmsr/backends';
import { SrUnet, saveSrUnetFiles } from '@ctmsr/sr-unet';
import * as tf from '@tensorflow/tfjs-core';
import { loadLatestCheckpoint, modelConfig, type TrainerState } from '../packages/ctmsr/src/train/index.js';

const [runA, runB, tText, outDir, ...flags] = process.argv.slice(2);
const t = Number(tText);
if (!runA || !runB || !outDir || !(t >= 0 && t <= 1)) {
  console.error('usage: interpolate-models.ts <run-a> <run-b> <t in [0,1]> <out-dir> [--fp16]');
  process.exit(2);
}
await selectBackend({ backend: 'wasm' });
const a = await loadLatestCheckpoint<TrainerState>(runA);
const b = await loadLatestCheckpoint<TrainerState>(runB);
if (a == null || b == null) {
  console.error(`interpolate-models: no checkpoint in '${a == null ? runA : runB}'`);
  process.exit(1);
}
for (const key of ['sigmaMax', 'sigmaScale'] as const) {
  if (a.state.config.ct[key] !== b.state.config.ct[key]) {
    console.error(
      `interpolate-models: the runs differ in ct.${key} (${a.state.config.ct[key]} vs ${b.state.config.ct[key]})`,
    );
    process.exit(1);
  }
}
const net = SrUnet.create(modelConfig(b.state.config), 0);
const mixed: Record<string, tf.Tensor> = {};
for (const [name, wb] of Object.entries(b.groups.ema)) {
  const wa = a.groups.ema[name];
  if (wa == null || wa.shape.join() !== wb.shape.join()) {
    console.error(`interpolate-models: weight '${name}' is missing from or shaped differently in '${runA}'`);
    process.exit(1);
  }
  mixed[name] = tf.tidy(() => tf.add(tf.mul(wa, 1 - t), tf.mul(wb, t)));
}
net.setWeights(mixed);
await mkdir(outDir, { recursive: true });
const out = await saveSrUnetFiles(net, join(outDir, 'model.json'), {
  float16: flags.includes('--fp16'),
  metadata: {
    weights: 'ema',
    interpolation: { a: { run: runA, step: a.state.step }, b: { run: runB, step: b.state.step }, t },
    step: b.state.step,
    trainConfig: b.state.config,
  },
});
console.log(`wrote ${out.json} and ${out.bin}`);
