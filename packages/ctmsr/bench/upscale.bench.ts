/**
 * End-to-end `CTMSR.upscale` timing (tiling, bicubic, noise, network, blending, read-back) per
 * backend and input size, beside UpscalerJS esrgan-slim x4 (a plain forward pass) measured in the
 * same process before and after.
 *
 *   npx tsx packages/ctmsr/bench/upscale.bench.ts [--backends wasm] [--sizes 64,128,256] [--runs 5]
 *     [--model path/to/model.json]
 *
 * Without --model (or the bundled default model) a random-initialised 'tiny' network is used:
 * the same architecture, hence the same speed. Prints a markdown table (median and min ms).
 */
import { selectBackend } from '@ctmsr/backends';
import { SrUnet } from '@ctmsr/sr-unet';
import * as tf from '@tensorflow/tfjs-core';
// Bench-only reuse of the esrgan-slim loader of the sr-unet benchmarks (not part of any package).
import { loadEsrganSlim } from '../../sr-unet/bench/esrgan-slim.js';
import { CTMSR } from '../src/index.js';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

function stats(xs: number[]): { median: number; min: number } {
  const s = [...xs].sort((a, b) => a - b);
  return { median: s[Math.floor(s.length / 2)], min: s[0] };
}

async function time(runs: number, fn: () => Promise<void>): Promise<number[]> {
  await fn(); // warm-up
  const out: number[] = [];
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    await fn();
    out.push(performance.now() - t0);
  }
  return out;
}

tf.env().set('PROD', true);
const backends = arg('backends', 'wasm').split(',');
const sizes = arg('sizes', '64,128,256').split(',').map(Number);
const runs = Number(arg('runs', '5'));
const modelPath = process.argv.includes('--model') ? arg('model', '') : undefined;
const rows: string[] = [
  '| model | backend | LR -> HR | tile | median ms | min ms | runs |',
  '|---|---|---|---|---|---|---|',
];
const row = (model: string, backend: string, size: number, tile: string, xs: number[]) => {
  const s = stats(xs);
  rows.push(
    `| ${model} | ${backend} | ${size} -> ${4 * size} | ${tile} | ${s.median.toFixed(1)} | ${s.min.toFixed(1)} | ${xs.length} |`,
  );
};

for (const backend of backends) {
  await selectBackend({ backend });
  const esrgan = await loadEsrganSlim(4);
  const esrganAt = async (size: number, label: string) => {
    const x = tf.randomUniform([1, size, size, 3], 0, 255, 'float32', 1);
    row(
      label,
      backend,
      size,
      'none',
      await time(runs, async () => {
        const y = esrgan.predict(x) as tf.Tensor;
        await y.data();
        y.dispose();
      }),
    );
    x.dispose();
  };
  for (const size of sizes) if (size <= 128) await esrganAt(size, 'esrgan-slim x4 (before)');
  const random = modelPath ? null : SrUnet.create('tiny', 0);
  const sr = await CTMSR.load({
    model: random ? { network: random, name: "random 'tiny'" } : modelPath,
    backend,
  });
  for (const size of sizes) {
    const x = tf.randomUniform([size, size, 3], 0, 1, 'float32', size);
    const go = (tileSize?: number) => async () => {
      const y = await sr.upscale(x, { tileSize });
      y.dispose();
    };
    row(
      `ctmsr ${sr.model.name}`,
      backend,
      size,
      `auto (${sr.autoTileSize()})`,
      await time(size > 128 ? Math.min(runs, 2) : runs, go()),
    );
    if (size > 64)
      row(`ctmsr ${sr.model.name}`, backend, size, '64, overlap 16', await time(Math.min(runs, 2), go(64)));
    x.dispose();
  }
  sr.dispose();
  random?.dispose();
  for (const size of sizes) if (size <= 128) await esrganAt(size, 'esrgan-slim x4 (after)');
  esrgan.dispose();
}
console.log(rows.join('\n'));
