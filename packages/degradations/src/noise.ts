/**
 * Additive noise of the Real-ESRGAN pipeline (method.md §6.2 steps 3 and 5; BasicSR
 * `random_add_gaussian_noise_pt` / `random_add_poisson_noise_pt` with clip = True, rounds = False),
 * with per-sample levels and gray flags. Every random number comes from the seed in the params
 * (counter-based JS fields, `random.ts`), so results are identical on every backend.
 *
 * Sample b uses its own fields (key derived from (seed, stream, b)), so its noise does not depend
 * on the batch size or on the other samples.
 */
import * as tf from '@tensorflow/tfjs-core';
import { type PoissonSamplingOptions, samplePoisson } from './poisson.js';
import { deriveKey, fillNormal, fillUniform } from './random.js';
import { assertLength, assertRgbBatch, fail } from './validate.js';

/** Gaussian noise of one batch. */
export interface GaussianNoiseParams {
  type: 'gaussian';
  /** Per-sample standard deviation, in image units ([0, 1] range; BasicSR's σ/255). */
  sigma: number[];
  /** Per-sample flag: one noise plane shared by R, G and B ("gray" noise). */
  gray: boolean[];
  /** Seed of the noise fields. */
  seed: number;
}

/** Poisson (shot) noise of one batch. */
export interface PoissonNoiseParams {
  type: 'poisson';
  /** Per-sample multiplier of the noise. */
  scale: number[];
  /** Per-sample flag: noise computed on the luma image and shared by R, G and B. */
  gray: boolean[];
  seed: number;
  /** Photon-count scale v (noisy = Poisson(img·v)/v). Default 256. */
  levels?: number;
}

export type NoiseParams = GaussianNoiseParams | PoissonNoiseParams;

/** torchvision `rgb_to_grayscale` weights. */
export const LUMA_WEIGHTS = [0.2989, 0.587, 0.114] as const;

const STREAM = { gaussColour: 1, gaussGray: 2, poisUniform: 3, poisNormal: 4 } as const;

function checkPerSample(fn: string, b: number, values: number[], flags: boolean[], name: string): void {
  assertLength(fn, name, values, b);
  assertLength(fn, 'gray', flags, b);
  for (const [i, v] of values.entries()) {
    if (!Number.isFinite(v) || v < 0) fail(fn, `'${name}[${i}]' must be a finite number >= 0, got ${v}`);
  }
}

/**
 * The Gaussian noise tensor itself (before adding): n[b] = σ_b·z, with z a colour field
 * [H, W, 3] or, for gray samples, one [H, W] plane repeated over the channels.
 * @returns [B, H, W, 3] float32.
 */
export function gaussianNoise(
  shape: [number, number, number, number],
  params: GaussianNoiseParams,
): tf.Tensor4D {
  const [b, h, w, c] = shape;
  checkPerSample('gaussianNoise', b, params.sigma, params.gray, 'sigma');
  const hw = h * w;
  const data = new Float32Array(b * hw * c);
  const plane = new Float32Array(hw);
  for (let n = 0; n < b; n++) {
    const s = params.sigma[n];
    const view = data.subarray(n * hw * c, (n + 1) * hw * c);
    if (params.gray[n]) {
      fillNormal(deriveKey(params.seed, STREAM.gaussGray, n), plane);
      for (let i = 0; i < hw; i++) {
        const v = plane[i] * s;
        for (let ch = 0; ch < c; ch++) view[i * c + ch] = v;
      }
    } else {
      fillNormal(deriveKey(params.seed, STREAM.gaussColour, n), view);
      for (let i = 0; i < view.length; i++) view[i] *= s;
    }
  }
  return tf.tensor4d(data, shape);
}

/** Uniform and normal fields for the Poisson sampler, for the listed samples, each [H, W, ch]. */
function poissonFields(
  seed: number,
  samples: number[],
  h: number,
  w: number,
  ch: number,
  stream: number,
): { u: tf.Tensor4D; z: tf.Tensor4D } {
  const per = h * w * ch;
  const u = new Float32Array(samples.length * per);
  const z = new Float32Array(samples.length * per);
  samples.forEach((n, i) => {
    fillUniform(deriveKey(seed, STREAM.poisUniform, stream, n), u.subarray(i * per, (i + 1) * per));
    fillNormal(deriveKey(seed, STREAM.poisNormal, stream, n), z.subarray(i * per, (i + 1) * per));
  });
  const shape: [number, number, number, number] = [samples.length, h, w, ch];
  return { u: tf.tensor4d(u, shape), z: tf.tensor4d(z, shape) };
}

/** Poisson noise of an image (before scaling): Poisson(q·v)/v − q with q = 8-bit-quantised img. */
function poissonNoiseOf(
  img: tf.Tensor4D,
  fields: { u: tf.Tensor4D; z: tf.Tensor4D },
  levels: number,
  sampling: PoissonSamplingOptions,
): tf.Tensor4D {
  const q = tf.div(tf.clipByValue(tf.round(tf.mul(img, 255)), 0, 255), 255);
  const counts = samplePoisson(tf.mul(q, levels), fields.u, fields.z, sampling);
  return tf.sub(tf.div(counts, levels), q) as tf.Tensor4D;
}

/**
 * The Poisson noise tensor (before adding): scale_b · (Poisson(q·v)/v − q), q = round(img·255)/255,
 * computed on the RGB image, or on its luma (torchvision weights) and repeated over the channels
 * for gray samples.
 * @param x [B, H, W, 3] in [0, 1].
 * @returns [B, H, W, 3].
 *
 * **Deviations:** BasicSR sets v = 2^⌈log2(number of distinct 8-bit values in the image)⌉, which
 * needs a data read-back; here v is a parameter (default 256, the value BasicSR gets for any image
 * with more than 128 distinct levels, i.e. practically every natural image). Large rates are
 * sampled with a normal approximation (see `samplePoisson`).
 */
export function poissonNoise(
  x: tf.Tensor4D,
  params: PoissonNoiseParams,
  sampling: PoissonSamplingOptions = {},
): tf.Tensor4D {
  const fn = 'poissonNoise';
  assertRgbBatch(fn, 'x', x);
  const [b, h, w] = x.shape;
  checkPerSample(fn, b, params.scale, params.gray, 'scale');
  const levels = params.levels ?? 256;
  if (!Number.isFinite(levels) || levels <= 0)
    fail(fn, `'levels' must be a finite number > 0, got ${levels}`);
  const colourIdx: number[] = [];
  const grayIdx: number[] = [];
  for (let n = 0; n < b; n++) (params.gray[n] ? grayIdx : colourIdx).push(n);
  // Samples are routed with one-hot matmuls (gather / tile / concat copy whole tensors on wasm).
  const select = (idx: number[]) => {
    const m = new Float32Array(idx.length * b);
    idx.forEach((n, i) => {
      m[i * b + n] = 1;
    });
    return tf.tensor2d(m, [idx.length, b]);
  };
  return tf.tidy(() => {
    const rows = tf.reshape(x, [b, -1]) as tf.Tensor2D;
    let noise: tf.Tensor | null = null;
    if (colourIdx.length > 0) {
      const sel = select(colourIdx);
      const xs = colourIdx.length === b ? x : tf.reshape(tf.matMul(sel, rows), [colourIdx.length, h, w, 3]);
      const n = poissonNoiseOf(
        xs as tf.Tensor4D,
        poissonFields(params.seed, colourIdx, h, w, 3, 0),
        levels,
        sampling,
      );
      const flat = tf.reshape(n, [colourIdx.length, -1]) as tf.Tensor2D;
      noise = colourIdx.length === b ? flat : tf.matMul(sel, flat, true, false);
    }
    if (grayIdx.length > 0) {
      const sel = select(grayIdx);
      const xs = tf.reshape(grayIdx.length === b ? rows : tf.matMul(sel, rows), [-1, 3]) as tf.Tensor2D;
      const luma = tf.reshape(tf.matMul(xs, tf.tensor2d(LUMA_WEIGHTS as unknown as number[], [3, 1])), [
        grayIdx.length,
        h,
        w,
        1,
      ]) as tf.Tensor4D;
      const n1 = poissonNoiseOf(luma, poissonFields(params.seed, grayIdx, h, w, 1, 1), levels, sampling);
      const n3 = tf.reshape(tf.matMul(tf.reshape(n1, [-1, 1]), tf.ones([1, 3])), [
        grayIdx.length,
        -1,
      ]) as tf.Tensor2D;
      const spread = grayIdx.length === b ? n3 : tf.matMul(sel, n3, true, false);
      noise = noise ? tf.add(noise, spread) : spread;
    }
    return tf.mul(
      tf.reshape(noise as tf.Tensor, [b, h, w, 3]),
      tf.tensor4d(params.scale, [b, 1, 1, 1]),
    ) as tf.Tensor4D;
  });
}

/**
 * Adds the noise the params describe and clips to [0, 1] (no rounding):
 * out = clamp(x + n, 0, 1), n from `gaussianNoise` or `poissonNoise`.
 * @param x [B, H, W, 3] in [0, 1].
 *
 * **Deviations:** BasicSR's gray Gaussian noise reuses one random plane for the whole batch
 * (scaled per sample); here every gray sample has its own plane.
 */
export function addNoise(
  x: tf.Tensor4D,
  params: NoiseParams,
  sampling: PoissonSamplingOptions = {},
): tf.Tensor4D {
  assertRgbBatch('addNoise', 'x', x);
  return tf.tidy(() => {
    let n: tf.Tensor4D;
    if (params.type === 'gaussian') {
      n = gaussianNoise(x.shape as [number, number, number, number], params);
    } else if (params.type === 'poisson') {
      n = poissonNoise(x, params, sampling);
    } else {
      fail(
        'addNoise',
        `unknown noise type '${(params as { type: string }).type}'; expected gaussian or poisson`,
      );
    }
    return tf.clipByValue(tf.add(x, n), 0, 1) as tf.Tensor4D;
  });
}
