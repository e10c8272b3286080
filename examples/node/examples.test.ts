/**
 * Runs every Node example's main function on tiny inputs into a temporary folder and checks what
 * it wrote (files exist, sizes right, losses finite).
 */
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makePairs } from './make-pairs.js';
import { plotTrajectory } from './plot-trajectory.js';
import { trainTiny } from './train-tiny.js';
import { upscaleFolder } from './upscale-folder.js';

const images = new URL('../images/', import.meta.url).pathname;
let dir = '';
let small = ''; // a folder with two small photos

async function size(path: string): Promise<[number, number]> {
  const m = await sharp(path).metadata();
  return [m.width ?? 0, m.height ?? 0];
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ctmsr-examples-'));
  small = join(dir, 'small');
  await mkdir(small);
  await sharp(join(images, 'coffee-lr.png')).resize(40, 28).png().toFile(join(small, 'coffee.png'));
  await sharp(join(images, 'chelsea-lr.png')).resize(36, 32).png().toFile(join(small, 'chelsea.png'));
});

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('examples/node', () => {
  it('upscale-folder: every image 4x with the default model', async () => {
    const out = join(dir, 'upscaled');
    const done = await upscaleFolder({ input: small, output: out, backend: 'wasm' });
    expect(done.map((d) => d.output).sort()).toEqual([
      join(out, 'chelsea-x4.png'),
      join(out, 'coffee-x4.png'),
    ]);
    expect(await size(join(out, 'coffee-x4.png'))).toEqual([160, 112]);
    expect(await size(join(out, 'chelsea-x4.png'))).toEqual([144, 128]);
  });

  it('make-pairs: HR crops, Real-ESRGAN and bicubic LR, params.json', async () => {
    const out = join(dir, 'pairs');
    const made = await makePairs({
      input: join(images, 'coffee-lr.png'),
      output: out,
      count: 2,
      crop: 32,
      seed: 3,
      backend: 'wasm',
    });
    expect(made.hr).toHaveLength(2);
    for (let i = 0; i < 2; i++) {
      expect(await size(made.hr[i])).toEqual([32, 32]);
      expect(await size(made.lq[i])).toEqual([8, 8]);
      expect(await size(made.bicubic[i])).toEqual([8, 8]);
    }
    const params = JSON.parse(await readFile(join(out, 'params.json'), 'utf8'));
    expect(params).toEqual(made.params);
    expect(params.batchSize).toBe(2);
    expect(params.hrSize).toEqual([32, 32]);
  });

  it('plot-trajectory: a strip of x_s for s = 0..1', async () => {
    const out = join(dir, 'trajectory.png');
    const plot = await plotTrajectory({
      input: join(small, 'chelsea.png'),
      output: out,
      points: 3,
      backend: 'wasm',
    });
    expect(plot.levels.map((l) => l.sigma)).toEqual([0, 0.5, 1]);
    expect(plot.panel).toEqual({ width: 36, height: 32 });
    expect(await size(out)).toEqual([3 * 36 + 2 * 4, 32]);
    // The first panel is the image itself (s = 0): its pixels match the input's.
    const strip = await sharp(out).extract({ left: 0, top: 0, width: 36, height: 32 }).raw().toBuffer();
    const input = await sharp(join(small, 'chelsea.png')).removeAlpha().raw().toBuffer();
    let maxDiff = 0;
    for (let i = 0; i < input.length; i++) maxDiff = Math.max(maxDiff, Math.abs(strip[i] - input[i]));
    expect(maxDiff).toBeLessThanOrEqual(1);
  });

  it('train-tiny: CT steps then CT + DTM steps, finite losses', async () => {
    const records = await trainTiny({ data: small, steps: 3, dtmFrom: 2, backend: 'wasm' });
    expect(records.map((r) => r.step)).toEqual([1, 2, 3]);
    for (const r of records) expect(Number.isFinite(r.loss)).toBe(true);
    expect(Object.keys(records[0].terms)).toEqual(['ct_charbonnier']);
    expect(Object.keys(records[2].terms).sort()).toEqual(['ct_charbonnier', 'dtm_l2']);
  });
});
