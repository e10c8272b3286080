/** Argument checks that name the function, the argument, and expected vs actual (internal). */
import type { Tensor } from '@tensorflow/tfjs-core';

export function fail(fn: string, message: string): never {
  throw new Error(`${fn}: ${message}`);
}

export function assertRank(fn: string, arg: string, t: Tensor, rank: number): void {
  if (t.rank !== rank) {
    fail(fn, `'${arg}' must have rank ${rank}, got rank ${t.rank} (shape [${t.shape}])`);
  }
}

/** Checks an NHWC image batch with 3 (RGB) channels. */
export function assertRgbBatch(fn: string, arg: string, t: Tensor): void {
  assertRank(fn, arg, t, 4);
  if (t.shape[3] !== 3) {
    fail(fn, `'${arg}' must be RGB NHWC [B, H, W, 3], got ${t.shape[3]} channels (shape [${t.shape}])`);
  }
  if (t.dtype !== 'float32') fail(fn, `'${arg}' must be float32, got ${t.dtype}`);
}

export function assertInt(fn: string, arg: string, v: number, min = 1, max = Number.MAX_SAFE_INTEGER): void {
  if (!Number.isInteger(v) || v < min || v > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `in [${min}, ${max}]`;
    fail(fn, `'${arg}' must be an integer ${range}, got ${v}`);
  }
}

export function assertFinite(fn: string, arg: string, v: number, lo = -Infinity, hi = Infinity): void {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < lo || v > hi) {
    fail(fn, `'${arg}' must be a finite number in [${lo}, ${hi}], got ${v}`);
  }
}

export function assertLength(fn: string, arg: string, v: ArrayLike<unknown>, n: number): void {
  if (v == null || v.length !== n) {
    fail(fn, `'${arg}' must have one entry per sample (${n}), got ${v == null ? v : v.length}`);
  }
}
