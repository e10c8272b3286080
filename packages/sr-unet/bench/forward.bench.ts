/**
 * Forward (and optional training-step) timing of SrUnet configs on one backend.
 *
 *   npx tsx packages/sr-unet/bench/forward.bench.ts [--backend wasm] [--lr 64] [--runs 10]
 *     [--train] [--baseline] [--configs '[{"preset":"tiny"}, ...]']
 *
 * --baseline also times UpscalerJS esrgan-slim x4 on the same input size, first and last.
 *
 * Prints one line per config: parameters, median / min forward ms (batch 1, lr x lr -> s*lr),
 * and with --train the median ms of one gradient step (batch 8, 32x32 LR / 128x128 HR crops,
 * loss = mean |F - y|, gradients w.r.t. every variable).
 */
import { ensureGradients, selectBackend } from '@ctmsr/backends';
import * as tf from '@tensorflow/tfjs-core';
import { resolveSrUnetConfig, SrUnet } from '../src/index.js';
import { loadEsrganSlim } from './esrgan-slim.js';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function time(fn: () => tf.Tensor | tf.Tensor[], runs: number, warmup = 2): Promise<number[]> {
  const out: number[] = [];
  for (let r = 0; r < warmup + runs; r++) {
    const t0 = performance.now();
    const res = fn();
    const list = Array.isArray(res) ? res : [res];
    for (const t of list) await t.data();
    const dt = performance.now() - t0;
    tf.dispose(list);
    if (r >= warmup) out.push(dt);
  }
  return out;
}

async function main(): Promise<void> {
  tf.env().set('PROD', true);
  await ensureGradients();
  const sel = await selectBackend({ backend: arg('backend', 'wasm') });
  const lr = Number(arg('lr', '64'));
  const runs = Number(arg('runs', '10'));
  const train = process.argv.includes('--train');
  const configs = JSON.parse(arg('configs', '[{"preset":"tiny"},{"preset":"small"}]')) as object[];
  console.log(`backend ${sel.name} (${sel.reason}); LR ${lr}x${lr} batch 1; runs ${runs}`);
  const baseline = async (when: string) => {
    const model = await loadEsrganSlim(4);
    const lq = tf.randomUniform([1, lr, lr, 3], 0, 1, 'float32', 1) as tf.Tensor4D;
    const ts = await time(() => model.predict(lq) as tf.Tensor, runs);
    console.log(
      `esrgan-slim x4 (${when}) fwd median ${median(ts).toFixed(1)} ms min ${Math.min(...ts).toFixed(1)} ms`,
    );
    lq.dispose();
    model.dispose();
  };
  if (process.argv.includes('--baseline')) await baseline('first');
  for (const c of configs) {
    const cfg = resolveSrUnetConfig(c as never);
    const net = SrUnet.create(cfg, 0);
    const s = cfg.scale;
    const lq = tf.randomUniform([1, lr, lr, 3], -1, 1, 'float32', 1) as tf.Tensor4D;
    const x = tf.randomUniform([1, s * lr, s * lr, 3], -1, 1, 'float32', 2) as tf.Tensor4D;
    const cn = tf.fill([1], -0.27) as tf.Tensor1D;
    const fwd = await time(() => net.forward(x, cn, lq), runs);
    let line = `${JSON.stringify(c)} params ${net.parameterCount()} fwd median ${median(fwd).toFixed(1)} ms min ${Math.min(...fwd).toFixed(1)} ms`;
    if (train) {
      const lq8 = tf.randomUniform([8, 32, 32, 3], -1, 1, 'float32', 3) as tf.Tensor4D;
      const x8 = tf.randomUniform([8, 128, 128, 3], -1, 1, 'float32', 4) as tf.Tensor4D;
      const y8 = tf.randomUniform([8, 128, 128, 3], -1, 1, 'float32', 5) as tf.Tensor4D;
      const cn8 = tf.fill([8], -0.27) as tf.Tensor1D;
      const vars = net.variables.map((v) => v.variable);
      const step = await time(
        () => {
          const { value, grads } = tf.variableGrads(
            () =>
              tf.mean(
                tf.abs(tf.sub(net.forward(x8, cn8, lq8, { training: true, dropoutSeed: 1 }), y8)),
              ) as tf.Scalar,
            vars,
          );
          return [value, ...Object.values(grads)];
        },
        Math.max(3, Math.floor(runs / 2)),
        1,
      );
      line += `; train step (b8, 128px) median ${median(step).toFixed(0)} ms`;
      tf.dispose([lq8, x8, y8, cn8]);
    }
    console.log(line);
    tf.dispose([lq, x, cn]);
    net.dispose();
  }
  if (process.argv.includes('--baseline')) await baseline('last');
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
