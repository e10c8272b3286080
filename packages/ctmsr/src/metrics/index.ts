/**
 * The image-quality metrics, gathered for the trainer's validation (`../metrics/index.js`).
 * The package's public barrel is src/index.ts; this module only re-exports the metric files.
 */
export type { MetricImage, MetricOptions } from './metric-image.js';
export { psnr, psnrPixels } from './psnr.js';
export { gaussianTaps, SSIM_K1, SSIM_K2, SSIM_SIGMA, SSIM_WINDOW, ssim, ssimPixels } from './ssim.js';
