/**
 * Decoding image files and buffers in Node with sharp: EXIF orientation applied, 8- and 16-bit
 * samples, grayscale kept as gray (1 or 2 channels), alpha kept, colour converted to sRGB
 * (the embedded ICC profile is returned so the encoder can convert back and re-attach it).
 */
import type { Metadata } from 'sharp';
import type { Pixels } from './pixels.js';
import { loadSharp } from './sharp-loader.js';

/** Largest input (LR pixels) accepted by default: 2048 x 2048. Its 4x output is 64 M pixels. */
export const DEFAULT_MAX_INPUT_PIXELS = 2048 * 2048;

export interface DecodedImage {
  pixels: Pixels;
  /** The embedded ICC profile, if any. */
  icc?: Uint8Array;
  /** The container format sharp detected (png, jpeg, webp, ...). */
  format: string;
}

export interface DecodeOptions {
  /** Refuse images with more pixels than this (default DEFAULT_MAX_INPUT_PIXELS). */
  maxPixels?: number;
}

/** An input problem the CLI reports as a one-line reason. */
export class ImageInputError extends Error {
  override name = 'ImageInputError';
}

async function readInput(input: string | Uint8Array): Promise<Uint8Array> {
  if (typeof input !== 'string') return input;
  const fs = await import('node:fs/promises');
  try {
    const stat = await fs.stat(input);
    if (stat.isDirectory()) throw new ImageInputError('is a directory, not an image file');
    return await fs.readFile(input);
  } catch (err) {
    if (err instanceof ImageInputError) throw err;
    const code = (err as { code?: string }).code;
    const reason =
      code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : (err as Error).message;
    throw new ImageInputError(`cannot read file: ${reason}`);
  }
}

/** Decodes a file path or an encoded image buffer into Pixels in [0, 1] (see file doc). */
export async function decodeImageNode(
  input: string | Uint8Array,
  options: DecodeOptions = {},
): Promise<DecodedImage> {
  const maxPixels = options.maxPixels ?? DEFAULT_MAX_INPUT_PIXELS;
  const bytes = await readInput(input);
  if (bytes.byteLength === 0) throw new ImageInputError('empty file (0 bytes)');
  const sharp = await loadSharp();
  let meta: Metadata;
  try {
    meta = await sharp(bytes).metadata();
  } catch (err) {
    throw new ImageInputError(`not a readable image (${(err as Error).message})`);
  }
  const width = meta.autoOrient?.width ?? meta.width ?? 0;
  const height = meta.autoOrient?.height ?? meta.height ?? 0;
  if (width < 1 || height < 1) throw new ImageInputError(`image has zero size (${width}x${height})`);
  if (width * height > maxPixels) {
    throw new ImageInputError(
      `image too large: ${width}x${height} = ${width * height} pixels, the limit is ${maxPixels} (its 4x output would not fit in memory)`,
    );
  }
  const deep =
    meta.depth === 'ushort' || meta.depth === 'short' || meta.depth === 'uint' || meta.depth === 'float';
  const gray = (meta.channels ?? 3) <= 2;
  const alpha = meta.hasAlpha === true;
  let raw: { data: Buffer; info: { width: number; height: number; channels: number } };
  try {
    raw = await sharp(bytes, { autoOrient: true, failOn: 'truncated', limitInputPixels: maxPixels })
      .toColourspace(deep ? 'rgb16' : 'srgb')
      .raw({ depth: deep ? 'ushort' : 'uchar' })
      .toBuffer({ resolveWithObject: true });
  } catch (err) {
    throw new ImageInputError(`cannot decode image (${(err as Error).message})`);
  }
  const { info } = raw;
  const srcC = info.channels;
  const samples = deep
    ? new Uint16Array(raw.data.buffer, raw.data.byteOffset, raw.data.byteLength / 2)
    : new Uint8Array(raw.data.buffer, raw.data.byteOffset, raw.data.byteLength);
  const maxValue = deep ? 65535 : 255;
  const outC = gray ? (alpha ? 2 : 1) : alpha ? 4 : 3;
  const n = info.width * info.height;
  const data = new Float32Array(n * outC);
  for (let i = 0; i < n; i++) {
    const s = i * srcC;
    const o = i * outC;
    if (gray) data[o] = samples[s] / maxValue;
    else {
      data[o] = samples[s] / maxValue;
      data[o + 1] = samples[s + 1] / maxValue;
      data[o + 2] = samples[s + 2] / maxValue;
    }
    if (alpha) data[o + outC - 1] = srcC === 4 || srcC === 2 ? samples[s + srcC - 1] / maxValue : 1;
  }
  return {
    pixels: { data, height: info.height, width: info.width, channels: outC, bitDepth: deep ? 16 : 8 },
    icc: meta.icc ? new Uint8Array(meta.icc) : undefined,
    format: meta.format ?? 'unknown',
  };
}
