/**
 * Benchmark: one training step (forward + backward + SGD update) of a small 3-conv net on the
 * cpu backend and on wasm with ctmsr's conv gradient kernels; plus the backward-input kernel
 * alone, stock wasm vs ours. Run: `npm run bench -- conv` (or `npx tsx tools/bench/conv-train-step.ts`).
 */
import { ensureGradients, registerWasmTrainingKernels, selectBackend } from '@ctmsr/backends';
import * as tf from '@tensorflow/tfjs-core';
import { median, printTable, timeIt } from './timing.js';

const SHAPE: [number, number, number, number] = [4, 32, 32, 32];

export function makeNet() {
  const w = [0, 1, 2].map((i) =>
    tf.variable(tf.mul(tf.randomNormal([3, 3, 32, 32], 0, 1, 'float32', i), 0.05)),
  );
  const x = tf.randomNormal(SHAPE, 0, 1, 'float32', 7) as tf.Tensor4D;
  const step = () =>
    tf.tidy(() => {
      const { value, grads } = tf.variableGrads(() => {
        let h: tf.Tensor4D = x;
        for (const wi of w) h = tf.relu(tf.conv2d(h, wi as tf.Tensor4D, 1, 'same'));
        return tf.mean(tf.square(h)) as tf.Scalar;
      }, w);
      for (const v of w) v.assign(tf.sub(v, tf.mul(grads[v.name], 0.01)));
      return value;
    });
  return { step, dispose: () => tf.dispose([...w, x]) };
}

async function trainStepMs(backend: string, reps: number): Promise<number> {
  await selectBackend({ backend });
  const net = makeNet();
  const times = await timeIt(async () => {
    const v = net.step();
    await v.data();
    v.dispose();
  }, reps);
  net.dispose();
  return median(times);
}

async function backpropInputMs(reps: number): Promise<number> {
  const dy = tf.randomNormal(SHAPE, 0, 1, 'float32', 1) as tf.Tensor4D;
  const w = tf.randomNormal([3, 3, 32, 32], 0, 1, 'float32', 2) as tf.Tensor4D;
  const times = await timeIt(async () => {
    const dx = tf.conv2dTranspose(dy, w, SHAPE, 1, 'same');
    await dx.data();
    dx.dispose();
  }, reps);
  tf.dispose([dy, w]);
  return median(times);
}

export async function benchConvTrainStep(): Promise<void> {
  await ensureGradients();
  // Stock wasm backward-input kernel first (before ours replaces it).
  await import('@tensorflow/tfjs-backend-wasm');
  await tf.setBackend('wasm');
  const stockInput = await backpropInputMs(5);
  registerWasmTrainingKernels();
  const oursInput = await backpropInputMs(5);
  const wasm = await trainStepMs('wasm', 10);
  const cpu = await trainStepMs('cpu', 2);
  printTable(`conv net training step, x [${SHAPE}], three 3x3 convs 32->32 (median ms)`, [
    ['cpu backend: train step', cpu],
    ['wasm + ctmsr kernels: train step', wasm],
    ['wasm stock Conv2DBackpropInput (dx only)', stockInput],
    ['wasm ctmsr Conv2DBackpropInput (dx only)', oursInput],
  ]);
  console.log('(stock wasm has no Conv2DBackpropFilter kernel: a stock wasm train step fails)');
}

if (import.meta.url === `file://${process.argv[1]}`) await benchConvTrainStep();
