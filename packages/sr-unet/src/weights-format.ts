/**
 * The SrUnet weights file format: a tfjs-style JSON manifest plus one binary shard.
 *
 * Manifest (`<name>.json`):
 *   {
 *     "format": "ctmsr-sr-unet-weights", "formatVersion": 1,
 *     "config": SrUnetConfig,                      the architecture the weights belong to
 *     "parameterCount": number,
 *     "weightsManifest": [{ "paths": ["<name>.bin"], "weights": [
 *        { "name": "map.layer0.weight", "shape": [16, 64], "dtype": "float32",
 *          "quantization"?: { "dtype": "float16" } }, ... ] }],   tfjs WeightsManifestEntry
 *     "byteLength": number, "sha256": "<hex digest of the binary shard>",
 *     "metadata"?: { ... }                          free-form (training step, dataset, ...)
 *   }
 * Binary (`<name>.bin`): the tensors in manifest order, row-major, little-endian, no padding;
 * float32 (4 bytes) or, with `quantization.dtype = 'float16'`, IEEE binary16 (2 bytes). Names and
 * layouts are those of `SrUnet.variables` (layout.ts). fp16 files are decoded to float32: compute
 * is always fp32.
 *
 * Everything here is pure (Uint8Array / ArrayBuffer in and out) and runs in Node and browsers;
 * the checksum uses Web Crypto (`crypto.subtle`, Node >= 19 and all browsers).
 */
import * as tf from '@tensorflow/tfjs-core';
import { resolveSrUnetConfig, type SrUnetConfig } from './config.js';
import { decodeFloat16, encodeFloat16 } from './float16.js';
import { buildLayout } from './layout.js';
import { SrUnet } from './sr-unet.js';

export const WEIGHTS_FORMAT = 'ctmsr-sr-unet-weights';
export const WEIGHTS_FORMAT_VERSION = 1;

export interface WeightEntry {
  name: string;
  shape: number[];
  dtype: 'float32';
  quantization?: { dtype: 'float16' };
}

export interface WeightsManifest {
  format: typeof WEIGHTS_FORMAT;
  formatVersion: number;
  config: SrUnetConfig;
  parameterCount: number;
  weightsManifest: { paths: string[]; weights: WeightEntry[] }[];
  byteLength: number;
  sha256: string;
  metadata?: Record<string, unknown>;
}

export interface EncodeWeightsOptions {
  /** Store as IEEE binary16 (half the size; values rounded to nearest even). Default false. */
  float16: boolean;
  /** File name of the binary shard written into the manifest. Default 'weights.bin'. */
  shardName: string;
  /** Free-form JSON metadata stored in the manifest. */
  metadata?: Record<string, unknown>;
}

export const DEFAULT_ENCODE_WEIGHTS: EncodeWeightsOptions = { float16: false, shardName: 'weights.bin' };

/** Lower-case hex SHA-256 of `data` (Web Crypto). */
export async function sha256Hex(data: Uint8Array): Promise<string> {
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) throw new Error('sha256Hex: Web Crypto (crypto.subtle) is not available in this environment');
  const digest = new Uint8Array(await subtle.digest('SHA-256', data as Uint8Array<ArrayBuffer>));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}

function size(shape: number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** Serialises a network's weights: returns the manifest object and the binary shard. */
export async function encodeWeights(
  net: SrUnet,
  options: Partial<EncodeWeightsOptions> = {},
): Promise<{ manifest: WeightsManifest; data: Uint8Array }> {
  const o = { ...DEFAULT_ENCODE_WEIGHTS, ...options };
  const bytesPer = o.float16 ? 2 : 4;
  const entries: WeightEntry[] = [];
  const total = net.variables.reduce((n, v) => n + v.variable.size * bytesPer, 0);
  const data = new Uint8Array(total);
  let offset = 0;
  for (const { name, variable } of net.variables) {
    const values = (await variable.data()) as Float32Array;
    const bytes = o.float16
      ? new Uint8Array(encodeFloat16(values).buffer)
      : new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
    data.set(bytes, offset);
    offset += bytes.byteLength;
    const entry: WeightEntry = { name, shape: [...variable.shape], dtype: 'float32' };
    if (o.float16) entry.quantization = { dtype: 'float16' };
    entries.push(entry);
  }
  const manifest: WeightsManifest = {
    format: WEIGHTS_FORMAT,
    formatVersion: WEIGHTS_FORMAT_VERSION,
    config: net.config,
    parameterCount: net.parameterCount(),
    weightsManifest: [{ paths: [o.shardName], weights: entries }],
    byteLength: total,
    sha256: await sha256Hex(data),
  };
  if (o.metadata) manifest.metadata = o.metadata;
  return { manifest, data };
}

/** Parses and checks a manifest (object or JSON text); throws naming the first bad field. */
export function parseWeightsManifest(json: string | object): WeightsManifest {
  const m = (typeof json === 'string' ? JSON.parse(json) : json) as WeightsManifest;
  const bad = (what: string, got: unknown) => {
    throw new Error(`parseWeightsManifest: ${what}, got ${JSON.stringify(got)}`);
  };
  if (m?.format !== WEIGHTS_FORMAT) bad(`'format' must be '${WEIGHTS_FORMAT}'`, m?.format);
  if (m.formatVersion !== WEIGHTS_FORMAT_VERSION)
    bad(`'formatVersion' must be ${WEIGHTS_FORMAT_VERSION}`, m.formatVersion);
  if (!Array.isArray(m.weightsManifest) || m.weightsManifest.length !== 1)
    bad("'weightsManifest' must hold one group", m.weightsManifest);
  if (typeof m.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(m.sha256))
    bad("'sha256' must be 64 hex digits", m.sha256);
  for (const w of m.weightsManifest[0].weights) {
    if (w.dtype !== 'float32') bad(`weight '${w.name}' dtype must be 'float32'`, w.dtype);
    if (w.quantization && w.quantization.dtype !== 'float16')
      bad(`weight '${w.name}' quantization must be float16`, w.quantization);
  }
  resolveSrUnetConfig(m.config);
  return m;
}

/**
 * Decodes the binary shard into float32 arrays by name, after checking its length and SHA-256.
 * fp16-stored tensors are widened to float32.
 */
export async function decodeWeights(
  manifestJson: string | object,
  data: Uint8Array | ArrayBuffer,
): Promise<{ manifest: WeightsManifest; values: Map<string, { shape: number[]; values: Float32Array }> }> {
  const manifest = parseWeightsManifest(manifestJson);
  const bytes = data instanceof Uint8Array ? data : new Uint8Array(data);
  if (bytes.byteLength !== manifest.byteLength) {
    throw new Error(
      `decodeWeights: binary has ${bytes.byteLength} bytes, the manifest says ${manifest.byteLength}`,
    );
  }
  const digest = await sha256Hex(bytes);
  if (digest !== manifest.sha256) {
    throw new Error(
      `decodeWeights: SHA-256 mismatch (file ${digest}, manifest ${manifest.sha256}): corrupted or wrong binary`,
    );
  }
  const values = new Map<string, { shape: number[]; values: Float32Array }>();
  let offset = 0;
  for (const w of manifest.weightsManifest[0].weights) {
    const n = size(w.shape);
    const fp16 = w.quantization?.dtype === 'float16';
    const len = n * (fp16 ? 2 : 4);
    if (offset + len > bytes.byteLength) throw new Error(`decodeWeights: binary too short for '${w.name}'`);
    const chunk = bytes.slice(offset, offset + len); // a copy: aligned, owns its buffer
    values.set(w.name, {
      shape: w.shape,
      values: fp16 ? decodeFloat16(new Uint16Array(chunk.buffer)) : new Float32Array(chunk.buffer),
    });
    offset += len;
  }
  if (offset !== bytes.byteLength)
    throw new Error(`decodeWeights: ${bytes.byteLength - offset} trailing bytes after the last tensor`);
  return { manifest, values };
}

/**
 * Checks that a file's tensors are exactly those of `config` (same names, order and shapes);
 * throws naming the first mismatching tensor.
 */
export function checkWeightsMatchConfig(manifest: WeightsManifest, config: SrUnetConfig): void {
  const want = buildLayout(config).params;
  const got = manifest.weightsManifest[0].weights;
  const n = Math.max(want.length, got.length);
  for (let i = 0; i < n; i++) {
    const w = want[i];
    const g = got[i];
    if (!w)
      throw new Error(
        `weights file: unexpected extra tensor '${g.name}' [${g.shape}] (#${i}) for this config`,
      );
    if (!g) throw new Error(`weights file: missing tensor '${w.name}' [${w.shape}] (#${i}) for this config`);
    if (w.name !== g.name || w.shape.length !== g.shape.length || w.shape.some((d, k) => d !== g.shape[k])) {
      throw new Error(
        `weights file: tensor #${i} is '${g.name}' [${g.shape}], this config expects '${w.name}' [${w.shape}]`,
      );
    }
  }
}

/** Loads weights into an existing network (same config); throws naming the first mismatch. */
export async function loadWeightsInto(
  net: SrUnet,
  manifestJson: string | object,
  data: Uint8Array | ArrayBuffer,
): Promise<void> {
  const { manifest, values } = await decodeWeights(manifestJson, data);
  checkWeightsMatchConfig(manifest, net.config);
  const tensors: Record<string, tf.Tensor> = {};
  for (const [name, v] of values) tensors[name] = tf.tensor(v.values, v.shape, 'float32');
  try {
    net.setWeights(tensors);
  } finally {
    tf.dispose(Object.values(tensors));
  }
}

/** A new network built from the file's config and weights. */
export async function decodeSrUnet(
  manifestJson: string | object,
  data: Uint8Array | ArrayBuffer,
): Promise<SrUnet> {
  const manifest = parseWeightsManifest(manifestJson);
  const net = SrUnet.create(manifest.config, 0);
  try {
    await loadWeightsInto(net, manifest, data);
  } catch (e) {
    net.dispose();
    throw e;
  }
  return net;
}
