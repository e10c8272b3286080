/**
 * Tensors of a PyTorch state dict as read from a `.safetensors` or `.pth` file, before any
 * conversion: a dtype, a shape, element strides and an element offset into the raw little-endian
 * bytes of their storage (the bytes are views into the file, not copies).
 */

/** Element types of safetensors (and the torch storage types that map to them). */
export type TensorDType = 'F64' | 'F32' | 'F16' | 'BF16' | 'I64' | 'I32' | 'I16' | 'I8' | 'U8' | 'BOOL';

/** Bytes per element of each dtype. */
export const DTYPE_SIZE: Readonly<Record<TensorDType, number>> = {
  F64: 8,
  F32: 4,
  F16: 2,
  BF16: 2,
  I64: 8,
  I32: 4,
  I16: 2,
  I8: 1,
  U8: 1,
  BOOL: 1,
};

export interface StateDictTensor {
  dtype: TensorDType;
  shape: number[];
  /** Element strides (row-major for contiguous tensors). */
  strides: number[];
  /** Offset of element [0, ..., 0] in `storage`, in elements. */
  offset: number;
  /** Little-endian bytes of the whole storage this tensor views. */
  storage: Uint8Array;
}

/** Parameter name -> tensor, in file order. */
export type StateDict = Record<string, StateDictTensor>;

/** Number of elements of a shape (1 for a scalar). */
export function numel(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** Row-major (C-contiguous) strides of a shape. */
export function contiguousStrides(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = acc;
    acc *= shape[i];
  }
  return s;
}

function isContiguous(t: StateDictTensor): boolean {
  const c = contiguousStrides(t.shape);
  return t.shape.every((d, i) => d <= 1 || t.strides[i] === c[i]);
}

/** Storage element index of every logical element, in row-major order. */
function storageIndices(t: StateDictTensor): Float64Array {
  const n = numel(t.shape);
  const idx = new Float64Array(n);
  const rank = t.shape.length;
  const pos = new Array<number>(rank).fill(0);
  let at = t.offset;
  for (let k = 0; k < n; k++) {
    idx[k] = at;
    for (let d = rank - 1; d >= 0; d--) {
      pos[d]++;
      at += t.strides[d];
      if (pos[d] < t.shape[d]) break;
      at -= pos[d] * t.strides[d];
      pos[d] = 0;
    }
  }
  return idx;
}

function bf16(bits: number): number {
  const v = new Float32Array(new Uint32Array([bits << 16]).buffer);
  return v[0];
}

function f16(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >>> 10) & 0x1f;
  const mant = h & 0x3ff;
  if (exp === 0) return sign * mant * 2 ** -24;
  if (exp === 0x1f) return mant ? Number.NaN : sign * Number.POSITIVE_INFINITY;
  return sign * (1 + mant / 1024) * 2 ** (exp - 15);
}

/** Reads storage element `i` of `dtype` as a JS number (int64 beyond 2^53 loses precision). */
function reader(t: StateDictTensor): (i: number) => number {
  const dv = new DataView(t.storage.buffer, t.storage.byteOffset, t.storage.byteLength);
  switch (t.dtype) {
    case 'F64':
      return (i) => dv.getFloat64(8 * i, true);
    case 'F32':
      return (i) => dv.getFloat32(4 * i, true);
    case 'F16':
      return (i) => f16(dv.getUint16(2 * i, true));
    case 'BF16':
      return (i) => bf16(dv.getUint16(2 * i, true));
    case 'I64':
      return (i) => Number(dv.getBigInt64(8 * i, true));
    case 'I32':
      return (i) => dv.getInt32(4 * i, true);
    case 'I16':
      return (i) => dv.getInt16(2 * i, true);
    case 'I8':
      return (i) => dv.getInt8(i);
    case 'U8':
    case 'BOOL':
      return (i) => dv.getUint8(i);
  }
}

function checkBounds(fn: string, name: string, t: StateDictTensor): void {
  const n = numel(t.shape);
  if (n === 0) return;
  let last = t.offset;
  let first = t.offset;
  t.shape.forEach((d, i) => {
    if (t.strides[i] >= 0) last += (d - 1) * t.strides[i];
    else first += (d - 1) * t.strides[i];
  });
  const elements = t.storage.byteLength / DTYPE_SIZE[t.dtype];
  if (first < 0 || last >= elements) {
    throw new Error(
      `${fn}: tensor '${name}' [${t.shape}] (strides [${t.strides}], offset ${t.offset}) reaches past its storage of ${elements} ${t.dtype} elements`,
    );
  }
}

/** The values of `t` in row-major order as float64 numbers (any dtype, any strides). */
export function tensorToNumbers(t: StateDictTensor, name = 'tensor'): Float64Array {
  checkBounds('tensorToNumbers', name, t);
  const read = reader(t);
  const idx = storageIndices(t);
  const out = new Float64Array(idx.length);
  for (let k = 0; k < idx.length; k++) out[k] = read(idx[k]);
  return out;
}

/** The values of `t` in row-major order as float32 (floating dtypes only; fast path for F32). */
export function tensorToFloat32(t: StateDictTensor, name = 'tensor'): Float32Array {
  if (t.dtype !== 'F32' && t.dtype !== 'F16' && t.dtype !== 'BF16' && t.dtype !== 'F64') {
    throw new Error(`tensorToFloat32: tensor '${name}' has dtype ${t.dtype}, expected F32, F16, BF16 or F64`);
  }
  checkBounds('tensorToFloat32', name, t);
  const n = numel(t.shape);
  if (t.dtype === 'F32' && isContiguous(t)) {
    const start = t.storage.byteOffset + 4 * t.offset;
    // slice() copies into a fresh, aligned buffer (the file's bytes may be unaligned).
    return new Float32Array(t.storage.buffer.slice(start, start + 4 * n));
  }
  return Float32Array.from(tensorToNumbers(t, name));
}
