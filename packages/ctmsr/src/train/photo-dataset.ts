/**
 * Training photographs from a folder, held in memory as 8-bit RGB, and seeded random HR crops.
 *
 * Crops: position and one of the 8 dihedral transforms (flips / 90-degree rotations, when
 * `augment` is on) are pure functions of (seed, iteration, sample), so a resumed run sees exactly
 * the batches of an uninterrupted one. Images smaller than the crop are reflect-padded
 * (BORDER_REFLECT_101, as the reference dataset does, method.md §2.3).
 */
import { readdir, readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { deriveSeed } from '@ctmsr/pf-ode';
import * as tf from '@tensorflow/tfjs-core';

export const IMAGE_EXTENSIONS = ['.png', '.jpg', '.jpeg', '.webp'];

export interface RgbImage {
  name: string;
  width: number;
  height: number;
  /** Interleaved RGB, 8 bits, row-major. */
  data: Uint8Array;
}

/** Stream ids of the data draws (see `deriveSeed`). */
const STREAM = { image: 101, x: 102, y: 103, transform: 104 } as const;

/** Decodes one image file to 8-bit RGB with sharp (EXIF orientation applied, alpha dropped). */
export async function readRgbImage(path: string): Promise<RgbImage> {
  const { default: sharp } = await import('sharp');
  const buf = await readFile(path);
  const { data, info } = await sharp(buf)
    .rotate()
    .removeAlpha()
    .toColourspace('srgb')
    .raw()
    .toBuffer({ resolveWithObject: true });
  if (info.channels !== 3)
    throw new Error(`readRgbImage: ${path}: expected 3 channels after conversion, got ${info.channels}`);
  return {
    name: path,
    width: info.width,
    height: info.height,
    data: new Uint8Array(data.buffer, data.byteOffset, data.length),
  };
}

/** Lists image files (by extension) in a folder, sorted by name. */
export async function listImages(dir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (err) {
    throw new Error(`listImages: cannot read folder '${dir}': ${(err as Error).message}`);
  }
  return names
    .filter((n) => IMAGE_EXTENSIONS.includes(extname(n).toLowerCase()))
    .sort()
    .map((n) => join(dir, n));
}

/** Reflect-101 index into [0, n). */
function reflect(i: number, n: number): number {
  if (n === 1) return 0;
  const period = 2 * (n - 1);
  let j = ((i % period) + period) % period;
  if (j >= n) j = period - j;
  return j;
}

export class PhotoDataset {
  private constructor(
    readonly images: RgbImage[],
    readonly skipped: { path: string; reason: string }[],
  ) {}

  /** Loads every readable image of `dir`; unreadable files are skipped and reported. */
  static async fromFolder(dir: string): Promise<PhotoDataset> {
    const paths = await listImages(dir);
    const images: RgbImage[] = [];
    const skipped: { path: string; reason: string }[] = [];
    for (const p of paths) {
      try {
        images.push(await readRgbImage(p));
      } catch (err) {
        skipped.push({ path: p, reason: (err as Error).message.split('\n')[0] });
      }
    }
    if (images.length === 0) throw new Error(`PhotoDataset: no readable image in '${dir}'`);
    return new PhotoDataset(images, skipped);
  }

  static fromImages(images: RgbImage[]): PhotoDataset {
    if (images.length === 0) throw new Error('PhotoDataset: no images');
    return new PhotoDataset(images, []);
  }

  /**
   * The HR batch of iteration k: [B, crop, crop, 3] float32 in [0, 1].
   * Sample b uses image deriveSeed(seed, k, image, b) mod count, a uniform crop position and,
   * with `augment`, one of 8 dihedral transforms.
   */
  batch(k: number, seed: number, batchSize: number, crop: number, augment: boolean): tf.Tensor4D {
    const out = new Float32Array(batchSize * crop * crop * 3);
    for (let b = 0; b < batchSize; b++) {
      const img = this.images[deriveSeed(seed, k, STREAM.image, b) % this.images.length];
      const rangeY = Math.max(1, img.height - crop + 1);
      const rangeX = Math.max(1, img.width - crop + 1);
      const y0 = deriveSeed(seed, k, STREAM.y, b) % rangeY;
      const x0 = deriveSeed(seed, k, STREAM.x, b) % rangeX;
      const t = augment ? deriveSeed(seed, k, STREAM.transform, b) % 8 : 0;
      const base = b * crop * crop * 3;
      for (let i = 0; i < crop; i++) {
        for (let j = 0; j < crop; j++) {
          // Dihedral transform of the output coordinate (transpose, then flips).
          let si = t & 4 ? j : i;
          let sj = t & 4 ? i : j;
          if (t & 1) si = crop - 1 - si;
          if (t & 2) sj = crop - 1 - sj;
          const yy = reflect(y0 + si, img.height);
          const xx = reflect(x0 + sj, img.width);
          const src = (yy * img.width + xx) * 3;
          const dst = base + (i * crop + j) * 3;
          out[dst] = img.data[src] / 255;
          out[dst + 1] = img.data[src + 1] / 255;
          out[dst + 2] = img.data[src + 2] / 255;
        }
      }
    }
    return tf.tensor4d(out, [batchSize, crop, crop, 3]);
  }
}
