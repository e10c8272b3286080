/**
 * Noise embedding of the raw network (method.md §4.1 step 1; EDM `PositionalEmbedding` with
 * endpoint=True, then SongUNet's [cos, sin] -> [sin, cos] flip and the mapping MLP):
 *
 *   f_j = (1/10000)^(j / (C/2 - 1)), j = 0 .. C/2 - 1
 *   e = [sin(c_noise * f), cos(c_noise * f)]            ([B, C])
 *   emb = SiLU(W1 SiLU(W0 e + b0) + b1)                  ([B, 4C])
 */
import * as tf from '@tensorflow/tfjs-core';
import { linear, silu } from './ops.js';

/** The frequencies f_j for an embedding of width `channels` (even). */
export function embeddingFrequencies(channels: number): Float32Array {
  const half = channels / 2;
  const f = new Float32Array(half);
  for (let j = 0; j < half; j++) f[j] = (1 / 10000) ** (j / (half - 1));
  return f;
}

/** [sin(c f), cos(c f)] for c_noise [B]: returns [B, channels]. */
export function positionalEmbedding(cNoise: tf.Tensor1D, channels: number): tf.Tensor2D {
  return tf.tidy(() => {
    const f = tf.tensor2d(embeddingFrequencies(channels), [1, channels / 2]);
    const arg = tf.mul(tf.reshape(cNoise, [-1, 1]), f);
    return tf.concat([tf.sin(arg), tf.cos(arg)], 1) as tf.Tensor2D;
  });
}

/** The full embedding: positional features through Linear-SiLU-Linear-SiLU. */
export function noiseEmbedding(
  cNoise: tf.Tensor1D,
  channels: number,
  p: (name: string) => tf.Tensor,
): tf.Tensor2D {
  return tf.tidy(() => {
    const e = positionalEmbedding(cNoise, channels);
    const h = silu(linear(e, p('map.layer0.weight'), p('map.layer0.bias'))) as tf.Tensor2D;
    return silu(linear(h, p('map.layer1.weight'), p('map.layer1.bias'))) as tf.Tensor2D;
  });
}
