/**
 * Turns upscaled Pixels into what the caller asked for: a tensor, ImageData, Pixels, or an
 * encoded PNG/JPEG/WebP (Node).
 */
import * as tf from '@tensorflow/tfjs-core';
import { pixelsToImageData } from './browser-io.js';
import { ENCODED_FORMATS, type EncodedFormat, encodeImageNode } from './encode-node.js';
import type { InputKind } from './image-input.js';
import type { Pixels } from './pixels.js';
import { pixelsToTensor } from './tensor-io.js';

export const OUTPUT_KINDS = ['tensor', 'imageData', 'pixels', ...ENCODED_FORMATS] as const;
export type OutputKind = (typeof OUTPUT_KINDS)[number];

/** The value type of each output kind. */
export interface OutputTypes {
  tensor: tf.Tensor;
  imageData: ImageData;
  pixels: Pixels;
  png: Uint8Array;
  jpeg: Uint8Array;
  webp: Uint8Array;
}

/** The output kind used when none is asked for. */
export function defaultOutputKind(kind: InputKind): OutputKind {
  switch (kind) {
    case 'tensor':
      return 'tensor';
    case 'encoded':
      return 'png';
    case 'browser':
      return 'imageData';
    case 'pixels':
      return 'pixels';
  }
}

export function assertOutputKind(v: unknown): asserts v is OutputKind {
  if (!(OUTPUT_KINDS as readonly unknown[]).includes(v)) {
    throw new Error(
      `upscale: option 'output' must be one of ${OUTPUT_KINDS.join(', ')}, got ${JSON.stringify(v)}`,
    );
  }
}

/**
 * Converts the results. Several images (a tensor batch) are only allowed for 'tensor' and give
 * one [B, H, W, C] tensor.
 */
export async function produceOutput(
  images: Pixels[],
  kind: OutputKind,
  extra: { rank?: 3 | 4; icc?: Uint8Array; quality?: number },
): Promise<OutputTypes[OutputKind]> {
  if (kind === 'tensor') {
    if (images.length === 1) return pixelsToTensor(images[0], extra.rank ?? 3);
    return tf.tidy(() => tf.concat(images.map((p) => pixelsToTensor(p, 4))));
  }
  if (images.length !== 1)
    throw new Error(`upscale: a batch of ${images.length} images can only be returned as 'tensor'`);
  const p = images[0];
  if (kind === 'pixels') return p;
  if (kind === 'imageData') return pixelsToImageData(p);
  return encodeImageNode(p, { format: kind as EncodedFormat, quality: extra.quality, icc: extra.icc });
}
