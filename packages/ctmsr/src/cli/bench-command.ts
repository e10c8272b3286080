/**
 * `ctmsr bench`: median time of one `upscale` call per backend and input size (usage.ts).
 * Wall-clock times on this machine, including reading the result back; warm-up excluded.
 */
import { selectBackend } from '@ctmsr/backends';
import { SrUnet } from '@ctmsr/sr-unet';
import * as tf from '@tensorflow/tfjs-core';
import { CTMSR } from '../ctmsr.js';
import { defaultModelLocation } from '../model/default-model.js';
import { intFlag, parseArgs, stringFlag, UsageError } from './args.js';
import type { CliIO } from './io.js';
import { oneLine } from './load-model.js';
import { BENCH_USAGE } from './usage.js';

const CMD = 'ctmsr bench';

const SPEC = {
  backend: { type: 'string' },
  sizes: { type: 'string' },
  runs: { type: 'string' },
  steps: { type: 'string' },
  model: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

interface BenchRow {
  backend: string;
  size: number;
  medianMs: number;
  runsMs: number[];
}

function median(v: number[]): number {
  const s = [...v].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/** Runs `ctmsr bench`; returns the exit code. */
export async function benchCommand(argv: string[], io: CliIO): Promise<number> {
  const { flags, positionals } = parseArgs(argv, SPEC, CMD);
  if (flags.help) {
    io.stdout(BENCH_USAGE);
    return 0;
  }
  if (positionals.length > 0) throw new UsageError(`${CMD}: unexpected argument '${positionals[0]}'`);
  const sizes = (stringFlag(flags, 'sizes') ?? '32,64,128').split(',').map((s) => {
    const n = Number(s);
    if (!Number.isInteger(n) || n < 1)
      throw new UsageError(`${CMD}: '--sizes' must list positive integers, got '${s}'`);
    return n;
  });
  const runs = intFlag(CMD, flags, 'runs', 1, 3)!;
  const steps = intFlag(CMD, flags, 'steps', 1, 1)!;
  const backends = (stringFlag(flags, 'backend') ?? 'auto').split(',');
  const modelPath = stringFlag(flags, 'model') ?? (await defaultModelLocation()) ?? undefined;
  const rows: BenchRow[] = [];
  let code = 0;
  for (const name of backends) {
    let sr: CTMSR;
    let random: SrUnet | null = null;
    try {
      const chosen = await selectBackend({ backend: name });
      if (modelPath) sr = await CTMSR.load({ model: modelPath, backend: chosen.name });
      else {
        random = SrUnet.create('tiny', 0);
        sr = await CTMSR.load({
          model: { network: random, name: "random 'tiny' (no model installed)" },
          backend: chosen.name,
        });
      }
      io.stderr(`${CMD}: ${sr.describeBackend()}; model ${sr.model.name}\n`);
    } catch (err) {
      io.stderr(`${CMD}: ${name}: ${oneLine(err)}\n`);
      code = 1;
      continue;
    }
    for (const size of sizes) {
      const x = tf.tidy(() => tf.randomUniform([size, size, 3], 0, 1, 'float32', size));
      const times: number[] = [];
      for (let r = 0; r <= runs; r++) {
        const t0 = performance.now();
        const y = await sr.upscale(x, { steps });
        await y.data();
        y.dispose();
        if (r > 0) times.push(performance.now() - t0);
      }
      x.dispose();
      const row = { backend: sr.backend.name, size, medianMs: median(times), runsMs: times };
      rows.push(row);
      if (!flags.json)
        io.stdout(
          `${row.backend}\t${size}x${size} -> ${4 * size}x${4 * size}\t${row.medianMs.toFixed(1)} ms\n`,
        );
    }
    sr.dispose();
    random?.dispose();
  }
  if (flags.json) io.stdout(`${JSON.stringify({ command: 'bench', steps, runs, rows })}\n`);
  return code;
}
