/**
 * Where the time of one 64x64 -> 256x256 CTMSR.upscale call goes beyond the network, on wasm:
 * bicubic upsampling, the seeded noise field (JavaScript), D(x) (network + preconditioning) and
 * the bare network, each the median of 9 runs after 2 warm-ups (docs/benchmarks.md).
 *   npx tsx packages/ctmsr/bench/upscale-parts.bench.ts [--model packages/ctmsr/models/default/model.json]
 */
import { selectBackend } from '@ctmsr/backends';
import { bicubicUpsample, normalFieldRegion, precondition } from '@ctmsr/pf-ode';
import { loadSrUnetFile } from '@ctmsr/sr-unet';
import * as tf from '@tensorflow/tfjs-core';

const i = process.argv.indexOf('--model');
const modelPath = i >= 0 ? process.argv[i + 1] : 'packages/ctmsr/models/default/model.json';
await selectBackend({ backend: 'wasm' });
const net = await loadSrUnetFile(modelPath);
const D = precondition(net.rawNetwork());
const lq = tf.randomUniform([1, 64, 64, 3], -1, 1, 'float32', 1) as tf.Tensor4D;
const x = tf.randomNormal([1, 256, 256, 3], 0, 1, 'float32', 2) as tf.Tensor4D;
const cNoise = tf.fill([1], 0.1) as tf.Tensor1D;

async function time(name: string, f: () => tf.Tensor): Promise<void> {
  const ts: number[] = [];
  for (let r = 0; r < 11; r++) {
    const t0 = performance.now();
    const out = f();
    await out.data();
    out.dispose();
    if (r >= 2) ts.push(performance.now() - t0);
  }
  ts.sort((a, b) => a - b);
  console.log(`${name.padEnd(30)} ${ts[ts.length >> 1].toFixed(1)} ms`);
}
await time('bicubic 64 -> 256', () => bicubicUpsample(lq, 4));
await time('noise field 256x256x3 (JS)', () =>
  normalFieldRegion([1, 256, 256, 3], 7, { y0: 0, x0: 0, h: 256, w: 256 }),
);
await time('D(x) (network + preconditioning)', () => D(x, lq, 1));
await time('network forward', () => net.forward(x, cNoise, lq));
