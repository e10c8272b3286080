/**
 * Classifies an `upscale` input and reads it into Pixels.
 *
 * - tfjs tensor [H, W, C] / [B, H, W, C] (C = 1..4) in [0, 1];
 * - Node: a file path (string) or an encoded image (Uint8Array / Buffer), decoded with sharp;
 * - browsers: ImageData, or anything a canvas can draw (img, canvas, ImageBitmap, video);
 * - Pixels, as produced by this package.
 */
import { isNode } from '@ctmsr/backends';
import * as tf from '@tensorflow/tfjs-core';
import {
  type DrawableImage,
  drawableToImageData,
  type ImageDataLike,
  imageDataToPixels,
  isDrawableImage,
  isImageDataLike,
} from './browser-io.js';
import { decodeImageNode } from './decode-node.js';
import type { Pixels } from './pixels.js';
import { tensorToPixels } from './tensor-io.js';

/** Everything `upscale` accepts. */
export type ImageInput = tf.Tensor | string | Uint8Array | ImageDataLike | DrawableImage | Pixels;

export type InputKind = 'tensor' | 'encoded' | 'browser' | 'pixels';

/** Inputs read, with what the output side needs to know. */
export interface ReadInput {
  kind: InputKind;
  /** One entry per image (tensors may hold a batch). */
  images: Pixels[];
  /** Rank of a tensor input. */
  rank?: 3 | 4;
  /** ICC profile of a decoded file. */
  icc?: Uint8Array;
}

export function isPixels(x: unknown): x is Pixels {
  if (x == null || typeof x !== 'object') return false;
  const p = x as Partial<Pixels>;
  return (
    p.data instanceof Float32Array &&
    typeof p.height === 'number' &&
    typeof p.width === 'number' &&
    typeof p.channels === 'number'
  );
}

/** Reads any supported input (see file doc). */
export async function readImageInput(
  input: ImageInput,
  options: { maxPixels?: number } = {},
): Promise<ReadInput> {
  if (input instanceof tf.Tensor) {
    const batch = input.rank === 4 ? input.shape[0] : 1;
    const images: Pixels[] = [];
    for (let b = 0; b < batch; b++) images.push(await tensorToPixels(input, b));
    return { kind: 'tensor', images, rank: input.rank === 4 ? 4 : 3 };
  }
  if (isPixels(input)) return { kind: 'pixels', images: [input] };
  if (typeof input === 'string' || (input instanceof Uint8Array && !(input instanceof Uint8ClampedArray))) {
    if (!isNode()) {
      throw new Error(
        'upscale: file paths and encoded buffers are supported in Node only; pass an image element or ImageData',
      );
    }
    const decoded = await decodeImageNode(input, options);
    return { kind: 'encoded', images: [decoded.pixels], icc: decoded.icc };
  }
  if (isImageDataLike(input)) return { kind: 'browser', images: [imageDataToPixels(input)] };
  if (isDrawableImage(input))
    return { kind: 'browser', images: [imageDataToPixels(drawableToImageData(input))] };
  throw new Error(
    'upscale: unsupported input; expected a tfjs tensor, a file path or Buffer (Node), ImageData or an image/canvas element (browser), or Pixels',
  );
}
