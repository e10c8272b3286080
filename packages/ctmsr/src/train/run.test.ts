import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeBackends } from '@ctmsr/test-harness';
import * as tf from '@tensorflow/tfjs-core';
import sharp from 'sharp';
import { afterAll, expect, it } from 'vitest';
import { loadLatestCheckpoint } from './checkpoint.js';
import { resolveTrainConfig } from './config.js';
import { runTraining } from './run.js';
import type { TrainerState } from './trainer.js';

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

function config(extra: Record<string, unknown> = {}) {
  return resolveTrainConfig({
    model: {
      preset: 'tiny',
      overrides: { modelChannels: 8, channelMult: [1, 2], numBlocks: 1, embChannels: 8, attnLevels: [] },
    },
    data: { hrCrop: 16, batchSize: 1, degradation: 'bicubic' },
    checkpoint: { every: 100, keep: 1 },
    ...extra,
  });
}

describeBackends(
  'runTraining --init',
  () => {
    it('fine-tunes from another run (step 0, weights from its checkpoint) and then resumes from its own', async () => {
      const root = await mkdtemp(join(tmpdir(), 'ctmsr-init-'));
      dirs.push(root);
      const data = join(root, 'data');
      await mkdir(data);
      const px = new Uint8Array(24 * 24 * 3).map((_, i) => (i * 37) % 251);
      await sharp(px, { raw: { width: 24, height: 24, channels: 3 } })
        .png()
        .toFile(join(data, 'a.png'));
      const quiet = () => {};
      const ct = join(root, 'ct');
      await runTraining({ config: config({ ct: { iterations: 3 } }), dataDir: data, outDir: ct, log: quiet });
      const source = await loadLatestCheckpoint<TrainerState>(ct);
      expect(source?.state.step).toBe(3);

      const fine = join(root, 'dtm');
      const dtmConfig = config({ ct: { iterations: 0, s0: 3, s1: 3 }, dtm: { iterations: 2 } });
      const lines: string[] = [];
      const r1 = await runTraining({
        config: dtmConfig,
        dataDir: data,
        outDir: fine,
        init: ct,
        maxSteps: 1,
        log: (l) => lines.push(l),
      });
      expect(r1.step).toBe(1);
      expect(lines.join('\n')).toMatch(/initialised from .*ct at its step 3/);
      // Same command with --resume: continues the fine-tune from its own checkpoint, not from --init.
      const r2 = await runTraining({
        config: dtmConfig,
        dataDir: data,
        outDir: fine,
        init: ct,
        resume: true,
        log: quiet,
      });
      expect(r2.step).toBe(2);
      const done = await loadLatestCheckpoint<TrainerState>(fine);
      expect(done?.state.step).toBe(2);
      expect(done?.groups.frozen).toBeDefined();
      for (const ck of [source, done])
        for (const g of Object.values(ck!.groups)) tf.dispose(Object.values(g));

      const empty = join(root, 'empty');
      await expect(
        runTraining({ config: dtmConfig, dataDir: data, outDir: join(root, 'x'), init: empty, log: quiet }),
      ).rejects.toThrow(/--init '.*empty' has no readable checkpoint/);
    });
  },
  { backends: ['wasm'] },
);
