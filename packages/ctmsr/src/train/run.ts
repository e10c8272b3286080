/**
 * `runTraining`: the training loop around `Trainer` — backend, data, resume, JSONL log, console
 * progress, periodic checkpoints and validation, NaN guard, clean stop on an abort signal.
 */
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describeBackend, ensureGradients, selectBackend } from '@ctmsr/backends';
import * as tf from '@tensorflow/tfjs-core';
import {
  appendJsonl,
  latestCheckpointStep,
  loadLatestCheckpoint,
  saveCheckpoint,
  writeFileAtomic,
} from './checkpoint.js';
import { type TrainConfig, totalIterations } from './config.js';
import { exportRunModel } from './export-model.js';
import { PhotoDataset } from './photo-dataset.js';
import { NonFiniteLossError, type StepRecord, Trainer, type TrainerState } from './trainer.js';
import { type ValidationResult, validate } from './validation.js';

export interface RunTrainingOptions {
  config: TrainConfig;
  dataDir: string;
  valDir?: string;
  outDir: string;
  resume?: boolean;
  /**
   * A run directory whose latest checkpoint initialises a new run (online and EMA weights; see
   * `Trainer.initFrom`): a DTM fine-tune from a CT run. Used only when `outDir` has no checkpoint
   * yet, so the same command resumes the fine-tune later with `resume`.
   */
  init?: string;
  backend?: string;
  /** Stop (with a checkpoint) after this many steps in this invocation. */
  maxSteps?: number;
  signal?: AbortSignal;
  log?: (line: string) => void;
}

export interface RunTrainingResult {
  step: number;
  stoppedBy: 'done' | 'signal' | 'max-steps' | 'non-finite';
  lastValidation?: ValidationResult;
  checkpoint?: string;
}

function formatDuration(s: number): string {
  if (!Number.isFinite(s)) return '?';
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return h > 0
    ? `${h}h${String(m).padStart(2, '0')}m`
    : `${m}m${String(Math.floor(s % 60)).padStart(2, '0')}s`;
}

export async function runTraining(o: RunTrainingOptions): Promise<RunTrainingResult> {
  const log = o.log ?? ((line: string) => console.error(line));
  const c = o.config;
  await ensureGradients();
  const backend = await selectBackend({ backend: o.backend ?? 'auto' });
  log(`ctmsr train: ${describeBackend(backend)}`);

  await mkdir(o.outDir, { recursive: true });
  const existing = await latestCheckpointStep(o.outDir);
  if (existing != null && !o.resume) {
    throw new Error(
      `ctmsr train: '${o.outDir}' already has checkpoints (step ${existing}); pass --resume or choose another --out`,
    );
  }
  const dataset = await PhotoDataset.fromFolder(o.dataDir);
  for (const s of dataset.skipped) log(`ctmsr train: skipped ${s.path}: ${s.reason}`);
  log(`ctmsr train: ${dataset.images.length} training images from ${o.dataDir}`);
  const valSet = o.valDir ? await PhotoDataset.fromFolder(o.valDir) : null;
  if (valSet) log(`ctmsr train: ${valSet.images.length} validation images from ${o.valDir}`);

  const trainer = new Trainer(c, dataset);
  let lastCheckpoint: string | undefined;
  try {
    if (o.resume && existing != null) {
      const ck = await loadLatestCheckpoint<TrainerState>(o.outDir);
      if (ck == null) throw new Error(`ctmsr train: cannot read the latest checkpoint in '${o.outDir}'`);
      if (JSON.stringify(ck.state.config) !== JSON.stringify(c)) {
        log("ctmsr train: note: the config differs from the checkpoint's; continuing with the new config");
      }
      trainer.restore(ck.state, ck.groups);
      for (const g of Object.values(ck.groups)) tf.dispose(Object.values(g));
      log(`ctmsr train: resumed at step ${trainer.step}`);
    } else if (o.init != null) {
      const ck = await loadLatestCheckpoint<TrainerState>(o.init);
      if (ck == null)
        throw new Error(
          `ctmsr train: --init '${o.init}' has no readable checkpoint (checkpoints/latest.json)`,
        );
      try {
        trainer.initFrom(ck.state, ck.groups);
      } catch (err) {
        throw new Error(`ctmsr train: --init '${o.init}' (step ${ck.state.step}): ${(err as Error).message}`);
      } finally {
        for (const g of Object.values(ck.groups)) tf.dispose(Object.values(g));
      }
      log(
        `ctmsr train: initialised from ${o.init} at its step ${ck.state.step} (online and EMA weights; fresh optimiser, step 0)`,
      );
    }
    await writeFileAtomic(join(o.outDir, 'config.json'), JSON.stringify(c, null, 2));
    const logPath = join(o.outDir, 'log.jsonl');
    const checkpoint = async () => {
      const groups = trainer.tensorGroups();
      try {
        lastCheckpoint = await saveCheckpoint(
          o.outDir,
          trainer.step,
          { state: trainer.state(), groups },
          c.checkpoint.keep,
        );
      } finally {
        for (const g of Object.values(groups)) tf.dispose(Object.values(g));
      }
    };
    let lastValidation: ValidationResult | undefined;
    const runValidation = async () => {
      if (!valSet) return;
      lastValidation = await validate(
        trainer.emaNetwork(),
        valSet,
        c,
        trainer.step,
        join(o.outDir, 'samples'),
      );
      await appendJsonl(join(o.outDir, 'validation.jsonl'), lastValidation);
      log(
        `ctmsr train: validation at step ${trainer.step}: PSNR-Y ${lastValidation.psnrY.toFixed(3)} dB ` +
          `(bicubic ${lastValidation.bicubicPsnrY.toFixed(3)}), SSIM-Y ${lastValidation.ssimY.toFixed(4)} ` +
          `(bicubic ${lastValidation.bicubicSsimY.toFixed(4)}) on ${lastValidation.images} images`,
      );
    };
    const total = totalIterations(c);
    const startStep = trainer.step;
    const started = performance.now();
    let stoppedBy: RunTrainingResult['stoppedBy'] = 'done';
    if (trainer.step === 0) await runValidation();
    while (trainer.step < total) {
      if (o.signal?.aborted) {
        stoppedBy = 'signal';
        break;
      }
      if (o.maxSteps != null && trainer.step - startStep >= o.maxSteps) {
        stoppedBy = 'max-steps';
        break;
      }
      let rec: StepRecord;
      try {
        rec = await trainer.trainStep();
      } catch (err) {
        if (err instanceof NonFiniteLossError) {
          log(
            `${err.message}. Last good checkpoint: ${lastCheckpoint ?? (existing != null ? `step ${existing}` : 'none')}`,
          );
          return { step: trainer.step, stoppedBy: 'non-finite', checkpoint: lastCheckpoint };
        }
        throw err;
      }
      await appendJsonl(logPath, { ...rec, time: new Date().toISOString() });
      const done = trainer.step - startStep;
      if (trainer.step % c.log.every === 0 || trainer.step === total) {
        const rate = done / ((performance.now() - started) / 1000);
        log(
          `step ${trainer.step}/${total} loss ${rec.loss.toFixed(5)} lr ${rec.lr.toExponential(2)} ` +
            `${rate.toFixed(2)} it/s (${rec.ms.total.toFixed(0)} ms/step) ETA ${formatDuration((total - trainer.step) / rate)}`,
        );
      }
      if (trainer.step % c.checkpoint.every === 0) await checkpoint();
      if (trainer.step % c.validation.every === 0) await runValidation();
    }
    await checkpoint();
    if (stoppedBy === 'done' && trainer.step % c.validation.every !== 0) await runValidation();
    const model = await exportRunModel(o.outDir, join(o.outDir, 'model'), {
      metadata: lastValidation ? { validation: lastValidation } : {},
    });
    log(`ctmsr train: EMA weights exported to ${model.json}`);
    await writeFile(join(o.outDir, 'STATUS'), `${stoppedBy} at step ${trainer.step}\n`);
    log(`ctmsr train: ${stoppedBy} at step ${trainer.step}; checkpoint ${lastCheckpoint}`);
    return { step: trainer.step, stoppedBy, lastValidation, checkpoint: lastCheckpoint };
  } finally {
    trainer.dispose();
  }
}

/** True when `dir` holds a checkpoint (for CLI messages). */
export function hasCheckpoint(dir: string): boolean {
  return existsSync(join(dir, 'checkpoints', 'latest.json'));
}
