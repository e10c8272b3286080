/**
 * The degradation pipelines: Real-ESRGAN's second-order model with CTMSR's settings
 * (method.md §6.2) applied from sampled params, and the classic bicubic degradation of SR
 * benchmarks. Both return the LR image and its bicubic up-sampling u at HR size, in [0, 1]
 * (`toSymmetricRange` maps them to the trainer's [−1, 1]).
 */
import * as tf from '@tensorflow/tfjs-core';
import { filter2d } from './filter2d.js';
import { imresize } from './imresize.js';
import { jpegCompress } from './jpeg.js';
import { renderKernel } from './kernels.js';
import { addNoise } from './noise.js';
import { resize } from './resize.js';
import type { DegradationParams, ResizeParams } from './sample-params.js';
import { assertRgbBatch, fail } from './validate.js';
import { quantize8bit } from './value-range.js';

/** LR image and its bicubic up-sampling, both in [0, 1] and rounded to 8 bit. */
export interface DegradationResult {
  /** [B, H/s, W/s, 3]. */
  lq: tf.Tensor4D;
  /** [B, H, W, 3]: bicubic ×s (PyTorch bicubic) of the LR before its 8-bit rounding, then rounded. */
  u: tf.Tensor4D;
}

function applyResize(x: tf.Tensor4D, r: ResizeParams): tf.Tensor4D {
  if (r.scaleFactor != null) {
    const [h, w] = r.size;
    if (
      h !== Math.max(1, Math.floor(x.shape[1] * r.scaleFactor)) ||
      w !== Math.max(1, Math.floor(x.shape[2] * r.scaleFactor))
    ) {
      fail(
        'realEsrganDegrade',
        `resize size [${r.size}] does not match scale factor ${r.scaleFactor} of [${x.shape[1]}, ${x.shape[2]}]`,
      );
    }
    return resize(x, { scaleFactor: r.scaleFactor }, r.mode);
  }
  return resize(x, { size: r.size }, r.mode);
}

function checkParams(hr: tf.Tensor4D, p: DegradationParams): void {
  const fn = 'realEsrganDegrade';
  if (p == null || p.version !== 1)
    fail(fn, `'params' must come from sampleDegradationParams (version 1), got version ${p?.version}`);
  const [b, h, w] = hr.shape;
  if (![2, 3, 4].includes(p.scale)) fail(fn, `'params.scale' must be 2, 3 or 4, got ${p.scale}`);
  if (h % p.scale !== 0 || w % p.scale !== 0) {
    fail(fn, `HR size ${h}x${w} must be divisible by the scale ${p.scale}`);
  }
  if (b !== p.batchSize || h !== p.hrSize[0] || w !== p.hrSize[1]) {
    fail(
      fn,
      `'hr' is [${b}, ${h}, ${w}, 3] but the params were sampled for [${p.batchSize}, ${p.hrSize[0]}, ${p.hrSize[1]}, 3]`,
    );
  }
}

/**
 * Applies the Real-ESRGAN second-order degradation described by `params` (method.md §6.2):
 * 1. blur with kernel1; 2. resize; 3. noise, clip; 4. JPEG (after clamping);
 * 5. (gate) blur with kernel2 (gate), resize to (H/s·s2, W/s·s2), noise, clip;
 * 6. either [resize to H/s → final sinc → JPEG] or [JPEG → resize to H/s → final sinc];
 * 7. lq = round-and-clamp(out); 8. u = round-and-clamp(bicubic ×s of the unrounded out).
 * Deterministic: the same (hr, params) give the same pixels on every backend (to float32 rounding).
 * @param hr [B, H, W, 3] in [0, 1], H and W divisible by `params.scale`.
 *
 * **Deviations:** see `poissonNoise`, `addNoise`, `jpegCompress`, `filter2d` and `resize`; the
 * pipeline itself follows BasicSR's `RealESRGANModel.feed_data` with CTMSR's second-order gate.
 */
export function realEsrganDegrade(hr: tf.Tensor4D, params: DegradationParams): DegradationResult {
  const fn = 'realEsrganDegrade';
  assertRgbBatch(fn, 'hr', hr);
  checkParams(hr, params);
  const [, h, w] = hr.shape;
  const s = params.scale;
  const lrSize: [number, number] = [h / s, w / s];
  const jpegOpts = { chromaSubsampling: params.jpeg.chromaSubsampling, tables: params.jpeg.tables };
  const jpeg = (x: tf.Tensor4D, q: number[]) =>
    jpegCompress(tf.clipByValue(x, 0, 1) as tf.Tensor4D, q, jpegOpts);
  return tf.tidy(() => {
    // Stage 1.
    let out = filter2d(hr, params.stage1.kernels.map(renderKernel));
    out = applyResize(out, params.stage1.resize);
    out = addNoise(out, params.stage1.noise);
    out = jpeg(out, params.stage1.jpegQuality);
    // Stage 2.
    const s2 = params.stage2;
    if (s2) {
      if (s2.kernels) out = filter2d(out, s2.kernels.map(renderKernel));
      out = applyResize(out, s2.resize);
      out = addNoise(out, s2.noise);
    }
    // Final stage.
    const f = params.final;
    const sinc = f.sincKernels.map(renderKernel);
    if (f.order === 'resize-sinc-jpeg') {
      out = resize(out, { size: lrSize }, f.resizeMode);
      out = filter2d(out, sinc);
      out = jpeg(out, f.jpegQuality);
    } else if (f.order === 'jpeg-resize-sinc') {
      out = jpeg(out, f.jpegQuality);
      out = resize(out, { size: lrSize }, f.resizeMode);
      out = filter2d(out, sinc);
    } else {
      fail(fn, `'params.final.order' must be 'resize-sinc-jpeg' or 'jpeg-resize-sinc', got '${f.order}'`);
    }
    const lq = quantize8bit(out) as tf.Tensor4D;
    const u = quantize8bit(resize(out, { size: [h, w] }, 'bicubic')) as tf.Tensor4D;
    return { lq, u };
  });
}

/**
 * Classic benchmark degradation: lq = round-and-clamp(MATLAB `imresize(hr, 1/scale)`, bicubic,
 * antialiased), u = round-and-clamp(PyTorch bicubic ×scale of that 8-bit lq) — what a model sees
 * when it reads a benchmark's LR file.
 * @param hr [B, H, W, 3] in [0, 1], H and W divisible by `scale` (2, 3 or 4).
 */
export function bicubicDegrade(hr: tf.Tensor4D, scale: number): DegradationResult {
  const fn = 'bicubicDegrade';
  assertRgbBatch(fn, 'hr', hr);
  if (![2, 3, 4].includes(scale)) fail(fn, `'scale' must be 2, 3 or 4, got ${scale}`);
  const [, h, w] = hr.shape;
  if (h % scale !== 0 || w % scale !== 0)
    fail(fn, `HR size ${h}x${w} must be divisible by the scale ${scale}`);
  return tf.tidy(() => {
    const lq = quantize8bit(imresize(hr, 1 / scale, [h / scale, w / scale])) as tf.Tensor4D;
    const u = quantize8bit(resize(lq, { size: [h, w] }, 'bicubic')) as tf.Tensor4D;
    return { lq, u };
  });
}
