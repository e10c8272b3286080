/**
 * LPIPS v0.1 as a pluggable per-sample `Distance` (Zhang et al., "The Unreasonable
 * Effectiveness of Deep Features as a Perceptual Metric", CVPR 2018; the `lpips` package 0.1.x):
 *
 *   x' = (x - shift) / scale                          (scaling layer; x in [-1, 1])
 *   f_l = trunk features at tap l = 1..5             (VGG16 relu1_2..relu5_3 / AlexNet relu1..relu5)
 *   n_l = f_l / (sqrt(sum_c f_l^2) + 1e-10)           (unit-normalise each feature vector)
 *   d(a, b) = sum_l mean_{h,w} sum_c w_{l,c} (n_l(a) - n_l(b))^2    (1x1 linear heads, w >= 0)
 *
 * The reference CTMSR recipe uses LPIPS-VGG in its CT (0.5 LPIPS + 0.5 Charbonnier) and DTM
 * losses (method.md §2.2, §3.5); evaluation uses LPIPS-Alex (§7.2).
 *
 * **No weights can be shipped or downloaded in this project**, so LPIPS takes weights the user
 * converts (format in lpips-weights.ts, converter in `test/golden/lpips.py`), and the default
 * CTMSR recipe runs WITHOUT LPIPS: Charbonnier alone (a deviation from the paper's
 * 0.5 LPIPS + 0.5 Charbonnier).
 *
 * Deviations: (1) the feature norm is sqrt(max(sum_c f^2, 1e-30)) + 1e-10: identical values
 * unless sum_c f^2 < 1e-30, but an all-zero feature vector (every ReLU off) gets a zero gradient
 * instead of PyTorch's NaN (0 * inf in sqrt's derivative). (2) Max pooling is built from slices
 * and `maximum` (lpips-pool.ts) because tfjs's `maxPool` gradient is wrong on wasm. (3) The heads
 * are applied after the spatial mean (they are linear, so the value is the same up to float
 * rounding). Dropout in the heads is inactive, as in the reference's eval mode.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Distance } from './distances.js';
import {
  convWeightName,
  LPIPS_SCALE,
  LPIPS_SHIFT,
  LPIPS_TRUNKS,
  type LpipsNet,
  linWeightName,
  minInputSide,
} from './lpips-architecture.js';
import { maxPool2dDifferentiable } from './lpips-pool.js';
import type { LpipsWeights } from './lpips-weights.js';

export type { LpipsNet } from './lpips-architecture.js';

export interface LpipsOptions {
  /** The trunk: 'vgg' (CTMSR's training loss) or 'alex' (the usual evaluation metric). */
  net: LpipsNet;
  /** Weights in PyTorch layout (`parseLpipsWeights`, `loadLpipsWeightsFile`). */
  weights: LpipsWeights;
  /** Accept negative head weights (v0.1 heads are non-negative; off by default). */
  allowNegativeHeads?: boolean;
}

/** A loaded LPIPS model. `distance` is a `Distance`; call `dispose()` to free its weights. */
export interface Lpips {
  readonly net: LpipsNet;
  /** Channel widths of the five taps (read from the weights). */
  readonly widths: readonly number[];
  /** Smallest input side accepted. */
  readonly minSide: number;
  /** LPIPS per sample: a, b [B,H,W,3] in [-1, 1] -> [B]. Differentiable with respect to a and b. */
  readonly distance: Distance;
  /** The five per-layer terms, [5][B] (diagnostics; the caller disposes them). */
  layers(a: tf.Tensor4D, b: tf.Tensor4D): tf.Tensor1D[];
  dispose(): void;
}

interface ConvParams {
  filter: tf.Tensor4D;
  bias: tf.Tensor1D;
  stride: number;
  pad: number;
  kernel: number;
}

function need(weights: LpipsWeights, name: string, shape: (number | null)[]) {
  const t = weights.tensors[name];
  if (t == null) throw new Error(`createLpips: 'weights' lacks tensor '${name}'`);
  if (t.shape.length !== shape.length || shape.some((d, i) => d != null && d !== t.shape[i])) {
    const want = shape.map((d) => d ?? '*').join(',');
    throw new Error(`createLpips: weights tensor '${name}' has shape [${t.shape}], expected [${want}]`);
  }
  return t;
}

/**
 * Builds LPIPS v0.1 (file doc) from user-supplied weights. Channel widths are taken from the
 * weights (reduced-width variants work). The weights live in tfjs tensors until `dispose()`.
 */
export function createLpips(options: LpipsOptions): Lpips {
  const { net, weights } = options;
  if (net !== 'vgg' && net !== 'alex') {
    throw new Error(`createLpips: 'net' must be 'vgg' or 'alex', got ${JSON.stringify(net)}`);
  }
  if (weights == null || weights.tensors == null) throw new Error(`createLpips: 'weights' is required`);
  if (weights.net !== net) {
    throw new Error(`createLpips: 'weights' are for net '${weights.net}', but 'net' is '${net}'`);
  }
  // Validate every shape before uploading anything.
  const layers = LPIPS_TRUNKS[net];
  const plan: { index: number; out: number; kernel: number }[] = [];
  const widths: number[] = [];
  let inC = 3;
  for (const layer of layers) {
    if (layer.kind === 'relu' && layer.tap) widths.push(inC);
    if (layer.kind !== 'conv') continue;
    const w = need(weights, convWeightName(net, layer.index, 'weight'), [
      null,
      inC,
      layer.kernel,
      layer.kernel,
    ]);
    const out = w.shape[0];
    need(weights, convWeightName(net, layer.index, 'bias'), [out]);
    plan.push({ index: layer.index, out, kernel: layer.kernel });
    inC = out;
  }
  const heads = widths.map((c, k) => {
    const h = need(weights, linWeightName(k), [1, c, 1, 1]);
    if (!options.allowNegativeHeads && h.data.some((v) => v < 0)) {
      throw new Error(
        `createLpips: head '${linWeightName(k)}' has negative weights (LPIPS v0.1 heads are non-negative; ` +
          `pass allowNegativeHeads: true to accept them)`,
      );
    }
    return h;
  });

  const convs = new Map<number, ConvParams>();
  for (const layer of layers) {
    if (layer.kind !== 'conv') continue;
    const w = weights.tensors[convWeightName(net, layer.index, 'weight')];
    const b = weights.tensors[convWeightName(net, layer.index, 'bias')];
    convs.set(layer.index, {
      // PyTorch OIHW -> tfjs HWIO.
      filter: tf.tidy(() =>
        tf.transpose(tf.tensor4d(w.data, w.shape as [number, number, number, number]), [2, 3, 1, 0]),
      ),
      bias: tf.tensor1d(b.data),
      stride: layer.stride,
      pad: layer.pad,
      kernel: layer.kernel,
    });
  }
  const headTensors = heads.map((h) => tf.tensor1d(h.data));
  const shift = tf.tensor1d([...LPIPS_SHIFT]);
  const scale = tf.tensor1d([...LPIPS_SCALE]);
  const minSide = minInputSide(net);
  let disposed = false;

  const features = (x: tf.Tensor4D): tf.Tensor4D[] => {
    const taps: tf.Tensor4D[] = [];
    let h = tf.div(tf.sub(x, shift), scale) as tf.Tensor4D;
    for (const layer of layers) {
      if (layer.kind === 'conv') {
        const p = convs.get(layer.index)!;
        const same = p.stride === 1 && 2 * p.pad === p.kernel - 1;
        const input =
          same || p.pad === 0
            ? h
            : tf.pad(h, [
                [0, 0],
                [p.pad, p.pad],
                [p.pad, p.pad],
                [0, 0],
              ]);
        h = tf.add(tf.conv2d(input, p.filter, p.stride, same ? 'same' : 'valid'), p.bias) as tf.Tensor4D;
      } else if (layer.kind === 'relu') {
        h = tf.relu(h);
        if (layer.tap) taps.push(h);
      } else {
        h = maxPool2dDifferentiable(h, layer.size, layer.stride);
      }
    }
    return taps;
  };

  const check = (fn: string, a: tf.Tensor4D, b: tf.Tensor4D) => {
    if (disposed) throw new Error(`${fn}: this LPIPS model has been disposed`);
    if (a?.rank !== 4 || b?.rank !== 4 || a.shape.some((d, i) => d !== b.shape[i])) {
      throw new Error(
        `${fn}: 'a' [${a?.shape}] and 'b' [${b?.shape}] must be rank-4 tensors of the same shape`,
      );
    }
    if (a.shape[3] !== 3) throw new Error(`${fn}: inputs must have 3 channels (RGB), got ${a.shape[3]}`);
    if (a.shape[1] < minSide || a.shape[2] < minSide) {
      throw new Error(
        `${fn}: inputs are ${a.shape[1]}x${a.shape[2]}; the ${net} trunk needs at least ${minSide}x${minSide}`,
      );
    }
  };

  const layerTerms = (a: tf.Tensor4D, b: tf.Tensor4D): tf.Tensor1D[] => {
    const batch = a.shape[0];
    const taps = features(tf.concat([a, b], 0));
    return taps.map((f, k) => {
      const norm = tf.add(tf.sqrt(tf.maximum(tf.sum(tf.square(f), 3, true), 1e-30)), 1e-10);
      const n = tf.div(f, norm);
      const [na, nb] = tf.split(n, [batch, batch], 0);
      const perChannel = tf.mean(tf.squaredDifference(na, nb), [1, 2]); // [B, C]
      return tf.sum(tf.mul(perChannel, headTensors[k]), 1) as tf.Tensor1D;
    });
  };

  return {
    net,
    widths,
    minSide,
    distance: (a, b) => {
      check('lpips', a, b);
      return tf.tidy(() => tf.addN(layerTerms(a, b)) as tf.Tensor1D);
    },
    layers: (a, b) => {
      check('lpips.layers', a, b);
      return tf.tidy(() => layerTerms(a, b));
    },
    dispose: () => {
      if (disposed) return;
      disposed = true;
      for (const p of convs.values()) tf.dispose([p.filter, p.bias]);
      tf.dispose([...headTensors, shift, scale]);
    },
  };
}
