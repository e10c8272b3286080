/**
 * Benchmark: tfjs wasm single-threaded vs multi-threaded (pthreads + SIMD, see
 * packages/backends/src/wasm-threads-node.ts) in Node. Each measurement runs in a fresh child
 * process (tfjs picks the wasm build once per process); the modes alternate, several rounds.
 * Run: `npm run bench -- wasm-threads` (or `npx tsx tools/bench/wasm-threads.ts`).
 */
import { execFileSync } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { ensureGradients, selectBackend } from '@ctmsr/backends';
import * as tf from '@tensorflow/tfjs-core';
import { makeNet } from './conv-train-step.js';
import { median } from './timing.js';

const ROUNDS = 3;
const REPS = 10;
type Mode = 'single' | 'threads';

interface ChildResult {
  mode: Mode;
  backend: string;
  threads: number;
  reason: string;
  initMs: number;
  convMs: number;
  convCpuMs: number;
  trainMs: number;
  trainCpuMs: number;
}

/** Median wall ms of `fn`, and process CPU ms (all threads, user + system) per call. */
async function measure(fn: () => Promise<void>): Promise<[number, number]> {
  await fn();
  await fn();
  const walls: number[] = [];
  const cpu0 = process.cpuUsage();
  for (let i = 0; i < REPS; i++) {
    const t = performance.now();
    await fn();
    walls.push(performance.now() - t);
  }
  const cpu = process.cpuUsage(cpu0);
  return [median(walls), (cpu.user + cpu.system) / 1000 / REPS];
}

async function child(mode: Mode): Promise<ChildResult> {
  tf.env().set('PROD', true);
  await ensureGradients();
  const t0 = performance.now();
  const chosen = await selectBackend({ backend: 'wasm', wasmThreads: mode === 'threads' });
  const initMs = performance.now() - t0;
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  const x = tf.randomNormal([4, 64, 64, 64], 0, 1, 'float32', 1) as tf.Tensor4D;
  const w = tf.randomNormal([3, 3, 64, 64], 0, 0.1, 'float32', 2) as tf.Tensor4D;
  const [convMs, convCpuMs] = await measure(async () => {
    const y = tf.conv2d(x, w, 1, 'same');
    await y.data();
    y.dispose();
  });
  tf.dispose([x, w]);
  const net = makeNet();
  const [trainMs, trainCpuMs] = await measure(async () => {
    const v = net.step();
    await v.data();
    v.dispose();
  });
  net.dispose();
  return {
    mode,
    backend: tf.getBackend(),
    threads: wasm.getThreadsCount(),
    reason: chosen.reason,
    initMs,
    convMs,
    convCpuMs,
    trainMs,
    trainCpuMs,
  };
}

function runChild(mode: Mode): ChildResult {
  const out = execFileSync(
    process.execPath,
    [...process.execArgv, fileURLToPath(import.meta.url), '--child', mode],
    {
      encoding: 'utf8',
    },
  );
  const line = out.trim().split('\n').pop() ?? '';
  return JSON.parse(line) as ChildResult;
}

export async function benchWasmThreads(): Promise<void> {
  const load0 = loadavg()[0];
  const results: ChildResult[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const order: Mode[] = r % 2 === 0 ? ['single', 'threads'] : ['threads', 'single'];
    for (const mode of order) results.push(runChild(mode));
  }
  const load1 = loadavg()[0];
  console.log(
    `\nwasm single- vs multi-threaded, ${ROUNDS} rounds (fresh process each), ${cpus().length} logical cores, load average ${load0.toFixed(1)} -> ${load1.toFixed(1)}\n`,
  );
  console.log(
    '| mode | tf.getBackend() | XNNPACK threads | init ms | conv2d [4,64,64,64] 3x3->64 ms | CPU ms | 3-conv train step ms | CPU ms |',
  );
  console.log('|---|---|---|---|---|---|---|---|');
  for (const r of results) {
    console.log(
      `| ${r.mode} | ${r.backend} | ${r.threads} | ${r.initMs.toFixed(0)} | ${r.convMs.toFixed(1)} | ${r.convCpuMs.toFixed(1)} | ${r.trainMs.toFixed(1)} | ${r.trainCpuMs.toFixed(1)} |`,
    );
  }
  for (const mode of ['single', 'threads'] as Mode[]) {
    const rs = results.filter((r) => r.mode === mode);
    console.log(
      `| **${mode}, median of rounds** | | ${rs[0]?.threads} | ${median(rs.map((r) => r.initMs)).toFixed(0)} | ${median(rs.map((r) => r.convMs)).toFixed(1)} | | ${median(rs.map((r) => r.trainMs)).toFixed(1)} | |`,
    );
  }
  console.log(`\nreasons: ${[...new Set(results.map((r) => `${r.mode}: ${r.reason}`))].join('; ')}`);
}

const childAt = process.argv.indexOf('--child');
if (childAt > 0) {
  console.log(JSON.stringify(await child(process.argv[childAt + 1] as Mode)));
} else if (import.meta.url === `file://${process.argv[1]}`) {
  await benchWasmThreads();
}
