/**
 * Cost of the Real-ESRGAN degradation pipeline (the trainer's data cost), with its stages timed
 * one by one and the classic bicubic degradation as the baseline, all in one process.
 *
 *   npx tsx packages/degradations/bench/pipeline.bench.ts [--backends wasm,cpu] [--batch 8]
 *     [--size 256] [--seeds 8] [--cpu-batch 2] [--cpu-size 64]
 *
 * Times are CPU time of the process (user + system; the work itself, robust to other jobs on a
 * shared machine) and wall time. Whole pipeline: median / mean / min / max ms of `realEsrganDegrade` over `--seeds` different sampled
 * params (each seed draws different stages: the second stage runs for about half of them), after
 * one warm-up. Stage rows: median of 3 runs of one op on the HR batch. cpu uses the smaller
 * `--cpu-batch` x `--cpu-size` case (the cpu backend is ~30x slower on convolutions).
 * Prints markdown tables.
 */
import { ensureGradients, selectBackend } from '@ctmsr/backends';
import * as tf from '@tensorflow/tfjs-core';
import {
  addNoise,
  bicubicDegrade,
  filter2d,
  gaussianKernel,
  jpegCompress,
  realEsrganDegrade,
  resize,
  sampleDegradationParams,
  sincKernel,
} from '../src/index.js';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

interface Timing {
  wall: number;
  /** CPU time of this process (user + system): the work itself, unaffected by other jobs' load. */
  cpu: number;
}

async function timeOnce(
  fn: () => tf.Tensor | tf.Tensor[] | { lq: tf.Tensor; u: tf.Tensor },
): Promise<Timing> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const res = fn();
  const list = res instanceof tf.Tensor ? [res] : Array.isArray(res) ? res : [res.lq, res.u];
  for (const t of list) await t.data();
  const wall = performance.now() - t0;
  const c = process.cpuUsage(c0);
  tf.dispose(list);
  return { wall, cpu: (c.user + c.system) / 1000 };
}

async function timeMedian(fn: () => tf.Tensor | { lq: tf.Tensor; u: tf.Tensor }, runs = 3): Promise<string> {
  await timeOnce(fn); // warm-up
  const ts: Timing[] = [];
  for (let r = 0; r < runs; r++) ts.push(await timeOnce(fn));
  return `${median(ts.map((t) => t.cpu)).toFixed(1)} | ${median(ts.map((t) => t.wall)).toFixed(1)}`;
}

/** A smooth-plus-texture HR batch in [0, 1] (content does not change the cost). */
function hrBatch(b: number, s: number): tf.Tensor4D {
  return tf.tidy(() => {
    const noise = tf.randomUniform([b, s, s, 3], 0, 1, 'float32', 7);
    const smooth = resize(
      tf.randomUniform([b, s / 8, s / 8, 3], 0, 1, 'float32', 8) as tf.Tensor4D,
      { size: [s, s] },
      'bicubic',
    );
    return tf.clipByValue(tf.add(tf.mul(smooth, 0.8), tf.mul(noise, 0.2)), 0, 1) as tf.Tensor4D;
  });
}

async function bench(backend: string, b: number, s: number, seeds: number): Promise<void> {
  await selectBackend({ backend });
  const hr = hrBatch(b, s);
  const ones = (v: number) => new Array<number>(b).fill(v);
  const flags = (v: boolean) => new Array<boolean>(b).fill(v);
  console.log(`\n### ${backend}: batch ${b} of ${s}x${s} HR, x4\n`);
  console.log('| case | CPU ms | wall ms |');
  console.log('|---|---|---|');
  const baseline = await timeMedian(() => bicubicDegrade(hr, 4));
  console.log(`| baseline: bicubicDegrade (MATLAB-style bicubic x4 + bicubic u) | ${baseline} |`);
  // Whole pipeline over different seeds.
  await timeOnce(() => realEsrganDegrade(hr, sampleDegradationParams(b, s, {}, 1000)));
  const ts: Timing[] = [];
  let second = 0;
  for (let seed = 0; seed < seeds; seed++) {
    const p = sampleDegradationParams(b, s, {}, seed);
    if (p.stage2) second++;
    ts.push(await timeOnce(() => realEsrganDegrade(hr, p)));
  }
  const stats = (xs: number[]) =>
    `${median(xs).toFixed(1)} / ${(xs.reduce((a, c) => a + c, 0) / xs.length).toFixed(1)} / ` +
    `${Math.min(...xs).toFixed(1)} / ${Math.max(...xs).toFixed(1)}`;
  console.log(
    `| **realEsrganDegrade**, ${seeds} seeds (${second} with the second stage): median / mean / min / max | ` +
      `${stats(ts.map((t) => t.cpu))} | ${stats(ts.map((t) => t.wall))} |`,
  );
  // Stages, on the full HR batch (the pipeline runs most of them on smaller images).
  const k21 = Array.from({ length: b }, (_, i) => gaussianKernel(21, 3, 1 + i * 0.1, 0.3 * i));
  const k11 = Array.from({ length: b }, (_, i) => sincKernel(11, 1 + 0.1 * i));
  const stages: Array<[string, () => tf.Tensor]> = [
    ['filter2d, 21x21 kernels (largest kernel1)', () => filter2d(hr, k21)],
    ['filter2d, 11x11 kernels (average kernel1)', () => filter2d(hr, k11)],
    ['resize bicubic x0.7 (scale factor)', () => resize(hr, { scaleFactor: 0.7 }, 'bicubic')],
    ['resize area to 1/4', () => resize(hr, { size: [s / 4, s / 4] }, 'area')],
    [
      'Gaussian noise, colour (JS field + add + clip)',
      () => addNoise(hr, { type: 'gaussian', sigma: ones(0.05), gray: flags(false), seed: 1 }),
    ],
    [
      'Poisson noise, colour (JS fields + sampler)',
      () => addNoise(hr, { type: 'poisson', scale: ones(1), gray: flags(false), seed: 1 }),
    ],
    [
      'JPEG 4:2:0, per-sample quality',
      () =>
        jpegCompress(
          hr,
          Array.from({ length: b }, (_, i) => 30 + 8 * i),
        ),
    ],
  ];
  for (const [name, fn] of stages) console.log(`| stage: ${name} | ${await timeMedian(fn)} |`);
  hr.dispose();
}

async function main(): Promise<void> {
  tf.env().set('PROD', true);
  await ensureGradients();
  const backends = arg('backends', 'wasm,cpu').split(',');
  const seeds = Number(arg('seeds', '8'));
  for (const backend of backends) {
    const small = backend === 'cpu';
    const b = Number(arg(small ? 'cpu-batch' : 'batch', small ? '2' : '8'));
    const s = Number(arg(small ? 'cpu-size' : 'size', small ? '64' : '256'));
    await bench(backend, b, s, small ? Math.min(seeds, 4) : seeds);
  }
}

await main();
