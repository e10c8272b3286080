/**
 * Differentiable building blocks of the network, NHWC float32, composed from public tfjs-core
 * ops that have gradients on cpu, wasm and webgpu (no depthToSpace, avgPool, resizeNearestNeighbor
 * or depthwise convs).
 */
import * as tf from '@tensorflow/tfjs-core';
import { groupsFor } from './config.js';

/** SiLU(x) = x * sigmoid(x). */
export function silu(x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    return tf.mul(x, tf.sigmoid(x));
  });
}

/** GELU with the exact erf: 0.5 * x * (1 + erf(x / sqrt 2)) (PyTorch nn.GELU default). */
export function geluErf(x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    return tf.mul(tf.mul(x, 0.5), tf.add(1, tf.erf(tf.mul(x, Math.SQRT1_2))));
  });
}

/**
 * Name of the fused GroupNorm(+SiLU) kernel that @ctmsr/backends registers for WebGPU
 * (`registerWebGPUGroupNorm`); looked up by name so that this package needs no backend.
 */
export const FUSED_GROUP_NORM_KERNEL = 'CtmsrGroupNorm';

/** Options of `groupNorm`. */
export interface GroupNormOptions {
  /** Groups G; default min(32, C/4) (EDM). */
  groups?: number;
  /** Apply SiLU to the result (fused where a fused kernel runs). Default false. */
  silu?: boolean;
  /**
   * Allow the fused kernel when the current backend has one (WebGPU: 2 programs instead of
   * ~17). It has no gradient, so callers that differentiate pass false. Default false.
   */
  fused?: boolean;
}

/**
 * GroupNorm over [B, H, W, C] with G = min(32, C/4) groups (EDM) unless `groups` is given:
 * y = (x - mean_g) / sqrt(var_g + eps) * gamma + beta, biased variance per sample and group
 * (two-pass: the variance is the mean of squared deviations); then SiLU if `silu`.
 *
 * The composite: per-channel sums are matrix products with a ones vector, and the
 * normalisation is folded into one per-(sample, channel) scale: on wasm this avoids the
 * transposes that reductions over non-innermost axes cost (measured ~1.35x faster than the
 * reshape/mean version). With `fused` and a registered `CtmsrGroupNorm` kernel for the current
 * backend (WebGPU), that kernel computes the same function (summation order differs: equal to
 * float rounding).
 */
export function groupNorm(
  x: tf.Tensor4D,
  gamma: tf.Tensor,
  beta: tf.Tensor,
  eps: number,
  options: GroupNormOptions | number = {},
): tf.Tensor4D {
  const o = typeof options === 'number' ? { groups: options } : options;
  const groups = o.groups ?? groupsFor(x.shape[3]);
  if (o.fused && tf.getKernel(FUSED_GROUP_NORM_KERNEL, tf.getBackend()) != null) {
    return tf.engine().runKernel(FUSED_GROUP_NORM_KERNEL, { x, gamma, beta }, {
      groups,
      eps,
      silu: Boolean(o.silu),
    } as unknown as tf.NamedAttrMap) as tf.Tensor4D;
  }
  return tf.tidy(() => {
    const [b, h, w, c] = x.shape;
    const per = c / groups;
    const n = h * w * per;
    const flat = tf.reshape(x, [b, h * w, c]);
    const ones = tf.ones([1, 1, h * w]);
    // [b, 1, C] channel sums -> [b, G] group means -> broadcast back to [b, 1, C].
    const toChannels = (g: tf.Tensor) =>
      tf.reshape(tf.tile(tf.reshape(g, [b, groups, 1]), [1, 1, per]), [b, 1, c]);
    const groupMean = (t: tf.Tensor3D) =>
      tf.div(tf.sum(tf.reshape(tf.matMul(ones, t), [b, groups, per]), 2), n);
    const d = tf.sub(flat, toChannels(groupMean(flat as tf.Tensor3D))) as tf.Tensor3D;
    const variance = groupMean(tf.square(d) as tf.Tensor3D);
    const scale = tf.mul(toChannels(tf.rsqrt(tf.add(variance, eps))), gamma);
    const y = tf.reshape(tf.add(tf.mul(d, scale), beta), [b, h, w, c]) as tf.Tensor4D;
    return o.silu ? (silu(y) as tf.Tensor4D) : y;
  });
}

/** Stride-1 'same' conv with bias; `weight` is HWIO [k, k, Cin, Cout]. */
export function conv(x: tf.Tensor4D, weight: tf.Tensor, bias: tf.Tensor): tf.Tensor4D {
  return tf.fused.conv2d({
    x,
    filter: weight as tf.Tensor4D,
    bias,
    strides: 1,
    pad: 'same',
  });
}

/** x @ W + b for x [B, I], W [I, O]. */
export function linear(x: tf.Tensor2D, weight: tf.Tensor, bias: tf.Tensor): tf.Tensor2D {
  return tf.tidy(() => {
    return tf.add(tf.matMul(x, weight as tf.Tensor2D), bias) as tf.Tensor2D;
  });
}

/** Exact 2x2 average pooling (EDM's [1,1] resample filter, stride 2) by reshape + mean. */
export function avgPool2(x: tf.Tensor4D): tf.Tensor4D {
  return tf.tidy(() => {
    const [b, h, w, c] = x.shape;
    if (h % 2 !== 0 || w % 2 !== 0)
      throw new Error(`avgPool2: 'x' spatial size must be even, got [${x.shape}]`);
    return tf.mean(tf.reshape(x, [b, h / 2, 2, w / 2, 2, c]), [2, 4]) as tf.Tensor4D;
  });
}

/**
 * Exact nearest-neighbour x2 upsampling: a broadcast product with ones of shape [1, 2, 1, 2, 1]
 * (x viewed as [B*H, 1, W, 1, C]), then a reshape. Its gradient is the 2x2 sum (mul's broadcast
 * reduction). Deviations: none; tf.tile is avoided (no gradient above rank 4, and ~50x slower
 * than this on wasm).
 */
export function nearestUp2(x: tf.Tensor4D): tf.Tensor4D {
  return tf.tidy(() => {
    const [b, h, w, c] = x.shape;
    const up = tf.mul(tf.reshape(x, [b * h, 1, w, 1, c]), tf.ones([1, 2, 1, 2, 1]));
    return tf.reshape(up, [b, 2 * h, 2 * w, c]) as tf.Tensor4D;
  });
}

/**
 * concat([a, b], channel axis) as pad(a) + pad(b): the same values, about 2x faster than
 * tf.concat on wasm for channel-axis concatenation.
 */
export function concatChannels(a: tf.Tensor4D, b: tf.Tensor4D): tf.Tensor4D {
  return tf.tidy(() => {
    const ca = a.shape[3];
    const cb = b.shape[3];
    const pa = tf.pad(a, [
      [0, 0],
      [0, 0],
      [0, 0],
      [0, cb],
    ]);
    const pb = tf.pad(b, [
      [0, 0],
      [0, 0],
      [0, 0],
      [ca, 0],
    ]);
    return tf.add(pa, pb) as tf.Tensor4D;
  });
}

/**
 * Pixel unshuffle by s in PyTorch channel order: [B, s*h, s*w, C] -> [B, h, w, C*s*s] with
 * output channel c*s*s + i*s + j for colour c and in-block offset (i, j) (method.md §4.1 step 2).
 */
export function pixelUnshuffle(x: tf.Tensor4D, s: number): tf.Tensor4D {
  return tf.tidy(() => {
    const [b, hs, ws, c] = x.shape;
    const h = hs / s;
    const w = ws / s;
    // Two low-rank transposes instead of one rank-6 permutation [0,1,3,5,2,4] (same values):
    // tfjs-wasm's rank-6 transpose is ~8x slower (2.9 vs 0.35 ms for 256x256x3: bench/transpose.bench.ts).
    // 1) [B*h, s(i), w, s*C] -> [B*h, w, s(i), s*C]: blocks in (i, j, c) order;
    // 2) [B*h*w, s*s, C] -> [B*h*w, C, s*s]: PyTorch's c*s*s + i*s + j order.
    const blocks = tf.transpose(tf.reshape(x, [b * h, s, w, s * c]), [0, 2, 1, 3]);
    const t = tf.transpose(tf.reshape(blocks, [b * h * w, s * s, c]), [0, 2, 1]);
    return tf.reshape(t, [b, h, w, c * s * s]) as tf.Tensor4D;
  });
}

/** Pixel shuffle by s in PyTorch channel order, the inverse of `pixelUnshuffle`. */
export function pixelShuffle(x: tf.Tensor4D, s: number): tf.Tensor4D {
  return tf.tidy(() => {
    const [b, h, w, cs] = x.shape;
    const c = cs / (s * s);
    // The inverse of pixelUnshuffle's two low-rank transposes (see there).
    const ijc = tf.transpose(tf.reshape(x, [b * h * w, c, s * s]), [0, 2, 1]);
    const t = tf.transpose(tf.reshape(ijc, [b * h, w, s, s * c]), [0, 2, 1, 3]);
    return tf.reshape(t, [b, h * s, w * s, c]) as tf.Tensor4D;
  });
}

// Counter-based hashing is shared with @ctmsr/pf-ode's noise (same numbers): init and dropout
// draws are pure functions of (seed, stream, index).
import { uniformAt } from '@ctmsr/pf-ode';

export { deriveSeed as mixSeed, hash32, uniformAt } from '@ctmsr/pf-ode';

/**
 * Inverted dropout with a mask that is a pure function of (key, element index):
 * y = x * m / (1 - p), m_i = [u(key, i) >= p]. The mask is built in JS and uploaded, so it is
 * identical on every backend and needs no global RNG.
 */
export function seededDropout(x: tf.Tensor, p: number, key: number): tf.Tensor {
  return tf.tidy(() => {
    if (p <= 0) return x;
    const n = x.size;
    const mask = new Float32Array(n);
    const keep = 1 / (1 - p);
    for (let i = 0; i < n; i++) mask[i] = uniformAt(key, i) >= p ? keep : 0;
    return tf.mul(x, tf.tensor(mask, x.shape, 'float32'));
  });
}
