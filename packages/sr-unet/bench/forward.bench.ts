/**
 * Forward timing of SrUnet presets/configs beside UpscalerJS esrgan-slim x4, on one or more
 * backends, in one process (so the numbers are comparable).
 *
 *   npx tsx packages/sr-unet/bench/forward.bench.ts [--backends wasm,cpu] [--lrs 64,128]
 *     [--runs 7] [--configs '["tiny","small",{"preset":"tiny","numBlocks":2}]'] [--no-baseline]
 *     [--skip 'official@cpu,official@128'] [--train]
 *
 * Prints a markdown table: median and min ms of one batch-1 forward pass lr x lr -> 4lr x 4lr
 * (after 2 warm-up runs; cpu: 1 warm-up, at most 3 runs). With --train also the median ms of one
 * gradient step (batch 8, 32x32 LR / 128x128 HR, loss mean |F - y|, gradients of all variables;
 * skipped for models over 10 M parameters, which also get a single forward run).
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

async function time(fn: () => tf.Tensor | tf.Tensor[], runs: number, warmup: number): Promise<number[]> {
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

function label(c: unknown): string {
  return typeof c === 'string' ? c : JSON.stringify(c);
}

async function main(): Promise<void> {
  tf.env().set('PROD', true);
  await ensureGradients();
  const backends = arg('backends', 'wasm').split(',');
  const lrs = arg('lrs', '64').split(',').map(Number);
  const runsArg = Number(arg('runs', '7'));
  const configs = JSON.parse(arg('configs', '["tiny","small"]')) as unknown[];
  const skip = new Set(arg('skip', '').split(',').filter(Boolean));
  const baseline = !process.argv.includes('--no-baseline');
  const train = process.argv.includes('--train');
  console.log(
    `| model | params | backend | LR -> HR | median ms | min ms | runs |${train ? ' train step ms |' : ''}`,
  );
  console.log(`|---|---|---|---|---|---|---|${train ? '---|' : ''}`);
  for (const backend of backends) {
    await selectBackend({ backend });
    const runs = backend === 'cpu' ? Math.min(3, runsArg) : runsArg;
    const warmup = backend === 'cpu' ? 1 : 2;
    for (const lr of lrs) {
      const row = (name: string, params: number, ts: number[], extra = '') =>
        console.log(
          `| ${name} | ${params.toLocaleString('en-US')} | ${backend} | ${lr} -> ${4 * lr} | ${median(ts).toFixed(1)} | ${Math.min(...ts).toFixed(1)} | ${ts.length} |${extra}`,
        );
      const slim = async () => {
        const model = await loadEsrganSlim(4);
        const params = model.countParams();
        const lq = tf.randomUniform([1, lr, lr, 3], 0, 1, 'float32', 1) as tf.Tensor4D;
        const ts = await time(() => model.predict(lq) as tf.Tensor, runs, warmup);
        row('UpscalerJS esrgan-slim x4', params, ts, train ? ' |' : '');
        lq.dispose();
        model.dispose();
      };
      if (baseline) await slim();
      for (const c of configs) {
        const name = label(c);
        if (
          skip.has(`${name}@${backend}`) ||
          skip.has(`${name}@${lr}`) ||
          skip.has(`${name}@${backend}@${lr}`)
        )
          continue;
        const cfg = resolveSrUnetConfig(c as never);
        const net = SrUnet.create(cfg, 0);
        const lq = tf.randomUniform([1, lr, lr, 3], -1, 1, 'float32', 1) as tf.Tensor4D;
        const x = tf.randomUniform([1, 4 * lr, 4 * lr, 3], -1, 1, 'float32', 2) as tf.Tensor4D;
        const cn = tf.fill([1], -0.27) as tf.Tensor1D;
        const big = net.parameterCount() > 1e7;
        const ts = await time(() => net.forward(x, cn, lq), big ? 1 : runs, big ? 1 : warmup);
        let extra = train ? ' - |' : '';
        if (train && !big) {
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
            3,
            1,
          );
          extra = ` ${median(step).toFixed(0)} |`;
          tf.dispose([lq8, x8, y8, cn8]);
        }
        row(name, net.parameterCount(), ts, extra);
        tf.dispose([lq, x, cn]);
        net.dispose();
      }
      if (baseline) await slim();
    }
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
