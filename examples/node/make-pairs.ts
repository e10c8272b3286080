/**
 * Make (HR, LR) training pairs from one photo with `@ctmsr/degradations` alone.
 *
 *   npx tsx examples/node/make-pairs.ts examples/images/coffee-lr.png out/pairs [--count 4] [--crop 64]
 *
 * Random HR crops -> `sampleDegradationParams` (every random choice as plain JSON) ->
 * `realEsrganDegrade` (deterministic: same crops + params = same pixels on every backend).
 * Writes hr-<i>.png, lq-<i>.png (Real-ESRGAN second-order), bicubic-<i>.png (the clean
 * benchmark degradation, `bicubicDegrade`) and params.json.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { selectBackend } from '@ctmsr/backends';
import {
  bicubicDegrade,
  createRng,
  type DegradationParams,
  REAL_ESRGAN_TEST_OPTIONS,
  type RealEsrganOptionsInput,
  realEsrganDegrade,
  sampleDegradationParams,
} from '@ctmsr/degradations';
import * as tf from '@tensorflow/tfjs-core';
import { isMain, readRgb, writePng } from './image-files.js';

export interface MakePairsOptions {
  /** A photo (png, jpg, webp). */
  input: string;
  /** Output folder (created). */
  output: string;
  /** Number of pairs (default 4). */
  count?: number;
  /** HR crop side, a multiple of the scale 4 (default 64). */
  crop?: number;
  /** Seed of the crop positions and of the degradation parameters (default 0). */
  seed?: number;
  /** 'train' (CTMSR's training setting, default) or 'test' (the milder test-set setting). */
  setting?: 'train' | 'test';
  backend?: string;
}

export interface MadePairs {
  hr: string[];
  lq: string[];
  bicubic: string[];
  params: DegradationParams;
}

const SCALE = 4;

/** `count` seeded crops of side `crop` from `image` [1, H, W, 3]: [count, crop, crop, 3]. */
function randomCrops(image: tf.Tensor4D, count: number, crop: number, seed: number): tf.Tensor4D {
  const [, h, w] = image.shape;
  if (h < crop || w < crop)
    throw new Error(`makePairs: the photo is ${w}x${h}, smaller than the crop ${crop}`);
  const rng = createRng(seed);
  return tf.tidy(() => {
    const crops = Array.from({ length: count }, () =>
      tf.slice(image, [0, rng.int(h - crop + 1), rng.int(w - crop + 1), 0], [1, crop, crop, 3]),
    );
    return tf.concat(crops, 0) as tf.Tensor4D;
  });
}

export async function makePairs(options: MakePairsOptions): Promise<MadePairs> {
  const count = options.count ?? 4;
  const crop = options.crop ?? 64;
  const seed = options.seed ?? 0;
  if (crop % SCALE !== 0) throw new Error(`makePairs: 'crop' must be a multiple of ${SCALE}, got ${crop}`);
  await selectBackend({ backend: options.backend ?? 'auto' });

  const photo = await readRgb(options.input);
  const hr = randomCrops(photo, count, crop, seed);
  photo.dispose();

  const settings: RealEsrganOptionsInput =
    options.setting === 'test' ? REAL_ESRGAN_TEST_OPTIONS : { scale: SCALE };
  const params = sampleDegradationParams(count, crop, settings, seed);
  const real = realEsrganDegrade(hr, params); // { lq: [B, crop/4, crop/4, 3], u: [B, crop, crop, 3] }
  const clean = bicubicDegrade(hr, SCALE);

  const out: MadePairs = { hr: [], lq: [], bicubic: [], params };
  for (let i = 0; i < count; i++) {
    const pick = (t: tf.Tensor4D) => tf.slice(t, [i, 0, 0, 0], [1, -1, -1, -1]);
    const files = {
      hr: join(options.output, `hr-${i}.png`),
      lq: join(options.output, `lq-${i}.png`),
      bicubic: join(options.output, `bicubic-${i}.png`),
    };
    for (const [kind, source] of [
      ['hr', hr],
      ['lq', real.lq],
      ['bicubic', clean.lq],
    ] as const) {
      const one = pick(source);
      await writePng(one, files[kind]);
      one.dispose();
      out[kind].push(files[kind]);
    }
  }
  await writeFile(join(options.output, 'params.json'), `${JSON.stringify(params, null, 1)}\n`);
  tf.dispose([hr, real.lq, real.u, clean.lq, clean.u]);
  return out;
}

if (isMain(import.meta.url)) {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      count: { type: 'string' },
      crop: { type: 'string' },
      seed: { type: 'string' },
      setting: { type: 'string' },
      backend: { type: 'string' },
    },
  });
  const [input = 'examples/images/coffee-lr.png', output = 'out/pairs'] = positionals;
  const made = await makePairs({
    input,
    output,
    count: values.count ? Number(values.count) : undefined,
    crop: values.crop ? Number(values.crop) : undefined,
    seed: values.seed ? Number(values.seed) : undefined,
    setting: values.setting === 'test' ? 'test' : 'train',
    backend: values.backend,
  });
  console.log(`wrote ${made.hr.length} pairs to ${output} (stage 2 ${made.params.stage2 ? 'on' : 'off'})`);
}
