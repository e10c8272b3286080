/**
 * The LPIPS weights file format (no weights can be shipped with this project; users convert
 * their own, see `test/golden/lpips.py convert`).
 *
 * A weights file is a JSON manifest plus one binary blob:
 *
 * ```json
 * {
 *   "format": "ctmsr-lpips-weights", "version": 1, "net": "vgg", "lpips": "0.1",
 *   "dataFile": "lpips-vgg.bin",
 *   "tensors": [
 *     { "name": "vgg.features.0.weight", "shape": [64, 3, 3, 3], "dtype": "float32", "offset": 0 },
 *     { "name": "vgg.features.0.bias", "shape": [64], "dtype": "float32", "offset": 6912 },
 *     { "name": "lin0.model.1.weight", "shape": [1, 64, 1, 1], "dtype": "float32", "offset": ... }
 *   ]
 * }
 * ```
 *
 * - Tensors are little-endian float32, in PyTorch layout (conv weights OIHW [out, in, kh, kw];
 *   they are transposed to HWIO on load), at byte `offset` of the blob, `4 * prod(shape)` bytes.
 * - Names: `<net>.features.<i>.weight|bias` for torchvision's `vgg16().features[i]` /
 *   `alexnet().features[i]` convs, and `lin<k>.model.1.weight` [1, C_k, 1, 1] for the five LPIPS
 *   v0.1 linear heads (the keys of the lpips package's `weights/v0.1/<net>.pth`).
 * - `dataFile` (optional) names the blob next to the manifest, for `loadLpipsWeightsFile`.
 * Extra tensors (e.g. a classifier) are ignored.
 */
import { deriveSeed, normalAt } from '@ctmsr/pf-ode';
import {
  convWeightName,
  LPIPS_FULL_WIDTHS,
  LPIPS_TRUNKS,
  type LpipsNet,
  linWeightName,
} from './lpips-architecture.js';

export const LPIPS_FORMAT = 'ctmsr-lpips-weights';
export const LPIPS_FORMAT_VERSION = 1;

export interface LpipsManifestEntry {
  name: string;
  shape: number[];
  dtype: 'float32';
  /** Byte offset in the binary blob. */
  offset: number;
}

export interface LpipsManifest {
  format: typeof LPIPS_FORMAT;
  version: number;
  net: LpipsNet;
  lpips: string;
  dataFile?: string;
  tensors: LpipsManifestEntry[];
}

/** One tensor in PyTorch layout. */
export interface LpipsTensor {
  shape: number[];
  data: Float32Array;
}

/** Parsed LPIPS weights, still in PyTorch layout (CPU memory; no tfjs tensors). */
export interface LpipsWeights {
  net: LpipsNet;
  tensors: Record<string, LpipsTensor>;
}

const sizeOf = (shape: number[]) => shape.reduce((a, b) => a * b, 1);

function asBytes(data: ArrayBuffer | ArrayBufferView): Uint8Array {
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  throw new Error(`parseLpipsWeights: 'data' must be an ArrayBuffer or a Uint8Array, got ${typeof data}`);
}

/**
 * Parses a manifest (object or JSON text) and its binary blob into `LpipsWeights`.
 * Checks the format tag, the version, the net, each entry's dtype/shape/offset and the blob size.
 */
export function parseLpipsWeights(
  manifest: LpipsManifest | string,
  data: ArrayBuffer | ArrayBufferView,
): LpipsWeights {
  const fn = 'parseLpipsWeights';
  const m = (typeof manifest === 'string' ? JSON.parse(manifest) : manifest) as LpipsManifest;
  if (m == null || m.format !== LPIPS_FORMAT) {
    throw new Error(`${fn}: 'manifest.format' must be '${LPIPS_FORMAT}', got ${JSON.stringify(m?.format)}`);
  }
  if (m.version !== LPIPS_FORMAT_VERSION) {
    throw new Error(
      `${fn}: 'manifest.version' must be ${LPIPS_FORMAT_VERSION}, got ${JSON.stringify(m.version)}`,
    );
  }
  if (m.net !== 'vgg' && m.net !== 'alex') {
    throw new Error(`${fn}: 'manifest.net' must be 'vgg' or 'alex', got ${JSON.stringify(m.net)}`);
  }
  if (!Array.isArray(m.tensors)) throw new Error(`${fn}: 'manifest.tensors' must be an array`);
  const bytes = asBytes(data);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const tensors: Record<string, LpipsTensor> = {};
  for (const e of m.tensors) {
    const where = `tensor '${e?.name}'`;
    if (typeof e?.name !== 'string' || e.name in tensors) {
      throw new Error(`${fn}: 'manifest.tensors' has a missing or repeated name: ${JSON.stringify(e?.name)}`);
    }
    if ((e.dtype ?? 'float32') !== 'float32') {
      throw new Error(`${fn}: ${where}: dtype must be 'float32', got ${JSON.stringify(e.dtype)}`);
    }
    if (!Array.isArray(e.shape) || e.shape.some((d) => !Number.isInteger(d) || d < 1)) {
      throw new Error(
        `${fn}: ${where}: shape must be a list of positive integers, got ${JSON.stringify(e.shape)}`,
      );
    }
    const n = sizeOf(e.shape);
    if (!Number.isInteger(e.offset) || e.offset < 0 || e.offset + 4 * n > bytes.byteLength) {
      throw new Error(
        `${fn}: ${where}: bytes [${e.offset}, ${e.offset + 4 * n}) do not fit in the ${bytes.byteLength}-byte blob`,
      );
    }
    const out = new Float32Array(n);
    for (let i = 0; i < n; i++) out[i] = view.getFloat32(e.offset + 4 * i, true);
    tensors[e.name] = { shape: [...e.shape], data: out };
  }
  return { net: m.net, tensors };
}

/** Writes weights in the file format: the manifest and the blob (tensors in name order). */
export function serializeLpipsWeights(
  weights: LpipsWeights,
  dataFile?: string,
): { manifest: LpipsManifest; data: Uint8Array } {
  const names = Object.keys(weights.tensors).sort();
  const total = names.reduce((acc, k) => acc + 4 * weights.tensors[k].data.length, 0);
  const data = new Uint8Array(total);
  const view = new DataView(data.buffer);
  const entries: LpipsManifestEntry[] = [];
  let offset = 0;
  for (const name of names) {
    const t = weights.tensors[name];
    if (t.data.length !== sizeOf(t.shape)) {
      throw new Error(
        `serializeLpipsWeights: tensor '${name}' has ${t.data.length} values for shape [${t.shape}]`,
      );
    }
    entries.push({ name, shape: [...t.shape], dtype: 'float32', offset });
    for (let i = 0; i < t.data.length; i++) view.setFloat32(offset + 4 * i, t.data[i], true);
    offset += 4 * t.data.length;
  }
  const manifest: LpipsManifest = {
    format: LPIPS_FORMAT,
    version: LPIPS_FORMAT_VERSION,
    net: weights.net,
    lpips: '0.1',
    ...(dataFile ? { dataFile } : {}),
    tensors: entries,
  };
  return { manifest, data };
}

/** The five tap widths of a set of weights (read from the linear heads). */
export function lpipsTapWidths(weights: LpipsWeights): number[] {
  return [0, 1, 2, 3, 4].map((k) => weights.tensors[linWeightName(k)]?.shape[1] ?? 0);
}

/**
 * Random LPIPS weights, FOR TESTS ONLY (not a perceptual metric): He-scaled normal convs, small
 * biases, non-negative heads, from a seed. `widths` gives the five tap widths (default: the
 * published ones); inner VGG convs use the width of their block.
 */
export function randomLpipsWeights(
  net: LpipsNet,
  options: { seed?: number; widths?: readonly number[] } = {},
): LpipsWeights {
  const widths = options.widths ?? LPIPS_FULL_WIDTHS[net];
  const seed = options.seed ?? 0;
  if (widths.length !== 5 || widths.some((w) => !Number.isInteger(w) || w < 1)) {
    throw new Error(`randomLpipsWeights: 'widths' must be 5 positive integers, got [${widths}]`);
  }
  const tensors: Record<string, LpipsTensor> = {};
  let stream = 0;
  const fill = (shape: number[], f: (z: number, i: number) => number) => {
    const s = deriveSeed(seed, stream++);
    const data = new Float32Array(sizeOf(shape));
    for (let i = 0; i < data.length; i++) data[i] = f(normalAt(s, i), i);
    return { shape, data };
  };
  let inC = 3;
  let tap = 0;
  for (const layer of LPIPS_TRUNKS[net]) {
    if (layer.kind === 'relu' && layer.tap) tap++;
    if (layer.kind !== 'conv') continue;
    const outC = widths[tap];
    const std = Math.sqrt(2 / (inC * layer.kernel * layer.kernel));
    tensors[convWeightName(net, layer.index, 'weight')] = fill(
      [outC, inC, layer.kernel, layer.kernel],
      (z) => z * std,
    );
    tensors[convWeightName(net, layer.index, 'bias')] = fill([outC], (z) => 0.05 * z);
    inC = outC;
  }
  widths.forEach((c, k) => {
    tensors[linWeightName(k)] = fill([1, c, 1, 1], (z) => (0.1 * Math.abs(z)) / Math.sqrt(c));
  });
  return { net, tensors };
}
