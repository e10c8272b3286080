/**
 * Exports a training run's EMA weights as an `@ctmsr/sr-unet` weights file (the format the
 * umbrella's `CTMSR.load({ model })` reads), with training metadata in the manifest.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { SrUnet, saveSrUnetFiles } from '@ctmsr/sr-unet';
import * as tf from '@tensorflow/tfjs-core';
import { loadLatestCheckpoint } from './checkpoint.js';
import type { TrainerState } from './trainer.js';
import { modelConfig } from './trainer.js';

export interface ExportOptions {
  /** Store weights as float16 (half the size). */
  float16?: boolean;
  /** Extra metadata merged into the manifest. */
  metadata?: Record<string, unknown>;
  /** Export the online weights instead of the EMA weights. */
  online?: boolean;
}

/** Writes `<outDir>/model.json` + `<outDir>/model.bin` from the latest checkpoint of `runDir`. */
export async function exportRunModel(runDir: string, outDir: string, options: ExportOptions = {}) {
  const ck = await loadLatestCheckpoint<TrainerState>(runDir);
  if (ck == null) throw new Error(`exportRunModel: no checkpoint in '${runDir}'`);
  await mkdir(outDir, { recursive: true });
  const net = SrUnet.create(modelConfig(ck.state.config), 0);
  try {
    net.setWeights(options.online ? ck.groups.online : ck.groups.ema);
    return await saveSrUnetFiles(net, join(outDir, 'model.json'), {
      float16: options.float16 ?? false,
      metadata: {
        weights: options.online ? 'online' : 'ema',
        step: ck.state.step,
        emaUpdates: ck.state.emaUpdates,
        trainConfig: ck.state.config,
        ...options.metadata,
      },
    });
  } finally {
    net.dispose();
    for (const g of Object.values(ck.groups)) tf.dispose(Object.values(g));
  }
}
