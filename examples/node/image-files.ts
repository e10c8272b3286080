/**
 * Image files <-> tensors for the examples, with sharp: [1, H, W, 3] float32 in [0, 1].
 * (The `ctmsr` umbrella has its own, fuller image I/O; these examples that use one building block
 * alone keep to sharp and tfjs-core.)
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import sharp from 'sharp';

export interface ReadOptions {
  /** Crop the top-left corner so that height and width are multiples of this (default 1). */
  multiple?: number;
}

/** Reads an image file as RGB, [1, H, W, 3] float32 in [0, 1]. */
export async function readRgb(path: string, options: ReadOptions = {}): Promise<tf.Tensor4D> {
  const m = options.multiple ?? 1;
  const { data, info } = await sharp(path)
    .rotate()
    .removeAlpha()
    .toColourspace('srgb')
    .raw()
    .toBuffer({ resolveWithObject: true });
  const h = info.height - (info.height % m);
  const w = info.width - (info.width % m);
  if (h === 0 || w === 0) {
    throw new Error(`readRgb: '${path}' is ${info.width}x${info.height}, smaller than the multiple ${m}`);
  }
  return tf.tidy(() => {
    const full = tf.tensor4d(new Uint8Array(data), [1, info.height, info.width, 3], 'int32');
    return tf.div(tf.slice(full, [0, 0, 0, 0], [1, h, w, 3]), 255) as tf.Tensor4D;
  });
}

/** Writes a [1, H, W, 3] or [H, W, 3] tensor in [0, 1] (clamped) as an 8-bit PNG. */
export async function writePng(image: tf.Tensor, path: string): Promise<void> {
  const rgb = tf.tidy(() => {
    const t = image.rank === 4 ? tf.squeeze(image, [0]) : image;
    return tf.cast(tf.round(tf.mul(tf.clipByValue(t, 0, 1), 255)), 'int32');
  });
  const [h, w, c] = rgb.shape;
  const bytes = Uint8Array.from(await rgb.data());
  rgb.dispose();
  await mkdir(dirname(path), { recursive: true });
  await writeFile(
    path,
    await sharp(bytes, { raw: { width: w, height: h, channels: c as 3 } })
      .png()
      .toBuffer(),
  );
}

/** Side by side, left to right, with a `gap`-pixel white margin: [1, H, sum W + gaps, 3]. */
export function hstack(images: tf.Tensor4D[], gap = 4): tf.Tensor4D {
  return tf.tidy(() => {
    const h = images[0].shape[1];
    const parts: tf.Tensor4D[] = [];
    images.forEach((img, i) => {
      if (img.shape[1] !== h) throw new Error(`hstack: image ${i} is ${img.shape[1]} high, expected ${h}`);
      if (i > 0 && gap > 0) parts.push(tf.ones([1, h, gap, 3]));
      parts.push(img);
    });
    return tf.concat(parts, 2) as tf.Tensor4D;
  });
}

/** Nearest-neighbour enlargement by an integer factor (to show a small LR image beside its HR). */
export function enlargeNearest(image: tf.Tensor4D, factor: number): tf.Tensor4D {
  const [, h, w] = image.shape;
  return tf.tidy(() => tf.image.resizeNearestNeighbor(image, [h * factor, w * factor]) as tf.Tensor4D);
}

/** True when this module file is the script node/tsx was started with. */
export function isMain(importMetaUrl: string): boolean {
  const arg = process.argv[1];
  return arg != null && fileURLToPath(importMetaUrl) === resolve(arg);
}
