/**
 * The raw network F(x_in, c_noise, l) of CTMSR (method.md §4.1):
 *
 *   1. emb = MLP(PE(c_noise))                                    (noise-embedding.ts)
 *   2. z = concat(pixelUnshuffle_s(x_in), l)                     3*s*s + 3 channels at LR size
 *   3. U-Net at LR resolution (encoder skips, decoder concatenates a skip whenever its block's
 *      input width exceeds the current width; method.md §4.3)
 *   4. head: 'nearest-conv' = GN -> SiLU -> Conv(x1e-5) -> [nearest x2 -> Conv -> LeakyReLU(0.2)]
 *      x log2(s) -> Conv_{->3} (the paper's upsampler); 'pixel-shuffle' = GN -> SiLU ->
 *      Conv_{->3*s*s}(x1e-5) -> pixelShuffle_s
 *   5. resCon: F += bicubicUp_s(l) (the reference's `res_con`)
 *
 * Deviations: 'pixel-shuffle' is this project's cheaper head (not in the paper's config).
 */
import { bicubicUpsample } from '@ctmsr/pf-ode';
import * as tf from '@tensorflow/tfjs-core';
import type { SrUnetConfig } from './config.js';
import { type Layout, requiredMultiple } from './layout.js';
import { noiseEmbedding } from './noise-embedding.js';
import { concatChannels, conv, groupNorm, mixSeed, nearestUp2, pixelShuffle, pixelUnshuffle } from './ops.js';
import { unetBlock } from './unet-block.js';

export interface ForwardOptions {
  /** Training mode: dropout on (when the config's dropout > 0). Default false. */
  training?: boolean;
  /** Seed of the dropout masks; required when training with dropout > 0. */
  dropoutSeed?: number;
  /**
   * bicubicUpsample(lq, scale) when the caller already has it (the sampler's u), for `resCon`;
   * computed from lq otherwise. Shape-checked; its values are the caller's responsibility.
   */
  bicubic?: tf.Tensor4D;
}

/** Checks the shapes of F's inputs; throws naming `fn`, the argument, expected and actual. */
export function checkInputs(
  fn: string,
  cfg: SrUnetConfig,
  xIn: tf.Tensor,
  cNoise: tf.Tensor,
  lq: tf.Tensor,
): void {
  if (lq.rank !== 4 || lq.shape[3] !== 3)
    throw new Error(`${fn}: 'lq' must be [B, h, w, 3], got [${lq.shape}]`);
  const [b, h, w] = lq.shape;
  const s = cfg.scale;
  const want = [b, s * h, s * w, 3];
  if (xIn.rank !== 4 || xIn.shape.some((d, i) => d !== want[i])) {
    throw new Error(`${fn}: 'xIn' must be [${want}] (scale ${s} x lq [${lq.shape}]), got [${xIn.shape}]`);
  }
  if (cNoise.rank !== 1 || cNoise.shape[0] !== b) {
    throw new Error(`${fn}: 'cNoise' must be [${b}], got [${cNoise.shape}]`);
  }
  const m = requiredMultiple(cfg);
  if (h % m !== 0 || w % m !== 0) {
    throw new Error(
      `${fn}: 'lq' height and width must be multiples of ${m}, got ${h}x${w} (pad the input first)`,
    );
  }
}

/** F on the current backend. `p` returns the parameter tensor of a name. */
export function rawForward(
  cfg: SrUnetConfig,
  layout: Layout,
  p: (name: string) => tf.Tensor,
  xIn: tf.Tensor4D,
  cNoise: tf.Tensor1D,
  lq: tf.Tensor4D,
  options: ForwardOptions = {},
): tf.Tensor4D {
  checkInputs('SrUnet.forward', cfg, xIn, cNoise, lq);
  const dropout = options.training ? cfg.dropout : 0;
  if (dropout > 0 && options.dropoutSeed === undefined) {
    throw new Error(`SrUnet.forward: 'dropoutSeed' is required when training with dropout ${cfg.dropout}`);
  }
  const seed = options.dropoutSeed ?? 0;
  return tf.tidy(() => {
    const emb = noiseEmbedding(cNoise, cfg.embChannels, p);
    let x = concatChannels(pixelUnshuffle(xIn, cfg.scale), lq);
    // Inference (not training) may use a backend's fused GroupNorm(+SiLU) kernel (ops.ts).
    const fusedNorm = !options.training;
    const blockOptions = (index: number) => ({
      dropout,
      dropoutKey: mixSeed(seed, index),
      windowSize: cfg.windowSize,
      numHeads: cfg.numHeads,
      fusedNorm,
    });
    const skips: tf.Tensor4D[] = [];
    for (const step of layout.encoder) {
      if (step.kind === 'conv') x = conv(x, p(`${step.name}.weight`), p(`${step.name}.bias`));
      else x = unetBlock(x, emb, step.block, p, blockOptions(step.block.index));
      skips.push(x);
    }
    for (const block of layout.decoder) {
      if (x.shape[3] !== block.cin) {
        const skip = skips.pop();
        if (!skip) throw new Error(`SrUnet.forward: no skip left for ${block.name}`);
        x = concatChannels(x, skip);
      }
      x = unetBlock(x, emb, block, p, blockOptions(block.index));
    }
    let h = groupNorm(x, p('head.norm.gamma'), p('head.norm.beta'), 1e-6, { silu: true, fused: fusedNorm });
    let out: tf.Tensor4D;
    if (cfg.head === 'nearest-conv') {
      h = conv(h, p('head.conv0.weight'), p('head.conv0.bias'));
      for (let k = 0; 2 ** k < cfg.scale; k++) {
        h = tf.leakyRelu(
          conv(nearestUp2(h), p(`head.up${k}.weight`), p(`head.up${k}.bias`)),
          0.2,
        ) as tf.Tensor4D;
      }
      out = conv(h, p('head.out.weight'), p('head.out.bias'));
    } else {
      out = pixelShuffle(conv(h, p('head.conv.weight'), p('head.conv.bias')), cfg.scale);
    }
    if (cfg.resCon) {
      const u = options.bicubic;
      if (u?.shape.some((d, i) => d !== out.shape[i])) {
        throw new Error(`SrUnet.forward: 'bicubic' has shape [${u.shape}], expected [${out.shape}]`);
      }
      out = tf.add(out, u ?? bicubicUpsample(lq, cfg.scale)) as tf.Tensor4D;
    }
    return out;
  });
}
