import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { forwardProcess, precondition, seededNormal } from '@ctmsr/pf-ode';
import { describeBackends } from '@ctmsr/test-harness';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, expect, it } from 'vitest';
import { loadLatestCheckpoint, saveCheckpoint } from './checkpoint.js';
import { resolveTrainConfig } from './config.js';
import { degradationFor, makePairs } from './pairs.js';
import { PhotoDataset, type RgbImage } from './photo-dataset.js';
import { NonFiniteLossError, Trainer, type TrainerState } from './trainer.js';

/** A synthetic striped image, 8-bit RGB. */
function synthetic(name: string, w: number, h: number, phase: number): RgbImage {
  const data = new Uint8Array(w * h * 3);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = (y * w + x) * 3;
      // Stripes near the LR Nyquist rate: bicubic x4 cannot restore them, a network can.
      data[i] = 128 + 100 * Math.sin(x * 1.3 + phase);
      data[i + 1] = 128 + 100 * Math.cos(y * 1.1 - phase);
      data[i + 2] = 128 + 60 * Math.sin((x + y) * 0.9);
    }
  }
  return { name, width: w, height: h, data };
}

const dataset = PhotoDataset.fromImages([synthetic('a', 40, 36, 0), synthetic('b', 30, 34, 1.3)]);

function smallConfig(extra: Record<string, unknown> = {}) {
  return resolveTrainConfig({
    model: {
      preset: 'tiny',
      overrides: { modelChannels: 8, channelMult: [1, 2], numBlocks: 1, embChannels: 8, attnLevels: [] },
    },
    data: { hrCrop: 32, batchSize: 2, degradation: 'bicubic', augment: true },
    ct: { iterations: 1000 },
    optim: { lr: 2e-3 },
    ...extra,
  });
}

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

/**
 * Mean |D(x_s, s) - y| of the online weights on a fixed batch at the lowest non-zero level
 * s = 1/3, where the CT target is y itself (a regression the net must fit quickly).
 */
async function oneStepError(trainer: Trainer, sigma = 1 / 3): Promise<number> {
  const c = trainer.config;
  const hr = dataset.batch(999_999, 5, 2, c.data.hrCrop, false);
  const { y, u, lq } = makePairs(hr, 4, 'bicubic', 1, 5, 0);
  const err = tf.tidy(() => {
    const d = precondition(trainer.net.rawNetwork({ training: false }));
    const eps = seededNormal(u.shape, 3) as tf.Tensor4D;
    return tf.mean(tf.abs(tf.sub(d(forwardProcess(y, u, sigma, sigma, eps), lq, sigma), y)));
  });
  const v = (await err.data())[0];
  tf.dispose([hr, y, u, lq, err]);
  return v;
}

describeBackends(
  'Trainer (wasm)',
  () => {
    it('overfits a tiny set: the one-step error falls', async () => {
      const trainer = new Trainer(
        smallConfig({ data: { hrCrop: 32, batchSize: 2, degradation: 'bicubic', augment: false } }),
        dataset,
      );
      const before = await oneStepError(trainer);
      for (let i = 0; i < 60; i++) await trainer.trainStep();
      const after = await oneStepError(trainer);
      expect(after).toBeLessThan(0.8 * before);
      trainer.dispose();
    });

    it('holds a constant number of tensors over 50 steps', async () => {
      const trainer = new Trainer(
        smallConfig({ data: { hrCrop: 16, batchSize: 1, degradation: 'bicubic' } }),
        dataset,
      );
      for (let i = 0; i < 3; i++) await trainer.trainStep();
      const before = tf.memory().numTensors;
      for (let i = 0; i < 50; i++) await trainer.trainStep();
      expect(tf.memory().numTensors).toBe(before);
      trainer.dispose();
    });
  },
  { backends: ['wasm'] },
);

describeBackends('Trainer', () => {
  it('resuming from a checkpoint reproduces the uninterrupted losses exactly (across the DTM switch)', async () => {
    const config = smallConfig({
      data: { hrCrop: 16, batchSize: 1, degradation: 'bicubic' },
      ct: { iterations: 2 },
      dtm: { iterations: 10, refreshEvery: 4 },
    });
    const straight = new Trainer(config, dataset);
    const ref: number[] = [];
    for (let i = 0; i < 5; i++) ref.push((await straight.trainStep()).loss);
    straight.dispose();

    const dir = await mkdtemp(join(tmpdir(), 'ctmsr-resume-'));
    dirs.push(dir);
    const first = new Trainer(config, dataset);
    const got: number[] = [];
    for (let i = 0; i < 3; i++) got.push((await first.trainStep()).loss);
    expect(first.frozen).not.toBeNull(); // DTM started at iteration 3: the checkpoint holds the frozen copy
    const groups = first.tensorGroups();
    await saveCheckpoint(dir, first.step, { state: first.state(), groups });
    for (const g of Object.values(groups)) tf.dispose(Object.values(g));
    first.dispose();

    const ck = await loadLatestCheckpoint<TrainerState>(dir);
    expect(ck?.state.step).toBe(3);
    const second = new Trainer(config, dataset);
    second.restore(ck!.state, ck!.groups);
    for (const g of Object.values(ck!.groups)) tf.dispose(Object.values(g));
    for (let i = 0; i < 2; i++) got.push((await second.trainStep()).loss);
    second.dispose();
    expect(got).toEqual(ref);
  });

  it('stops on a non-finite loss without applying the step', async () => {
    const trainer = new Trainer(smallConfig({ optim: { lr: 1e30 }, ema: { warmup: false } }), dataset);
    let error: unknown;
    for (let i = 0; i < 6 && error == null; i++) {
      const before = trainer.net.getWeights();
      try {
        await trainer.trainStep();
      } catch (err) {
        error = err;
        const after = trainer.net.getWeights();
        const name = trainer.net.variables[0].name;
        expect(Array.from(await after[name].data())).toEqual(Array.from(await before[name].data()));
        tf.dispose(Object.values(after));
      }
      tf.dispose(Object.values(before));
    }
    expect(error).toBeInstanceOf(NonFiniteLossError);
    expect((error as Error).message).toMatch(/non-finite loss at step \d+/);
    trainer.dispose();
  });
});

it('resolveTrainConfig names unknown keys and wrong types', () => {
  expect(() => resolveTrainConfig({ optim: { lrr: 1 } })).toThrow(/unknown key 'optim.lrr'/);
  expect(() => resolveTrainConfig({ data: { batchSize: '8' } })).toThrow(
    /'data.batchSize' must be a number, got string/,
  );
  expect(() => resolveTrainConfig({ data: { degradation: 'jpeg' } })).toThrow(
    /'data.degradation' must be one of/,
  );
  expect(() => resolveTrainConfig({ data: { hrCrop: 130 } })).toThrow(/multiple of 'data.scale'/);
  expect(resolveTrainConfig({}).ct.distances[0].name).toBe('charbonnier');
  expect(resolveTrainConfig({}).ct.sigmaScale).toBe(0.1);
  expect(() => resolveTrainConfig({ ct: { sigmaScale: 0 } })).toThrow(
    /'ct.sigmaScale' must be a number > 0, got 0/,
  );
  expect(() => resolveTrainConfig({ ct: { sigmaMax: -1 } })).toThrow(/'ct.sigmaMax' must be a number > 0/);
});

describeBackends(
  'makePairs',
  () => {
    it('produces [-1,1] pairs of the right shapes for every degradation, deterministically', async () => {
      const hr = dataset.batch(3, 1, 2, 32, false);
      for (const mode of ['bicubic', 'real-esrgan', 'real-esrgan-test'] as const) {
        const a = makePairs(hr, 4, mode, 0.5, 7, 3);
        const b = makePairs(hr, 4, mode, 0.5, 7, 3);
        expect(a.y.shape).toEqual([2, 32, 32, 3]);
        expect(a.u.shape).toEqual([2, 32, 32, 3]);
        expect(a.lq.shape).toEqual([2, 8, 8, 3]);
        expect(Array.from(await a.lq.data())).toEqual(Array.from(await b.lq.data()));
        const lq = await a.lq.data();
        expect(Math.min(...lq)).toBeGreaterThanOrEqual(-1);
        expect(Math.max(...lq)).toBeLessThanOrEqual(1);
        tf.dispose([a.y, a.u, a.lq, b.y, b.u, b.lq]);
      }
      const modes = new Set(Array.from({ length: 40 }, (_, k) => makePairsMode(k)));
      expect([...modes].sort()).toEqual(['bicubic', 'real-esrgan-test']);
      hr.dispose();
    });
  },
  { backends: ['wasm'] },
);

function makePairsMode(k: number): string {
  return degradationFor('mixed', 0.5, 7, k);
}

describeBackends(
  'Trainer with DTM',
  () => {
    it('runs CT then CT + DTM: frozen copy from EMA at the switch, refreshed on schedule, never trained', async () => {
      const config = smallConfig({
        data: { hrCrop: 16, batchSize: 1, degradation: 'bicubic' },
        ct: { iterations: 2 },
        dtm: { iterations: 4, refreshEvery: 4 },
      });
      const trainer = new Trainer(config, dataset);
      const records = [];
      for (let i = 0; i < 3; i++) records.push(await trainer.trainStep());
      // Iterations 1, 2: CT only. Iteration 3: DTM active; frozen created from the EMA weights.
      expect(Object.keys(records[0].terms)).toEqual(['ct_charbonnier']);
      expect(Object.keys(records[2].terms).sort()).toEqual(['ct_charbonnier', 'dtm_l2']);
      expect(trainer.frozen).not.toBeNull();
      const name = trainer.net.variables[1].name;
      const frozenBefore = trainer.frozen!.getWeights();
      await trainer.trainStep(); // iteration 4: refresh (4 % 4 == 0) from the online weights, then train
      expect(trainer.frozenRefreshedAt).toBe(4);
      const frozenAfter = trainer.frozen!.getWeights();
      const online = trainer.net.getWeights();
      // The frozen copy changed only by the refresh, and the step after it trained the online net only.
      expect(Array.from(await frozenAfter[name].data())).not.toEqual(
        Array.from(await frozenBefore[name].data()),
      );
      expect(Array.from(await frozenAfter[name].data())).not.toEqual(Array.from(await online[name].data()));
      const again = trainer.frozen!.getWeights();
      await trainer.trainStep();
      const still = trainer.frozen!.getWeights();
      expect(Array.from(await still[name].data())).toEqual(Array.from(await again[name].data()));
      tf.dispose([frozenBefore, frozenAfter, online, again, still].flatMap((g) => Object.values(g)));
      trainer.dispose();
    });
  },
  { backends: ['wasm'] },
);

describeBackends(
  'Trainer.initFrom',
  () => {
    it('starts a DTM fine-tune from another run: online and EMA weights carried, step and optimiser not', async () => {
      const source = new Trainer(
        smallConfig({ data: { hrCrop: 16, batchSize: 1, degradation: 'bicubic' } }),
        dataset,
      );
      for (let i = 0; i < 3; i++) await source.trainStep();
      const groups = source.tensorGroups();
      const state = source.state();
      const config = smallConfig({
        data: { hrCrop: 16, batchSize: 1, degradation: 'bicubic' },
        ct: { iterations: 0, s0: 3, s1: 3 },
        dtm: { iterations: 2 },
      });
      const tuned = new Trainer(config, dataset);
      const before = tf.memory().numTensors;
      tuned.initFrom(state, groups);
      expect(tf.memory().numTensors).toBe(before);
      const name = tuned.net.variables[1].name;
      const online = tuned.net.getWeights();
      const ema = tuned.ema.getWeights();
      expect(Array.from(await online[name].data())).toEqual(Array.from(await groups.online[name].data()));
      expect(Array.from(await ema[name].data())).toEqual(Array.from(await groups.ema[name].data()));
      expect(tuned.step).toBe(0);
      expect(tuned.ema.updates).toBe(state.emaUpdates);
      // Iteration 1 of the fine-tune is already a DTM iteration; its frozen model is the source's EMA.
      const rec = await tuned.trainStep();
      expect(Object.keys(rec.terms).sort()).toEqual(['ct_charbonnier', 'dtm_l2']);
      const frozen = tuned.frozen!.getWeights();
      expect(Array.from(await frozen[name].data())).toEqual(Array.from(await groups.ema[name].data()));
      expect(() => tuned.initFrom(state, groups)).toThrow(/only a new trainer \(step 0\)/);
      const other = new Trainer(
        smallConfig({
          model: {
            preset: 'tiny',
            overrides: {
              modelChannels: 4,
              channelMult: [1, 2],
              numBlocks: 1,
              embChannels: 8,
              attnLevels: [],
            },
          },
        }),
        dataset,
      );
      expect(() => other.initFrom(state, groups)).toThrow(/shape/);
      tf.dispose([online, ema, frozen].flatMap((g) => Object.values(g)));
      for (const g of Object.values(groups)) tf.dispose(Object.values(g));
      for (const t of [source, tuned, other]) t.dispose();
    });
  },
  { backends: ['wasm'] },
);
