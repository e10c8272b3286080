/**
 * One CT training step of the `tiny` preset on tfjs wasm, beside the same step in PyTorch CPU
 * (bench/train_step_torch.py, spawned in the same run, 1 and 2 threads), broken down into
 * data / target forward / online forward + backward / optimiser, plus a per-kernel profile of the
 * wasm step (issue 5, "Done means", third bullet).
 *
 *   npx tsx packages/sr-unet/bench/train-step-vs-torch.ts [--runs 5] [--batch 8] [--hr 128]
 *     [--threads 1,2] [--no-torch] [--append docs/benchmarks.md]
 *
 * The step (method.md §2.2, as in train_step_torch.py): y ~ U[0,1] [B, hr, hr, 3]; l = 4x4
 * average pool of y; u = bicubicUpsample(l, 4); eps ~ N(0, 1); x_n = y + a_n (u - y) + s_n eps
 * (n = 1, n' = 2 on the 4-point grid, a = s = i/3); target <- online weights
 * (copyWeightsFrom), D_target(x_n, l, s_n) without gradient; loss = mean Charbonnier
 * (eps 1e-12) of D_online(x_n', l, s_n') against it, gradients of every online variable
 * (tf.variableGrads); AdamW (lr 5e-4, betas 0.9/0.9). D = precondition(F) from @ctmsr/pf-ode.
 *
 * Medians over --runs timed steps after 2 warm-up steps. Run `npm run build` first (the
 * workspace packages are imported from their dist/).
 */
import { spawnSync } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { ensureGradients, selectBackend } from '@ctmsr/backends';
import { AdamW } from '@ctmsr/consistency-training';
import { bicubicUpsample, precondition } from '@ctmsr/pf-ode';
import * as tf from '@tensorflow/tfjs-core';
import { SrUnet } from '../src/index.js';

const STAGES = ['data', 'target', 'onlineFwdBwd', 'optimizer', 'total'] as const;
type Stage = (typeof STAGES)[number];
const STAGE_LABEL: Record<Stage, string> = {
  data: 'data (HR, avg-pool LR, bicubic u, noise, x_n, x_n+1)',
  target: 'target: copy weights + forward (no grad)',
  onlineFwdBwd: 'online forward + backward',
  optimizer: 'optimiser (AdamW)',
  total: '**total step**',
};
const SIGMA = [0, 1 / 3, 2 / 3, 1];

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Forces completion of pending work (wasm is synchronous; this keeps the timing honest elsewhere). */
async function sync(t: tf.Tensor): Promise<void> {
  const s = tf.sum(t);
  await s.data();
  s.dispose();
}

function avgPool4(y: tf.Tensor4D): tf.Tensor4D {
  const [b, h, w, c] = y.shape;
  return tf.mean(tf.reshape(y, [b, h / 4, 4, w / 4, 4, c]), [2, 4]) as tf.Tensor4D;
}

interface Trainer {
  online: SrUnet;
  target: SrUnet;
  opt: AdamW;
  batch: number;
  hr: number;
  seed: number;
}

/** Process CPU time in ms (user + system): insensitive to other jobs for a single-threaded run. */
function cpuNow(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

type StepTimes = Record<Stage | `cpu_${Stage}`, number>;

async function step(t: Trainer): Promise<StepTimes> {
  const ms: Partial<StepTimes> = {};
  const seed = t.seed++;
  let t0 = performance.now();
  let c0 = cpuNow();
  const lap = (stage: Exclude<Stage, 'total'>) => {
    const t1 = performance.now();
    const c1 = cpuNow();
    ms[stage] = t1 - t0;
    ms[`cpu_${stage}`] = c1 - c0;
    t0 = t1;
    c0 = c1;
  };
  const [lq, xN, xN1] = tf.tidy(() => {
    const y = tf.randomUniform([t.batch, t.hr, t.hr, 3], 0, 1, 'float32', seed) as tf.Tensor4D;
    const l = avgPool4(y);
    const u = bicubicUpsample(l, 4);
    const eps = tf.randomNormal(y.shape, 0, 1, 'float32', seed + 0.5);
    const at = (i: number) =>
      tf.add(tf.add(y, tf.mul(tf.sub(u, y), SIGMA[i])), tf.mul(eps, SIGMA[i])) as tf.Tensor4D;
    return [l, at(1), at(2)];
  });
  await sync(xN1);
  lap('data');
  t.target.copyWeightsFrom(t.online);
  const dTarget = precondition(t.target.rawNetwork());
  const target = tf.tidy(() => dTarget(xN, lq, SIGMA[1]));
  await sync(target);
  lap('target');
  const dOnline = precondition(t.online.rawNetwork({ training: true }));
  const vars = t.online.variables.map((v) => v.variable);
  const { value, grads } = tf.variableGrads(() => {
    const out = dOnline(xN1, lq, SIGMA[2]);
    return tf.mean(tf.sqrt(tf.add(tf.square(tf.sub(out, target)), 1e-12))) as tf.Scalar;
  }, vars);
  await value.data();
  lap('onlineFwdBwd');
  const named: Record<string, tf.Tensor> = {};
  for (const { name, variable } of t.online.variables) named[name] = grads[variable.name];
  t.opt.apply(t.online.variables, named);
  await sync(t.online.variables[0].variable);
  lap('optimizer');
  const sum = (prefix: string) =>
    STAGES.slice(0, 4).reduce((a, s) => a + (ms[`${prefix}${s}` as keyof StepTimes] ?? 0), 0);
  ms.total = sum('');
  ms.cpu_total = sum('cpu_');
  tf.dispose([lq, xN, xN1, target, value, ...Object.values(grads)]);
  return ms as StepTimes;
}

const KERNEL_GROUPS: [string, RegExp][] = [
  ['conv (fwd + bwd)', /^(Conv2D|FusedConv2D|Conv2DBackprop(Input|Filter))$/],
  ['matmul', /MatMul/],
  [
    'layout (transpose, pad, concat, slice, ...)',
    /^(Transpose|PadV2|Concat|Slice|StridedSlice|Tile|Pack|Unpack|SplitV|Reshape|Identity|Cast|Reverse|Fill|ZerosLike|OnesLike|Range)$/,
  ],
  ['reductions (sum, mean, max, softmax)', /^(Sum|Mean|Max|Min|Prod|Softmax|ArgMax)$/],
];

function groupOf(kernel: string): string {
  for (const [g, re] of KERNEL_GROUPS) if (re.test(kernel)) return g;
  return 'element-wise and other';
}

interface TorchResult {
  torch: string;
  threads: Record<string, { median: StepTimes; profileMs?: Record<string, number> }>;
}

function runTorch(threads: string, runs: number, batch: number, hr: number): TorchResult | null {
  const r = spawnSync(
    '/usr/bin/python3',
    [
      'packages/sr-unet/bench/train_step_torch.py',
      '--json',
      '--profile',
      '--threads',
      threads,
      '--runs',
      String(runs),
      '--batch',
      String(batch),
      '--hr',
      String(hr),
    ],
    { encoding: 'utf8', maxBuffer: 1 << 24 },
  );
  if (r.status !== 0) {
    console.error(`train_step_torch.py failed (${r.status}): ${r.stderr}`);
    return null;
  }
  return JSON.parse(r.stdout) as TorchResult;
}

const f1 = (x: number | undefined) => (x === undefined ? '-' : x.toFixed(1));

async function main(): Promise<void> {
  tf.env().set('PROD', true);
  try {
    tf.env().set('CHECK_COMPUTATION_FOR_ERRORS', false);
  } catch {
    // flag not registered in this build
  }
  const runs = Number(arg('runs', '5'));
  const batch = Number(arg('batch', '8'));
  const hr = Number(arg('hr', '128'));
  const threads = arg('threads', '1,2');
  const load0 = loadavg();
  await ensureGradients();
  await selectBackend({ backend: 'wasm' });
  const online = SrUnet.create('tiny', 1);
  const t: Trainer = { online, target: online.clone(), opt: new AdamW({ lr: 5e-4 }), batch, hr, seed: 100 };
  for (let i = 0; i < 2; i++) await step(t);
  const wasmRuns: StepTimes[] = [];
  for (let i = 0; i < runs; i++) wasmRuns.push(await step(t));
  const keys = Object.keys(wasmRuns[0]) as (keyof StepTimes)[];
  const wasm = Object.fromEntries(keys.map((k) => [k, median(wasmRuns.map((r) => r[k]))])) as StepTimes;
  const before = tf.memory().numTensors;
  const prof = await tf.profile(async () => {
    await step(t);
  });
  // Only real kernels: custom-gradient scopes (e.g. 'fusedConv2d__op') contain kernels listed too.
  const kernels = new Map<string, number>();
  let calls = 0;
  for (const k of prof.kernels) {
    if (tf.getKernel(k.name, 'wasm') === undefined) continue;
    const ms = typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : 0;
    kernels.set(k.name, (kernels.get(k.name) ?? 0) + ms);
    calls++;
  }
  const leaked = tf.memory().numTensors - before;
  const groups = new Map<string, number>();
  for (const [k, ms] of kernels) groups.set(groupOf(k), (groups.get(groupOf(k)) ?? 0) + ms);
  const profTotal = [...kernels.values()].reduce((a, b) => a + b, 0);

  const torch = process.argv.includes('--no-torch') ? null : runTorch(threads, runs, batch, hr);
  const load1 = loadavg();
  const ths = torch ? Object.keys(torch.threads) : [];
  const lines: string[] = [];
  const table = (title: string, prefix: '' | 'cpu_') => {
    lines.push(`${title}`);
    lines.push('');
    lines.push(
      `| stage | tfjs wasm ms | ${ths.map((n) => `PyTorch ${n} thread${n === '1' ? '' : 's'} ms`).join(' | ')} | ${ths.map((n) => `wasm / torch-${n}t`).join(' | ')} |`,
    );
    lines.push(`|---|---|${ths.map(() => '---|').join('')}${ths.map(() => '---|').join('')}`);
    for (const s of STAGES) {
      const k = `${prefix}${s}` as keyof StepTimes;
      const tv = ths.map((n) => torch?.threads[n].median[k]);
      lines.push(
        `| ${STAGE_LABEL[s]} | ${f1(wasm[k])} | ${tv.map(f1).join(' | ')} | ${tv.map((v) => (v ? `${(wasm[k] / v).toFixed(2)}x` : '-')).join(' | ')} |`,
      );
    }
    lines.push('');
  };
  table('Wall-clock time (median ms):', '');
  table('Process CPU time (median ms; PyTorch with 2 threads: both threads summed):', 'cpu_');
  lines.push(
    `Per-kernel profile of one wasm step (tf.profile: ${calls} kernel calls, ${f1(profTotal)} ms of kernel time; PyTorch: torch.autograd.profiler self-CPU time of one step):`,
  );
  lines.push('');
  lines.push(
    `| kernel group | wasm ms | share | ${ths.map((n) => `PyTorch ${n}t self-CPU ms`).join(' | ')} |`,
  );
  lines.push(`|---|---|---|${ths.map(() => '---|').join('')}`);
  const torchGroup = (n: string, g: string): number | undefined => {
    const p = torch?.threads[n].profileMs;
    if (!p) return undefined;
    if (g.startsWith('conv')) return p['conv (fwd + bwd)'];
    if (g === 'matmul') return p['matmul / linear'];
    return undefined;
  };
  for (const [g, ms] of [...groups].sort((a, b) => b[1] - a[1])) {
    lines.push(
      `| ${g} | ${f1(ms)} | ${((100 * ms) / profTotal).toFixed(0)}% | ${ths.map((n) => f1(torchGroup(n, g))).join(' | ')} |`,
    );
  }
  if (torch) {
    lines.push(
      `| (PyTorch: everything but conv and matmul) | | | ${ths
        .map((n) => {
          const p = torch.threads[n].profileMs ?? {};
          return f1(
            Object.entries(p).reduce(
              (a, [k, v]) => a + (k.startsWith('conv') || k.startsWith('matmul') ? 0 : v),
              0,
            ),
          );
        })
        .join(' | ')} |`,
    );
  }
  lines.push('');
  lines.push('Top wasm kernels (ms in one step): ');
  lines.push(
    [...kernels]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 12)
      .map(([k, ms]) => `${k} ${f1(ms)}`)
      .join(', '),
  );
  const header = [
    `Machine: ${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, tfjs ${tf.version_core} wasm (SIMD, 1 thread).`,
    `Load average before / after: ${load0.map((x) => x.toFixed(1)).join(' ')} / ${load1.map((x) => x.toFixed(1)).join(' ')}.`,
    `tiny preset (${online.parameterCount().toLocaleString('en-US')} parameters), batch ${batch}, HR ${hr} (LR ${hr / 4}), medians of ${runs} steps after 2 warm-up steps. Tensors left after the profiled step: ${leaked}.`,
  ];
  const text = `${header.join('\n')}\n\n${lines.join('\n')}\n`;
  console.log(text);
  const append = arg('append', '');
  if (append) {
    const cmd = `npx tsx packages/sr-unet/bench/train-step-vs-torch.ts ${process.argv.slice(2).join(' ')}`;
    appendFileSync(
      append,
      `\n## Training step: tfjs wasm vs PyTorch CPU (tiny preset)\n\n${new Date().toISOString().slice(0, 10)}, command: \`${cmd}\`.\n${text}`,
    );
  }
  online.dispose();
  t.target.dispose();
  t.opt.dispose();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
