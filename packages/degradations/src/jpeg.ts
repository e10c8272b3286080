/**
 * JPEG compression as tensor ops (BasicSR's DiffJPEG; method.md §6.2 steps 4 and 6):
 *   RGB → YCbCr → (4:2:0: Cb, Cr averaged over 2×2) → 8×8 blocks − 128 → DCT (one 64×64 matmul)
 *   → C / Q → round → · Q → inverse DCT → + 128 → chroma repeated 2×2 → RGB → clamp [0, 255].
 * Q is the per-sample table for that sample's quality. Runs batched on any backend, no read-back.
 */
import * as tf from '@tensorflow/tfjs-core';
import {
  blockDctMatrix,
  type JpegTableMode,
  jpegQuantTable,
  RGB_TO_YCBCR,
  YCBCR_TO_RGB,
} from './jpeg-tables.js';
import { applyTaps2d, type TapTable, tapTable } from './resample.js';
import { resizeTaps } from './resize.js';
import { assertRgbBatch, fail } from './validate.js';

export interface JpegOptions {
  /** 4:2:0 chroma subsampling (BasicSR, and most encoders). false gives 4:4:4. Default true. */
  chromaSubsampling?: boolean;
  /**
   * Rounding with a straight-through gradient (identity backward). Default false: plain rounding,
   * whose gradient is 0 (BasicSR `DiffJPEG(differentiable=False)`, as Real-ESRGAN uses it).
   */
  straightThrough?: boolean;
  /** Quantisation tables: 'ijg' (libjpeg, default) or 'basicsr'; see `JpegTableMode`. */
  tables?: JpegTableMode;
}

export const DEFAULT_JPEG_OPTIONS: Required<JpegOptions> = {
  chromaSubsampling: true,
  straightThrough: false,
  tables: 'ijg',
};

const roundStraightThrough = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => ({
  value: tf.round(args[0] as tf.Tensor),
  gradFunc: (dy: tf.Tensor) => dy,
})) as (x: tf.Tensor) => tf.Tensor;

/** Selection table: output o reads input index(o) with weight 1 (edge padding, crops, nearest ×2). */
function selectTable(inSize: number, outSize: number, index: (o: number) => number): TapTable {
  return tapTable(
    inSize,
    Array.from({ length: outSize }, (_, o) => [[index(o), 1] as [number, number]]),
  );
}

/**
 * Quantises the 8×8 DCT of planes [B, h, w, ch] (h, w multiples of 8, values level-shifted by −128)
 * with per-sample tables q [B, 64] and returns the reconstruction, same shape.
 */
function codePlanes(
  planes: tf.Tensor4D,
  q: tf.Tensor2D,
  dct: tf.Tensor2D,
  straightThrough: boolean,
): tf.Tensor4D {
  const [b, h, w, ch] = planes.shape;
  const nb = ch * (h / 8) * (w / 8);
  const blocks = tf.reshape(
    tf.transpose(
      tf.reshape(tf.transpose(planes, [0, 3, 1, 2]), [b, ch, h / 8, 8, w / 8, 8]),
      [0, 1, 2, 4, 3, 5],
    ),
    [b * nb, 64],
  );
  const coeffs = tf.reshape(tf.matMul(blocks, dct), [b, nb, 64]);
  const table = tf.reshape(q, [b, 1, 64]);
  const scaled = tf.div(coeffs, table);
  const rounded = straightThrough ? roundStraightThrough(scaled) : tf.round(scaled);
  const rec = tf.matMul(tf.reshape(tf.mul(rounded, table), [b * nb, 64]), dct, false, true);
  const img = tf.transpose(tf.reshape(rec, [b, ch, h / 8, w / 8, 8, 8]), [0, 1, 2, 4, 3, 5]);
  return tf.transpose(tf.reshape(img, [b, ch, h, w]), [0, 2, 3, 1]) as tf.Tensor4D;
}

/**
 * JPEG-compresses and decompresses each sample at its own quality.
 * @param x [B, H, W, 3] RGB in [0, 1] (values outside are clamped first). Any H, W.
 * @param quality one quality in [1, 100] for all samples, or one per sample.
 * @returns [B, H, W, 3] in [0, 1] (float; not rounded to 8 bit).
 *
 * **Deviations:** (1) default tables follow libjpeg exactly (integer, clamped to [1, 255], standard
 * orientation) so results agree with real codecs; `tables: 'basicsr'` reproduces BasicSR's
 * continuous, transposed-luma tables. (2) Sizes that are not multiples of the MCU (16 with 4:2:0,
 * else 8) are padded by repeating the edge, like real encoders; BasicSR pads with zeros.
 */
export function jpegCompress(
  x: tf.Tensor4D,
  quality: number | readonly number[],
  options: JpegOptions = {},
): tf.Tensor4D {
  const fn = 'jpegCompress';
  assertRgbBatch(fn, 'x', x);
  const opts = { ...DEFAULT_JPEG_OPTIONS, ...options };
  const [b, h, w] = x.shape;
  const qs = typeof quality === 'number' ? new Array<number>(b).fill(quality) : [...quality];
  if (qs.length !== b) fail(fn, `'quality' must have one entry per sample (${b}), got ${qs.length}`);
  for (const [i, q] of qs.entries()) {
    if (!Number.isFinite(q) || q < 1 || q > 100) fail(fn, `'quality[${i}]' must be in [1, 100], got ${q}`);
  }
  const lumaQ = new Float32Array(b * 64);
  const chromaQ = new Float32Array(b * 64);
  qs.forEach((q, i) => {
    lumaQ.set(jpegQuantTable(q, 'luma', opts.tables), i * 64);
    chromaQ.set(jpegQuantTable(q, 'chroma', opts.tables), i * 64);
  });
  const mcu = opts.chromaSubsampling ? 16 : 8;
  const hp = Math.ceil(h / mcu) * mcu;
  const wp = Math.ceil(w / mcu) * mcu;
  // Every resampling-like step (edge padding, 2×2 chroma average, nearest ×2, crop) is a matmul
  // (applyTaps2d), and channels are split and merged by matmuls: no slice / tile / concat, which
  // copy whole tensors on wasm, and every step has a gradient.
  return tf.tidy(() => {
    const dct = tf.tensor2d(blockDctMatrix(), [64, 64]);
    let rgb = tf.mul(tf.clipByValue(x, 0, 1), 255) as tf.Tensor4D;
    if (hp !== h || wp !== w) {
      rgb = applyTaps2d(
        rgb,
        selectTable(h, hp, (o) => Math.min(o, h - 1)),
        selectTable(w, wp, (o) => Math.min(o, w - 1)),
      );
    }
    const flat = tf.reshape(rgb, [-1, 3]);
    const m = RGB_TO_YCBCR;
    // Y − 128 (the DCT level shift) and the centred chroma Cb − 128, Cr − 128.
    const y = tf.reshape(tf.sub(tf.matMul(flat, tf.tensor2d([m[0], m[1], m[2]], [3, 1])), 128), [
      b,
      hp,
      wp,
      1,
    ]);
    let c = tf.reshape(tf.matMul(flat, tf.tensor2d([m[3], m[6], m[4], m[7], m[5], m[8]], [3, 2])), [
      b,
      hp,
      wp,
      2,
    ]);
    if (opts.chromaSubsampling) {
      c = applyTaps2d(c as tf.Tensor4D, resizeTaps(hp, hp / 2, 'area'), resizeTaps(wp, wp / 2, 'area'));
    }
    const yRec = codePlanes(y as tf.Tensor4D, tf.tensor2d(lumaQ, [b, 64]), dct, opts.straightThrough);
    let cRec = codePlanes(c as tf.Tensor4D, tf.tensor2d(chromaQ, [b, 64]), dct, opts.straightThrough);
    if (opts.chromaSubsampling) {
      cRec = applyTaps2d(
        cRec,
        selectTable(hp / 2, hp, (o) => o >> 1),
        selectTable(wp / 2, wp, (o) => o >> 1),
      );
    }
    const r = YCBCR_TO_RGB;
    const fromY = tf.matMul(tf.reshape(tf.add(yRec, 128), [-1, 1]), tf.tensor2d([r[0], r[3], r[6]], [1, 3]));
    const fromC = tf.matMul(
      tf.reshape(cRec, [-1, 2]),
      tf.tensor2d([r[1], r[4], r[7], r[2], r[5], r[8]], [2, 3]),
    );
    let out = tf.reshape(tf.add(fromY, fromC), [b, hp, wp, 3]) as tf.Tensor4D;
    if (hp !== h || wp !== w) {
      out = applyTaps2d(
        out,
        selectTable(hp, h, (o) => o),
        selectTable(wp, w, (o) => o),
      );
    }
    return tf.div(tf.clipByValue(out, 0, 255), 255) as tf.Tensor4D;
  });
}
