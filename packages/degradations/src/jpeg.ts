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

/** Replicates the last row / column to grow [B, H, W, C] to [B, H + dh, W + dw, C]. */
function edgePad(x: tf.Tensor4D, dh: number, dw: number): tf.Tensor4D {
  let y = x;
  if (dh > 0) {
    const last = tf.slice(y, [0, y.shape[1] - 1, 0, 0], [-1, 1, -1, -1]);
    y = tf.concat([y, tf.tile(last, [1, dh, 1, 1])], 1);
  }
  if (dw > 0) {
    const last = tf.slice(y, [0, 0, y.shape[2] - 1, 0], [-1, -1, 1, -1]);
    y = tf.concat([y, tf.tile(last, [1, 1, dw, 1])], 2);
  }
  return y;
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
  return tf.tidy(() => {
    const dct = tf.tensor2d(blockDctMatrix(), [64, 64]);
    const rgb = edgePad(tf.mul(tf.clipByValue(x, 0, 1), 255) as tf.Tensor4D, hp - h, wp - w);
    const toYcc = tf.transpose(tf.tensor2d(RGB_TO_YCBCR as number[], [3, 3]));
    // Level shift folded in: Y − 128, Cb, Cr (the +128 chroma offset cancels the −128 DCT shift).
    const ycc = tf.reshape(tf.sub(tf.matMul(tf.reshape(rgb, [-1, 3]), toYcc), tf.tensor1d([128, 0, 0])), [
      b,
      hp,
      wp,
      3,
    ]);
    const y = tf.slice(ycc, [0, 0, 0, 0], [-1, -1, -1, 1]) as tf.Tensor4D;
    let c = tf.slice(ycc, [0, 0, 0, 1], [-1, -1, -1, 2]) as tf.Tensor4D;
    if (opts.chromaSubsampling) {
      c = tf.mean(tf.reshape(c, [b, hp / 2, 2, wp / 2, 2, 2]), [2, 4]) as tf.Tensor4D;
    }
    const yRec = codePlanes(y, tf.tensor2d(lumaQ, [b, 64]), dct, opts.straightThrough);
    let cRec = codePlanes(c, tf.tensor2d(chromaQ, [b, 64]), dct, opts.straightThrough);
    if (opts.chromaSubsampling) {
      const [, hc, wc] = cRec.shape;
      // Nearest 2× up-sampling with rank <= 4 tiles (tile has gradients only up to rank 4).
      const cols = tf.tile(tf.reshape(cRec, [b * hc, wc, 1, 2]), [1, 1, 2, 1]);
      cRec = tf.reshape(tf.tile(tf.reshape(cols, [b * hc, 1, wp * 2]), [1, 2, 1]), [b, hp, wp, 2]);
    }
    const yccRec = tf.add(tf.concat([yRec, cRec], 3), tf.tensor1d([128, 0, 0]));
    const toRgb = tf.transpose(tf.tensor2d(YCBCR_TO_RGB as number[], [3, 3]));
    const out = tf.reshape(tf.matMul(tf.reshape(yccRec, [-1, 3]), toRgb), [b, hp, wp, 3]);
    const cropped = hp === h && wp === w ? out : tf.slice(out, [0, 0, 0, 0], [b, h, w, 3]);
    return tf.div(tf.clipByValue(cropped, 0, 255), 255) as tf.Tensor4D;
  });
}
