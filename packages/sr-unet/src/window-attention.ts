/**
 * Swin-style window self-attention layer, conv-style (method.md §4.4; ResShift's BasicLayer
 * with depth 1, so no shift):
 *
 *   a  = Conv1x1_{C->A}(x)
 *   a' = a + Proj(W-MSA(GN(a)))          8x8 windows, q scaled by d^-1/2, relative position bias
 *   a''= a' + FC2(GELU(FC1(GN(a'))))     exact-erf GELU, hidden width mlpRatio * A
 *   SwinLayer(x) = Conv1x1_{A->C}(a'')
 *
 * The UNetBlock applies it as out = SwinLayer(out) * sqrt(0.5), without an outer residual.
 *
 * Deviations: GroupNorm groups = min(32, A/4) (= 32 for the paper's A = 192), eps 1e-5. The
 * relative position bias is looked up with a constant one-hot matrix product instead of a
 * gather (gather has no gradient on wasm). The unresolved `use_conv` conv (§8.4) is not built.
 */
import * as tf from '@tensorflow/tfjs-core';
import { conv, geluErf, groupNorm } from './ops.js';

const oneHotCache = new Map<number, Float32Array>();

/** One-hot [N*N, (2w-1)^2] selecting the relative-position-bias entry of each (query, key) pair. */
export function relativePositionOneHot(w: number): Float32Array {
  const cached = oneHotCache.get(w);
  if (cached) return cached;
  const n = w * w;
  const t = (2 * w - 1) * (2 * w - 1);
  const m = new Float32Array(n * n * t);
  for (let q = 0; q < n; q++) {
    const qi = Math.floor(q / w);
    const qj = q % w;
    for (let k = 0; k < n; k++) {
      const ki = Math.floor(k / w);
      const kj = k % w;
      const idx = (qi - ki + w - 1) * (2 * w - 1) + (qj - kj + w - 1);
      m[(q * n + k) * t + idx] = 1;
    }
  }
  oneHotCache.set(w, m);
  return m;
}

/** [B, H, W, C] -> [B * H/w * W/w, w*w, C]. */
function toWindows(x: tf.Tensor4D, w: number): tf.Tensor3D {
  const [b, h, wd, c] = x.shape;
  // A rank-4 transpose (window rows <-> window columns, with (column, channel) kept together)
  // instead of the rank-6 [0,1,3,2,4,5]: the same values, far cheaper on tfjs-wasm.
  const t = tf.transpose(tf.reshape(x, [(b * h) / w, w, wd / w, w * c]), [0, 2, 1, 3]);
  return tf.reshape(t, [(b * h * wd) / (w * w), w * w, c]) as tf.Tensor3D;
}

/** Inverse of `toWindows`. */
function fromWindows(x: tf.Tensor3D, shape: [number, number, number, number], w: number): tf.Tensor4D {
  const [b, h, wd, c] = shape;
  const t = tf.transpose(tf.reshape(x, [(b * h) / w, wd / w, w, w * c]), [0, 2, 1, 3]);
  return tf.reshape(t, shape) as tf.Tensor4D;
}

function dense(x: tf.Tensor, weight: tf.Tensor, bias: tf.Tensor): tf.Tensor {
  const shape = x.shape;
  const flat = tf.reshape(x, [-1, shape[shape.length - 1]]) as tf.Tensor2D;
  const y = tf.fused.matMul({ a: flat, b: weight as tf.Tensor2D, bias });
  return tf.reshape(y, [...shape.slice(0, -1), weight.shape[1] as number]);
}

export interface WindowAttentionOptions {
  windowSize: number;
  numHeads: number;
  /** Allow the fused GroupNorm kernel (inference only; see ops.ts `groupNorm`). Default false. */
  fusedNorm?: boolean;
}

/** The swin layer on x [B, H, W, C] (H, W multiples of windowSize); parameters under `prefix`. */
export function swinLayer(
  x: tf.Tensor4D,
  p: (name: string) => tf.Tensor,
  prefix: string,
  o: WindowAttentionOptions,
): tf.Tensor4D {
  return tf.tidy(() => {
    const w = o.windowSize;
    const [b, h, wd] = x.shape;
    if (h % w !== 0 || wd % w !== 0) {
      throw new Error(`swinLayer(${prefix}): input [${x.shape}] is not a multiple of the window size ${w}`);
    }
    const a0 = conv(x, p(`${prefix}.conv_in.weight`), p(`${prefix}.conv_in.bias`));
    const ch = a0.shape[3];
    const heads = o.numHeads;
    const d = ch / heads;
    const n = w * w;
    // Attention branch.
    const normed = groupNorm(a0, p(`${prefix}.norm1.gamma`), p(`${prefix}.norm1.beta`), 1e-5, {
      fused: o.fusedNorm,
    });
    const win = toWindows(normed, w); // [Bn, N, A]
    const bn = win.shape[0];
    const qkv = dense(win, p(`${prefix}.qkv.weight`), p(`${prefix}.qkv.bias`)); // [Bn, N, 3A]
    const split = tf.transpose(tf.reshape(qkv, [bn, n, 3, heads, d]), [2, 0, 3, 1, 4]); // [3, Bn, heads, N, d]
    const [q, k, v] = tf.unstack(split, 0) as tf.Tensor3D[];
    const t = (2 * w - 1) * (2 * w - 1);
    const onehot = tf.tensor2d(relativePositionOneHot(w), [n * n, t]);
    const bias = tf.transpose(
      tf.reshape(tf.matMul(onehot, p(`${prefix}.rel_bias`) as tf.Tensor2D), [n, n, heads]),
      [2, 0, 1],
    );
    const logits = tf.add(tf.matMul(tf.mul(q, 1 / Math.sqrt(d)), k, false, true), bias); // [Bn, heads, N, N]
    const attn = tf.matMul(tf.softmax(logits), v); // [Bn, heads, N, d]
    const merged = tf.reshape(tf.transpose(attn, [0, 2, 1, 3]), [bn, n, ch]);
    const projected = dense(merged, p(`${prefix}.proj.weight`), p(`${prefix}.proj.bias`)) as tf.Tensor3D;
    const a1 = tf.add(a0, fromWindows(projected, [b, h, wd, ch], w)) as tf.Tensor4D;
    // MLP branch.
    const n2 = groupNorm(a1, p(`${prefix}.norm2.gamma`), p(`${prefix}.norm2.beta`), 1e-5, {
      fused: o.fusedNorm,
    });
    const hidden = geluErf(dense(n2, p(`${prefix}.fc1.weight`), p(`${prefix}.fc1.bias`)));
    const a2 = tf.add(a1, dense(hidden, p(`${prefix}.fc2.weight`), p(`${prefix}.fc2.bias`))) as tf.Tensor4D;
    return conv(a2, p(`${prefix}.conv_out.weight`), p(`${prefix}.conv_out.bias`));
  });
}
