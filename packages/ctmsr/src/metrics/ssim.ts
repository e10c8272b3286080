/**
 * Structural similarity (Wang et al. 2004, the MATLAB `ssim_index` used by SR papers; BasicSR
 * `calculate_ssim`), on the [0, 255] scale:
 *   w = 11x11 Gaussian, sigma 1.5, normalised; filtering 'valid' (no padding)
 *   mu_a = w * a, mu_b = w * b, s_a = w * a^2 - mu_a^2, s_b = w * b^2 - mu_b^2, s_ab = w * ab - mu_a mu_b
 *   SSIM = mean( (2 mu_a mu_b + C1)(2 s_ab + C2) / ((mu_a^2 + mu_b^2 + C1)(s_a + s_b + C2)) )
 *   C1 = (0.01 * 255)^2, C2 = (0.03 * 255)^2
 * RGB: the mean of the three channels' SSIM. Batches give the mean over images.
 */
import {
  averageMetric,
  averageMetricPixels,
  type MetricImage,
  type MetricOptions,
  type PixelImage,
  type Planes,
} from './metric-image.js';

export const SSIM_WINDOW = 11;
export const SSIM_SIGMA = 1.5;
export const SSIM_K1 = 0.01;
export const SSIM_K2 = 0.03;

/** The normalised 1-D Gaussian whose outer product is the SSIM window. */
export function gaussianTaps(size = SSIM_WINDOW, sigma = SSIM_SIGMA): Float64Array {
  const taps = new Float64Array(size);
  const c = (size - 1) / 2;
  let sum = 0;
  for (let i = 0; i < size; i++) {
    taps[i] = Math.exp(-((i - c) ** 2) / (2 * sigma * sigma));
    sum += taps[i];
  }
  for (let i = 0; i < size; i++) taps[i] /= sum;
  return taps;
}

/** 'valid' separable filtering of an h x w plane: returns (h-k+1) x (w-k+1). */
function filterValid(src: Float64Array, h: number, w: number, taps: Float64Array): Float64Array {
  const k = taps.length;
  const oh = h - k + 1;
  const ow = w - k + 1;
  const rows = new Float64Array(h * ow);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < ow; x++) {
      let s = 0;
      for (let t = 0; t < k; t++) s += taps[t] * src[y * w + x + t];
      rows[y * ow + x] = s;
    }
  }
  const out = new Float64Array(oh * ow);
  for (let y = 0; y < oh; y++) {
    for (let x = 0; x < ow; x++) {
      let s = 0;
      for (let t = 0; t < k; t++) s += taps[t] * rows[(y + t) * ow + x];
      out[y * ow + x] = s;
    }
  }
  return out;
}

function ssimOfPlane(a: Float64Array, b: Float64Array, h: number, w: number): number {
  const taps = gaussianTaps();
  if (h < taps.length || w < taps.length) {
    throw new Error(
      `ssim: images must be at least ${taps.length}x${taps.length} after cropping, got ${h}x${w}`,
    );
  }
  const c1 = (SSIM_K1 * 255) ** 2;
  const c2 = (SSIM_K2 * 255) ** 2;
  const prod = (p: Float64Array, q: Float64Array) => p.map((v, i) => v * q[i]);
  const muA = filterValid(a, h, w, taps);
  const muB = filterValid(b, h, w, taps);
  const aa = filterValid(prod(a, a), h, w, taps);
  const bb = filterValid(prod(b, b), h, w, taps);
  const ab = filterValid(prod(a, b), h, w, taps);
  let sum = 0;
  for (let i = 0; i < muA.length; i++) {
    const ma = muA[i];
    const mb = muB[i];
    const sa = aa[i] - ma * ma;
    const sb = bb[i] - mb * mb;
    const sab = ab[i] - ma * mb;
    sum += ((2 * ma * mb + c1) * (2 * sab + c2)) / ((ma * ma + mb * mb + c1) * (sa + sb + c2));
  }
  return sum / muA.length;
}

function ssimOfPlanes(a: Planes, b: Planes): number {
  let s = 0;
  for (let k = 0; k < a.planes.length; k++) s += ssimOfPlane(a.planes[k], b.planes[k], a.height, a.width);
  return s / a.planes.length;
}

/** SSIM of two images in [0, 1] (tensors or pixel arrays; see metric-image.ts for options). */
export function ssim(a: MetricImage, b: MetricImage, options: MetricOptions = {}): Promise<number> {
  return averageMetric('ssim', a, b, options, ssimOfPlanes);
}

/** Synchronous SSIM for interleaved arrays ({ data, height, width, channels }, values in [0, 1]). */
export function ssimPixels(a: PixelImage, b: PixelImage, options: MetricOptions = {}): number {
  return averageMetricPixels('ssimPixels', a, b, options, ssimOfPlanes);
}
