/**
 * `ctmsr upscale <files or folders...> -o <file or folder>`: batch 4x upscaling (usage.ts).
 * Every input is processed independently: a bad file gives one line naming it and the reason,
 * the batch goes on, and failures are summarised at the end.
 */
import { ENCODED_FORMATS, type EncodedFormat } from '../image/encode-node.js';
import { choiceFlag, intFlag, numberFlag, parseArgs, stringFlag, UsageError } from './args.js';
import {
  collectInputs,
  exists,
  formatFromExtension,
  outputIsFolder,
  outputPathInFolder,
  samePath,
  writeOutputAtomic,
} from './files.js';
import type { CliIO } from './io.js';
import { loadModelForCli, oneLine } from './load-model.js';
import { ProgressBar } from './progress.js';
import { UPSCALE_USAGE } from './usage.js';

const CMD = 'ctmsr upscale';

const SPEC = {
  output: { type: 'string', short: 'o' },
  format: { type: 'string' },
  quality: { type: 'string' },
  steps: { type: 'string' },
  seed: { type: 'string' },
  'sigma-max': { type: 'string' },
  'self-ensemble': { type: 'boolean' },
  tile: { type: 'string' },
  overlap: { type: 'string' },
  backend: { type: 'string' },
  model: { type: 'string' },
  'max-pixels': { type: 'string' },
  force: { type: 'boolean' },
  quiet: { type: 'boolean' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

interface Job {
  input: string;
  output?: string;
  error?: string;
}

interface FileResult {
  input: string;
  output?: string;
  ok: boolean;
  error?: string;
  seconds?: number;
}

/** Pairs inputs with outputs; refuses existing outputs (without --force), collisions and in-place writes. */
async function planJobs(
  positionals: string[],
  output: string,
  format: EncodedFormat | undefined,
  force: boolean,
): Promise<{ jobs: Job[]; format: EncodedFormat }> {
  const inputs = await collectInputs(positionals);
  const folder = await outputIsFolder(
    output,
    inputs,
    inputs.some((i) => i.fromFolder),
  );
  const fmt = format ?? (folder ? 'png' : (formatFromExtension(output) ?? 'png'));
  const claimed = new Map<string, string>();
  const jobs: Job[] = [];
  for (const entry of inputs) {
    if (entry.error) {
      jobs.push({ input: entry.path, error: entry.error });
      continue;
    }
    const out = folder ? outputPathInFolder(output, entry.path, fmt) : output;
    const key = out;
    if (samePath(out, entry.path))
      jobs.push({ input: entry.path, output: out, error: 'output would overwrite the input' });
    else if (claimed.has(key)) {
      jobs.push({
        input: entry.path,
        output: out,
        error: `output ${out} is already the output of ${claimed.get(key)}`,
      });
    } else if (!force && (await exists(out))) {
      jobs.push({
        input: entry.path,
        output: out,
        error: `output exists: ${out} (use --force to overwrite)`,
      });
    } else {
      claimed.set(key, entry.path);
      jobs.push({ input: entry.path, output: out });
    }
  }
  return { jobs, format: fmt };
}

/** Runs `ctmsr upscale`; returns the exit code. */
export async function upscaleCommand(argv: string[], io: CliIO): Promise<number> {
  const { flags, positionals } = parseArgs(argv, SPEC, CMD);
  if (flags.help) {
    io.stdout(UPSCALE_USAGE);
    return 0;
  }
  const output = stringFlag(flags, 'output');
  if (positionals.length === 0) throw new UsageError(`${CMD}: no input files or folders given`);
  if (!output) throw new UsageError(`${CMD}: missing '-o <file or folder>'`);
  const options = {
    steps: intFlag(CMD, flags, 'steps', 1, 1, 64),
    seed: intFlag(CMD, flags, 'seed', 0, 0, 2 ** 32 - 1),
    sigmaMax: numberFlag(CMD, flags, 'sigma-max', 0, 1),
    tileSize: intFlag(CMD, flags, 'tile', 1),
    overlap: intFlag(CMD, flags, 'overlap', 0, 16),
    selfEnsemble: flags['self-ensemble'] === true,
    quality: intFlag(CMD, flags, 'quality', 1, undefined, 100),
    maxPixels: intFlag(CMD, flags, 'max-pixels', 1),
  };
  const quiet = flags.quiet === true;
  const force = flags.force === true;
  const { jobs, format } = await planJobs(
    positionals,
    output,
    choiceFlag(CMD, flags, 'format', ENCODED_FORMATS),
    force,
  );

  const sr = await loadModelForCli(CMD, io, {
    model: stringFlag(flags, 'model'),
    backend: stringFlag(flags, 'backend'),
    quiet,
  });
  if (!sr) return 2;
  const controller = new AbortController();
  const onSignal = () => controller.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const bar = new ProgressBar(io, quiet);
  const results: FileResult[] = [];
  let interrupted = false;
  try {
    for (const [i, job] of jobs.entries()) {
      const label = `${i + 1}/${jobs.length} ${job.input}`;
      if (job.error) {
        bar.clear();
        io.stderr(`${CMD}: ${job.input}: ${job.error}\n`);
        results.push({ input: job.input, output: job.output, ok: false, error: job.error });
        continue;
      }
      const t0 = performance.now();
      try {
        const data = await sr.upscale(job.input, {
          ...options,
          output: format,
          signal: controller.signal,
          onProgress: (p) => bar.update(label, p.completed, p.total),
        });
        await writeOutputAtomic(job.output!, data, force);
        const seconds = (performance.now() - t0) / 1000;
        results.push({ input: job.input, output: job.output, ok: true, seconds });
        bar.finish(`${label} -> ${job.output} (${seconds.toFixed(1)} s)`);
      } catch (err) {
        bar.clear();
        if ((err as Error).name === 'AbortError') {
          interrupted = true;
          io.stderr(`${CMD}: interrupted while processing ${job.input}; its output was not written\n`);
          break;
        }
        const reason = oneLine(err);
        io.stderr(`${CMD}: ${job.input}: ${reason}\n`);
        results.push({ input: job.input, output: job.output, ok: false, error: reason });
      }
    }
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    sr.dispose();
  }
  const failed = results.filter((r) => !r.ok);
  const done = results.length - failed.length;
  if (failed.length > 0) {
    io.stderr(`${CMD}: ${failed.length} of ${jobs.length} file(s) failed:\n`);
    for (const f of failed) io.stderr(`  ${f.input}: ${f.error}\n`);
  } else if (!quiet && !interrupted) {
    io.stderr(`${CMD}: ${done} file(s) written\n`);
  }
  if (flags.json) {
    io.stdout(
      `${JSON.stringify({
        command: 'upscale',
        backend: sr.backend.name,
        model: sr.model.name,
        format,
        ok: done,
        failed: failed.length,
        interrupted,
        files: results,
      })}\n`,
    );
  }
  if (interrupted) return 130;
  return failed.length > 0 ? 1 : 0;
}
