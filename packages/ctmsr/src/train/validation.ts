/**
 * Validation during training: held-out whole photographs (center-cropped to `validation.crop`
 * HR pixels for speed), LR by MATLAB-style bicubic x`scale` + 8-bit quantisation, one-step SR
 * with the EMA weights and a fixed noise seed; PSNR/SSIM on the Y channel (BT.601), `scale`-pixel
 * border excluded, against the bicubic baseline u. Writes a sample grid PNG
 * (LR nearest | bicubic | CTMSR | HR) per validation.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { imresize, quantize8bit } from '@ctmsr/degradations';
import {
  bicubicUpsample,
  fromUnitRange,
  initialState,
  precondition,
  seededNormal,
  toUnitRange,
} from '@ctmsr/pf-ode';
import type { SrUnet } from '@ctmsr/sr-unet';
import * as tf from '@tensorflow/tfjs-core';
import { psnr, ssim } from '../metrics/index.js';
import { writeFileAtomic } from './checkpoint.js';
import type { TrainConfig } from './config.js';
import type { PhotoDataset, RgbImage } from './photo-dataset.js';

export interface ValidationResult {
  step: number;
  images: number;
  psnrY: number;
  ssimY: number;
  bicubicPsnrY: number;
  bicubicSsimY: number;
  perImage: { name: string; psnrY: number; bicubicPsnrY: number }[];
}

/** Center crop of an 8-bit image to a square `size` (or the largest multiple of `multiple` that fits). */
export function centerCrop(img: RgbImage, size: number, multiple: number): tf.Tensor4D {
  const side = Math.min(size, img.width - (img.width % multiple), img.height - (img.height % multiple));
  const y0 = Math.floor((img.height - side) / 2);
  const x0 = Math.floor((img.width - side) / 2);
  const out = new Float32Array(side * side * 3);
  for (let i = 0; i < side; i++) {
    for (let j = 0; j < side; j++) {
      const s = ((y0 + i) * img.width + x0 + j) * 3;
      const d = (i * side + j) * 3;
      out[d] = img.data[s] / 255;
      out[d + 1] = img.data[s + 1] / 255;
      out[d + 2] = img.data[s + 2] / 255;
    }
  }
  return tf.tensor4d(out, [1, side, side, 3]);
}

/** One-step SR of `lq01` ([1,h,w,3] in [0,1]) with fixed noise; returns [0,1] clamped. */
export function superResolve(
  net: SrUnet,
  lq01: tf.Tensor4D,
  scale: number,
  sigmaMax: number,
  seed: number,
  sigmaScale = 0.1,
): tf.Tensor4D {
  return tf.tidy(() => {
    const lq = fromUnitRange(lq01);
    const u = bicubicUpsample(lq, scale);
    const eps = seededNormal(u.shape, seed) as tf.Tensor4D;
    const d = precondition(net.rawNetwork({ training: false }), { sigmaScale });
    return toUnitRange(d(initialState(u, sigmaMax, eps), lq, sigmaMax));
  });
}

async function writeGrid(rows: tf.Tensor4D[][], path: string): Promise<void> {
  const { default: sharp } = await import('sharp');
  const grid = tf.tidy(() =>
    tf.concat(
      rows.map((r) => tf.concat(r, 2)),
      1,
    ),
  );
  const [, h, w] = grid.shape;
  const data = await grid.data();
  grid.dispose();
  const bytes = Uint8Array.from(data, (v) => Math.round(Math.min(1, Math.max(0, v)) * 255));
  const png = await sharp(bytes, { raw: { width: w, height: h, channels: 3 } })
    .png()
    .toBuffer();
  await writeFileAtomic(path, png);
}

export async function validate(
  net: SrUnet,
  valSet: PhotoDataset,
  config: TrainConfig,
  step: number,
  samplesDir: string,
): Promise<ValidationResult> {
  const scale = config.data.scale;
  const multiple = scale * net.requiredMultiple();
  const perImage: ValidationResult['perImage'] = [];
  const sums = { psnrY: 0, ssimY: 0, bicubicPsnrY: 0, bicubicSsimY: 0 };
  const rows: tf.Tensor4D[][] = [];
  const images = valSet.images.slice(0, config.validation.maxImages);
  for (const [i, img] of images.entries()) {
    const hr = centerCrop(img, config.validation.crop, multiple);
    const lq = tf.tidy(() => quantize8bit(tf.clipByValue(imresize(hr, 1 / scale), 0, 1)) as tf.Tensor4D);
    const bic = tf.tidy(() => tf.clipByValue(bicubicUpsample(lq, scale), 0, 1) as tf.Tensor4D);
    const sr = superResolve(
      net,
      lq,
      scale,
      config.ct.sigmaMax,
      config.validation.seed + i,
      config.ct.sigmaScale,
    );
    const opts = { yChannel: true, crop: scale };
    const p = await psnr(sr, hr, opts);
    const s = await ssim(sr, hr, opts);
    const pb = await psnr(bic, hr, opts);
    const sb = await ssim(bic, hr, opts);
    sums.psnrY += p;
    sums.ssimY += s;
    sums.bicubicPsnrY += pb;
    sums.bicubicSsimY += sb;
    perImage.push({ name: img.name, psnrY: p, bicubicPsnrY: pb });
    if (rows.length < 3) {
      const near = tf.tidy(
        () => tf.image.resizeNearestNeighbor(lq, [hr.shape[1], hr.shape[2]]) as tf.Tensor4D,
      );
      const size = Math.min(config.validation.crop, 192);
      const cut = (t: tf.Tensor4D) => tf.slice(t, [0, 0, 0, 0], [1, size, size, 3]) as tf.Tensor4D;
      rows.push([cut(near), cut(bic), cut(sr), cut(hr)]);
      near.dispose();
    }
    tf.dispose([hr, lq, bic, sr]);
  }
  await mkdir(samplesDir, { recursive: true });
  if (rows.length > 0 && rows.every((r) => r[0].shape[1] === rows[0][0].shape[1])) {
    await writeGrid(rows, join(samplesDir, `step-${String(step).padStart(6, '0')}.png`));
  }
  for (const r of rows) tf.dispose(r);
  const n = Math.max(1, images.length);
  return {
    step,
    images: images.length,
    psnrY: sums.psnrY / n,
    ssimY: sums.ssimY / n,
    bicubicPsnrY: sums.bicubicPsnrY / n,
    bicubicSsimY: sums.bicubicSsimY / n,
    perImage,
  };
}
