/**
 * Tensors <-> Pixels. Tensors are [H, W, C] or [1, H, W, C] (C = 1..4), float32 in [0, 1]; int32
 * tensors (e.g. from `tf.browser.fromPixels`) are read as 0..255 and divided by 255.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { ChannelCount, Pixels } from './pixels.js';

/** Reads image `index` of a rank-3 or rank-4 image tensor into Pixels (async: works on webgpu). */
export async function tensorToPixels(t: tf.Tensor, index = 0): Promise<Pixels> {
  if (t.rank !== 3 && t.rank !== 4) {
    throw new Error(`upscale: a tensor input must be [H, W, C] or [B, H, W, C], got shape [${t.shape}]`);
  }
  const [h, w, c] = t.rank === 3 ? t.shape : t.shape.slice(1);
  if (c < 1 || c > 4)
    throw new Error(`upscale: a tensor input must have 1 to 4 channels, got shape [${t.shape}]`);
  if (t.dtype !== 'float32' && t.dtype !== 'int32') {
    throw new Error(`upscale: a tensor input must be float32 (in [0, 1]) or int32 (0..255), got ${t.dtype}`);
  }
  const one = t.rank === 4 ? tf.slice(t, [index, 0, 0, 0], [1, -1, -1, -1]) : t;
  let values: Float32Array;
  try {
    const raw = await one.data();
    values =
      raw instanceof Float32Array
        ? new Float32Array(raw)
        : Float32Array.from(raw as Int32Array, (v) => v / 255);
  } finally {
    if (one !== t) one.dispose();
  }
  return { data: values, height: h, width: w, channels: c as ChannelCount };
}

/** Pixels -> float32 tensor [H, W, C] (rank 3) or [1, H, W, C] (rank 4). */
export function pixelsToTensor(p: Pixels, rank: 3 | 4 = 3): tf.Tensor {
  const shape = rank === 3 ? [p.height, p.width, p.channels] : [1, p.height, p.width, p.channels];
  return tf.tensor(p.data, shape, 'float32');
}
