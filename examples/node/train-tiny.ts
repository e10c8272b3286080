/**
 * A tiny training run from the API: a few steps of the CTMSR `Trainer` (consistency training,
 * then CT + DTM) on a couple of small images, printing the losses.
 *
 *   npx tsx examples/node/train-tiny.ts examples/images [--steps 6] [--dtm-from 4]
 *
 * A real run goes through `ctmsr train --config ... --data ... --out ...` (checkpoints, resume,
 * validation, export; see docs/training.md); this shows the loop underneath it.
 */
import { parseArgs } from 'node:util';
import { ensureGradients, selectBackend } from '@ctmsr/backends';
import { PhotoDataset, resolveTrainConfig, type StepRecord, Trainer } from 'ctmsr/train';
import { isMain } from './image-files.js';

export interface TrainTinyOptions {
  /** Folder of training images (a couple of small photos is enough). */
  data: string;
  /** Total iterations (default 6). */
  steps?: number;
  /** Iterations of consistency training before DTM is added (default: two thirds of `steps`). */
  dtmFrom?: number;
  /** HR crop side, a multiple of 32 (default 32). */
  crop?: number;
  backend?: string;
  log?: (line: string) => void;
}

export async function trainTiny(options: TrainTinyOptions): Promise<StepRecord[]> {
  const log = options.log ?? (() => {});
  const steps = options.steps ?? 6;
  const ctIterations = options.dtmFrom ?? Math.ceil((2 * steps) / 3);
  await ensureGradients(); // tfjs-core's Node bundle registers no gradient functions
  const backend = await selectBackend({ backend: options.backend ?? 'wasm' });
  log(`backend ${backend.name}`);

  const config = resolveTrainConfig({
    seed: 1,
    // A much smaller network than the shipped `tiny` preset, so that a step takes well under a second.
    model: {
      preset: 'tiny',
      overrides: { modelChannels: 8, channelMult: [1, 2], numBlocks: 1, embChannels: 8, attnLevels: [] },
    },
    data: { hrCrop: options.crop ?? 32, batchSize: 2, degradation: 'mixed' },
    ct: { iterations: ctIterations },
    dtm: { iterations: Math.max(0, steps - ctIterations), refreshEvery: 2 },
    optim: { lr: 2e-3 },
  });
  const dataset = await PhotoDataset.fromFolder(options.data);
  log(`${dataset.images.length} images from ${options.data}`);

  const trainer = new Trainer(config, dataset);
  const records: StepRecord[] = [];
  try {
    for (let i = 0; i < steps; i++) {
      const r = await trainer.trainStep();
      records.push(r);
      const terms = Object.entries(r.terms)
        .map(([name, v]) => `${name} ${v.toFixed(4)}`)
        .join('  ');
      log(
        `step ${r.step}  loss ${r.loss.toFixed(4)}  (${terms})  n=${r.n} ${r.degradation}  ${Math.round(r.ms.total)} ms`,
      );
    }
  } finally {
    trainer.dispose();
  }
  return records;
}

if (isMain(import.meta.url)) {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { steps: { type: 'string' }, 'dtm-from': { type: 'string' }, backend: { type: 'string' } },
  });
  await trainTiny({
    data: positionals[0] ?? 'examples/images',
    steps: values.steps ? Number(values.steps) : undefined,
    dtmFrom: values['dtm-from'] ? Number(values['dtm-from']) : undefined,
    backend: values.backend,
    log: console.log,
  });
}
