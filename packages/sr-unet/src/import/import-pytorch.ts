/**
 * Import of a reference-implementation (PyTorch) state dict into our parameter names and layouts
 * (mapping in pytorch-names.ts), for `SrUnet.setWeights`.
 *
 * Deviations: the official CTMSR checkpoint's swin `use_conv` layer is unknown (method.md §8.4);
 * its keys are reported as unused (an error unless `strict: false`, and then not applied).
 */
import * as tf from '@tensorflow/tfjs-core';
import { type PresetName, resolveSrUnetConfig, type SrUnetConfig } from '../config.js';
import { SrUnet } from '../sr-unet.js';
import {
  applyTransform,
  DEFAULT_PYTORCH_NAMING,
  expectedRelativePositionIndex,
  IGNORED_BUFFER,
  type PytorchNamingOptions,
  pytorchKeyMap,
} from './pytorch-names.js';
import { type ReadStateDictOptions, readPytorchStateDict } from './read-state-dict.js';
import { numel, type StateDict, tensorToFloat32, tensorToNumbers } from './state-dict.js';

export interface ImportPytorchOptions extends Partial<PytorchNamingOptions> {
  /**
   * Fail when the state dict has keys that no parameter of `config` uses (buffers such as
   * `resample_filter` and `relative_position_index` excepted). Default true.
   */
  strict?: boolean;
}

export const DEFAULT_IMPORT_PYTORCH: Required<Pick<ImportPytorchOptions, 'strict'>> = { strict: true };

export interface ConvertedWeights {
  /** Our parameter name -> shape and row-major float32 values in our layout. */
  weights: Record<string, { shape: number[]; values: Float32Array }>;
  /** State-dict keys that were not used (only with `strict: false`). */
  unused: string[];
  /** The key prefix and level resolution that were used (given or detected). */
  prefix: string;
  resolution: number;
}

const FN = 'importPytorchStateDict';

function shapeEq(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** The prefix before 'map_layer0.weight' and the R of 'enc.RxR_conv.weight' in `sd`. */
export function detectPytorchNaming(sd: StateDict): Partial<PytorchNamingOptions> {
  const keys = Object.keys(sd);
  const map = keys.find((k) => k === 'map_layer0.weight' || k.endsWith('.map_layer0.weight'));
  if (map === undefined) return {};
  const prefix = map.slice(0, -'map_layer0.weight'.length);
  const conv = keys
    .map((k) => new RegExp(`^${prefix.replace(/\./g, '\\.')}enc\\.(\\d+)x\\1_conv\\.weight$`).exec(k))
    .find((m) => m !== null);
  return conv ? { prefix, resolution: Number(conv[1]) } : { prefix };
}

/**
 * Pure conversion (no tensors): every parameter of `config` from `sd`, in our layout.
 * Throws naming the first missing key, or shape/dtype mismatch, or (strict) unused key.
 */
export function convertPytorchStateDict(
  sd: StateDict,
  config: SrUnetConfig | PresetName,
  options: ImportPytorchOptions = {},
): ConvertedWeights {
  const cfg = resolveSrUnetConfig(config);
  const detected = detectPytorchNaming(sd);
  const prefix = options.prefix ?? detected.prefix ?? DEFAULT_PYTORCH_NAMING.prefix;
  const resolution = options.resolution ?? detected.resolution ?? DEFAULT_PYTORCH_NAMING.resolution;
  const strict = options.strict ?? DEFAULT_IMPORT_PYTORCH.strict;
  const mapping = pytorchKeyMap(cfg, { prefix, resolution });
  const used = new Set<string>();
  const weights: ConvertedWeights['weights'] = {};
  mapping.forEach((m, i) => {
    const t = sd[m.theirs];
    if (!t) {
      throw new Error(
        `${FN}: missing key '${m.theirs}' (shape [${m.theirShape}], for our '${m.ours}'); ${i} of ${mapping.length} parameters matched before it (prefix '${prefix}', resolution ${resolution})`,
      );
    }
    if (!shapeEq(t.shape, m.theirShape)) {
      throw new Error(
        `${FN}: key '${m.theirs}' has shape [${t.shape}], expected [${m.theirShape}] (our '${m.ours}' [${m.ourShape}]); check the config`,
      );
    }
    const values = applyTransform(tensorToFloat32(t, m.theirs), m.transform, m.theirShape);
    weights[m.ours] = { shape: m.ourShape, values };
    used.add(m.theirs);
  });
  checkRelativePositionIndex(sd, cfg.windowSize);
  const unused = Object.keys(sd).filter((k) => !used.has(k) && !IGNORED_BUFFER.test(k));
  if (strict && unused.length > 0) {
    const t = sd[unused[0]];
    throw new Error(
      `${FN}: key '${unused[0]}' [${t.shape}] is not used by this config${unused.length > 1 ? ` (and ${unused.length - 1} more)` : ''}; pass strict: false to ignore unused keys`,
    );
  }
  return { weights, unused, prefix, resolution };
}

function checkRelativePositionIndex(sd: StateDict, w: number): void {
  const want = expectedRelativePositionIndex(w);
  for (const [k, t] of Object.entries(sd)) {
    if (!k.endsWith('relative_position_index')) continue;
    if (numel(t.shape) !== want.length) {
      throw new Error(
        `${FN}: '${k}' has shape [${t.shape}], expected [${w * w}, ${w * w}] for windowSize ${w}`,
      );
    }
    const got = tensorToNumbers(t, k);
    const bad = got.findIndex((v, i) => v !== want[i]);
    if (bad >= 0) {
      throw new Error(
        `${FN}: '${k}' differs from the expected relative-position layout at element ${bad} (${got[bad]} vs ${want[bad]})`,
      );
    }
  }
}

/** `convertPytorchStateDict` as float32 tensors by our names, for `SrUnet.setWeights` (caller disposes). */
export function importPytorchStateDict(
  sd: StateDict,
  config: SrUnetConfig | PresetName,
  options: ImportPytorchOptions = {},
): Record<string, tf.Tensor> {
  const { weights } = convertPytorchStateDict(sd, config, options);
  const out: Record<string, tf.Tensor> = {};
  for (const [name, w] of Object.entries(weights)) out[name] = tf.tensor(w.values, w.shape, 'float32');
  return out;
}

/** A new SrUnet with the weights of a `.safetensors` / `.pth` file's bytes. */
export function loadPytorchCheckpoint(
  bytes: Uint8Array,
  config: SrUnetConfig | PresetName,
  options: ImportPytorchOptions & ReadStateDictOptions = {},
): SrUnet {
  const sd = readPytorchStateDict(bytes, options);
  const weights = importPytorchStateDict(sd, config, options);
  const net = SrUnet.create(config, 0);
  try {
    net.setWeights(weights);
  } catch (e) {
    net.dispose();
    throw e;
  } finally {
    tf.dispose(Object.values(weights));
  }
  return net;
}
