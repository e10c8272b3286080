/**
 * Peak signal-to-noise ratio on the [0, 255] scale (method.md §7.2; BasicSR `calculate_psnr`):
 *   PSNR = 10 log10(255^2 / MSE),  MSE over all compared values (Y, or R, G and B together).
 * Identical images give +Infinity. Batches give the mean over images.
 */
import {
  averageMetric,
  averageMetricPixels,
  type MetricImage,
  type MetricOptions,
  type PixelImage,
  type Planes,
} from './metric-image.js';

function psnrOfPlanes(a: Planes, b: Planes): number {
  let sum = 0;
  let n = 0;
  for (let k = 0; k < a.planes.length; k++) {
    const pa = a.planes[k];
    const pb = b.planes[k];
    for (let i = 0; i < pa.length; i++) {
      const d = pa[i] - pb[i];
      sum += d * d;
    }
    n += pa.length;
  }
  const mse = sum / n;
  return mse === 0 ? Number.POSITIVE_INFINITY : 10 * Math.log10((255 * 255) / mse);
}

/** PSNR of two images in [0, 1] (tensors or pixel arrays; see metric-image.ts for options). */
export function psnr(a: MetricImage, b: MetricImage, options: MetricOptions = {}): Promise<number> {
  return averageMetric('psnr', a, b, options, psnrOfPlanes);
}

/** Synchronous PSNR for interleaved arrays ({ data, height, width, channels }, values in [0, 1]). */
export function psnrPixels(a: PixelImage, b: PixelImage, options: MetricOptions = {}): number {
  return averageMetricPixels('psnrPixels', a, b, options, psnrOfPlanes);
}
