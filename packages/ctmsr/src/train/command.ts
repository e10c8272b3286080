/**
 * `ctmsr train --config <file> --data <dir> [--val <dir>] --out <run-dir> [--resume]
 *  [--backend <name>] [--max-steps N]`
 * Exit codes: 0 finished or stopped cleanly (Ctrl-C writes a checkpoint first), 2 usage or config
 * error, 3 non-finite loss (the message names the step and the last good checkpoint).
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { resolveTrainConfig } from './config.js';
import { runTraining } from './run.js';

export const TRAIN_USAGE = `usage: ctmsr train --config <file.json> --data <dir> --out <run-dir> [--val <dir>] [--resume]
                   [--init <run-dir>] [--backend auto|wasm|webgpu|cpu|tensorflow] [--max-steps N]
  --config     training config (JSON); unknown keys are errors. Shipped: packages/ctmsr/configs/*.json
  --data       folder of training photographs (PNG/JPEG/WebP, any size)
  --val        folder of held-out photographs for periodic validation (PSNR/SSIM-Y vs bicubic)
  --out        run directory: log.jsonl, validation.jsonl, checkpoints/, samples/, model/
  --resume     continue from the latest checkpoint in --out
  --init       start from another run's latest checkpoint (online + EMA weights, fresh optimiser,
               step 0), e.g. a DTM fine-tune from a CT run; ignored once --out has a checkpoint
  --max-steps  stop (with a checkpoint) after N steps in this invocation`;

export async function runTrainCommand(argv: string[]): Promise<number> {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        config: { type: 'string' },
        data: { type: 'string' },
        val: { type: 'string' },
        out: { type: 'string' },
        resume: { type: 'boolean' },
        init: { type: 'string' },
        backend: { type: 'string' },
        'max-steps': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    console.error(`ctmsr train: ${(err as Error).message}\n${TRAIN_USAGE}`);
    return 2;
  }
  if (values.help) {
    console.log(TRAIN_USAGE);
    return 0;
  }
  for (const required of ['data', 'out'] as const) {
    if (!values[required]) {
      console.error(`ctmsr train: --${required} is required\n${TRAIN_USAGE}`);
      return 2;
    }
  }
  let config: ReturnType<typeof resolveTrainConfig>;
  try {
    const user = values.config ? JSON.parse(await readFile(String(values.config), 'utf8')) : {};
    config = resolveTrainConfig(user);
  } catch (err) {
    console.error(`ctmsr train: ${values.config ?? 'config'}: ${(err as Error).message}`);
    return 2;
  }
  const maxSteps = values['max-steps'] != null ? Number(values['max-steps']) : undefined;
  if (maxSteps != null && !(Number.isInteger(maxSteps) && maxSteps > 0)) {
    console.error(`ctmsr train: --max-steps must be a positive integer, got '${values['max-steps']}'`);
    return 2;
  }
  const controller = new AbortController();
  const onSignal = () => {
    if (controller.signal.aborted) process.exit(130);
    console.error(
      'ctmsr train: interrupt received; finishing the current step and writing a checkpoint (Ctrl-C again to quit now)',
    );
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const result = await runTraining({
      config,
      dataDir: String(values.data),
      valDir: values.val ? String(values.val) : undefined,
      outDir: String(values.out),
      resume: Boolean(values.resume),
      init: values.init ? String(values.init) : undefined,
      backend: values.backend ? String(values.backend) : undefined,
      maxSteps,
      signal: controller.signal,
    });
    return result.stoppedBy === 'non-finite' ? 3 : 0;
  } catch (err) {
    console.error(`ctmsr train: ${(err as Error).message}`);
    return 2;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
