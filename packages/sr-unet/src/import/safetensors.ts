/**
 * Reader of the safetensors format (huggingface/safetensors, "Format" section of its README):
 *
 *   [u64 little-endian N][N bytes of UTF-8 JSON header][data]
 *   header = { "<name>": { "dtype": "F32", "shape": [..], "data_offsets": [begin, end] }, ...,
 *              "__metadata__": { "<key>": "<string>" } (optional) }
 *
 * Offsets are relative to the start of the data; tensors are C-contiguous, little-endian.
 * Pure (works on a Uint8Array in Node and browsers); the tensors are views, nothing is copied.
 */
import { contiguousStrides, DTYPE_SIZE, numel, type StateDict, type TensorDType } from './state-dict.js';

export interface SafetensorsFile {
  tensors: StateDict;
  metadata: Record<string, string>;
}

const FN = 'parseSafetensors';

function isDType(s: unknown): s is TensorDType {
  return typeof s === 'string' && Object.hasOwn(DTYPE_SIZE, s);
}

/** Parses a whole `.safetensors` file. Throws naming the first malformed entry. */
export function parseSafetensors(bytes: Uint8Array): SafetensorsFile {
  if (bytes.byteLength < 8)
    throw new Error(`${FN}: 'bytes' has ${bytes.byteLength} bytes, too short for a header`);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = Number(dv.getBigUint64(0, true));
  if (n < 2 || 8 + n > bytes.byteLength) {
    throw new Error(
      `${FN}: header length ${n} does not fit in a file of ${bytes.byteLength} bytes (not safetensors?)`,
    );
  }
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n)));
  } catch (e) {
    throw new Error(`${FN}: header is not valid JSON (${(e as Error).message})`);
  }
  if (header === null || typeof header !== 'object' || Array.isArray(header)) {
    throw new Error(`${FN}: header must be a JSON object`);
  }
  const data = bytes.subarray(8 + n);
  const tensors: StateDict = {};
  let metadata: Record<string, string> = {};
  for (const [name, entry] of Object.entries(header)) {
    if (name === '__metadata__') {
      metadata = (entry ?? {}) as Record<string, string>;
      continue;
    }
    const e = entry as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    if (!isDType(e?.dtype))
      throw new Error(`${FN}: tensor '${name}' has unsupported dtype ${JSON.stringify(e?.dtype)}`);
    const shape = e.shape;
    if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) {
      throw new Error(`${FN}: tensor '${name}' has invalid shape ${JSON.stringify(shape)}`);
    }
    const off = e.data_offsets;
    if (!Array.isArray(off) || off.length !== 2 || !off.every((o) => Number.isInteger(o) && o >= 0)) {
      throw new Error(`${FN}: tensor '${name}' has invalid data_offsets ${JSON.stringify(off)}`);
    }
    const [begin, end] = off as [number, number];
    const want = numel(shape) * DTYPE_SIZE[e.dtype];
    if (end < begin || end - begin !== want || end > data.byteLength) {
      throw new Error(
        `${FN}: tensor '${name}' ${e.dtype} [${shape}] needs ${want} bytes, data_offsets [${begin}, ${end}] in ${data.byteLength} data bytes`,
      );
    }
    tensors[name] = {
      dtype: e.dtype,
      shape: [...shape],
      strides: contiguousStrides(shape),
      offset: 0,
      storage: data.subarray(begin, end),
    };
  }
  return { tensors, metadata };
}

/** Whether `bytes` plausibly starts a safetensors file (a small header length, then '{'). */
export function looksLikeSafetensors(bytes: Uint8Array): boolean {
  if (bytes.byteLength < 10) return false;
  const n = Number(new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true));
  return n >= 2 && 8 + n <= bytes.byteLength && bytes[8] === 0x7b;
}
