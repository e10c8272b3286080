/**
 * EDM DDPM++ UNetBlock (`adaptive_scale=False`, `resample_proj=True`; method.md §4.2):
 *
 *   h   = Conv3x3(resample(SiLU(GN0(x))))
 *   h   = SiLU(GN1(h + Linear(emb)))                 per-channel embedding bias before the norm
 *   h   = Conv3x3(Dropout(h))                        conv1 initialised x 1e-5
 *   out = (h + skip(resample(x))) * sqrt(0.5)        skip: 1x1 conv when widths differ or resampling
 *   out = SwinLayer(out) * sqrt(0.5)                 only in blocks with attention
 *
 * GN: groups min(32, C/4), eps 1e-6. Resampling: exact 2x2 average (down) or nearest (up), applied
 * before the conv as in EDM's Conv2d.
 *
 * Deviations: none known (the swin layer's own deviations are listed in window-attention.ts).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { BlockSpec } from './layout.js';
import { hasSkipConv } from './layout.js';
import { avgPool2, conv, groupNorm, linear, nearestUp2, seededDropout } from './ops.js';
import { swinLayer, type WindowAttentionOptions } from './window-attention.js';

export interface BlockRunOptions extends WindowAttentionOptions {
  /** Dropout probability; 0 disables dropout. */
  dropout: number;
  /** Key of this block's dropout mask (only read when dropout > 0). */
  dropoutKey: number;
}

function resample(x: tf.Tensor4D, mode: BlockSpec['resample']): tf.Tensor4D {
  if (mode === 'down') return avgPool2(x);
  if (mode === 'up') return nearestUp2(x);
  return x;
}

/** Runs one UNetBlock on x [B, H, W, cin] with emb [B, E]; returns [B, H', W', cout]. */
export function unetBlock(
  x: tf.Tensor4D,
  emb: tf.Tensor2D,
  spec: BlockSpec,
  p: (name: string) => tf.Tensor,
  o: BlockRunOptions,
): tf.Tensor4D {
  return tf.tidy(() => {
    const n = spec.name;
    if (x.shape[3] !== spec.cin) {
      throw new Error(`unetBlock(${n}): expected ${spec.cin} input channels, got [${x.shape}]`);
    }
    const b = x.shape[0];
    const norm = { silu: true, fused: o.fusedNorm };
    let h = groupNorm(x, p(`${n}.norm0.gamma`), p(`${n}.norm0.beta`), 1e-6, norm);
    h = conv(resample(h, spec.resample), p(`${n}.conv0.weight`), p(`${n}.conv0.bias`));
    const bias = tf.reshape(linear(emb, p(`${n}.affine.weight`), p(`${n}.affine.bias`)), [
      b,
      1,
      1,
      spec.cout,
    ]);
    h = groupNorm(tf.add(h, bias) as tf.Tensor4D, p(`${n}.norm1.gamma`), p(`${n}.norm1.beta`), 1e-6, norm);
    if (o.dropout > 0) h = seededDropout(h, o.dropout, o.dropoutKey) as tf.Tensor4D;
    h = conv(h, p(`${n}.conv1.weight`), p(`${n}.conv1.bias`));
    const skip = hasSkipConv(spec)
      ? conv(resample(x, spec.resample), p(`${n}.skip.weight`), p(`${n}.skip.bias`))
      : x;
    let out = tf.mul(tf.add(h, skip), Math.SQRT1_2) as tf.Tensor4D;
    if (spec.attn) out = tf.mul(swinLayer(out, p, `${n}.attn`, o), Math.SQRT1_2) as tf.Tensor4D;
    return out;
  });
}
