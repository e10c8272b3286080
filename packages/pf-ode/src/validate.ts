/** Argument checks that name the function, the argument, and expected vs actual. */
import type { Tensor } from '@tensorflow/tfjs-core';

export function assertRank(fn: string, arg: string, t: Tensor, rank: number): void {
  if (t.rank !== rank) {
    throw new Error(`${fn}: '${arg}' must have rank ${rank}, got rank ${t.rank} (shape [${t.shape}])`);
  }
}

export function assertSameShape(fn: string, a: string, ta: Tensor, b: string, tb: Tensor): void {
  if (ta.shape.length !== tb.shape.length || ta.shape.some((d, i) => d !== tb.shape[i])) {
    throw new Error(`${fn}: '${a}' [${ta.shape}] and '${b}' [${tb.shape}] must have the same shape`);
  }
}

export function assertFiniteInRange(fn: string, arg: string, v: number, lo: number, hi: number): void {
  if (!Number.isFinite(v) || v < lo || v > hi) {
    throw new Error(`${fn}: '${arg}' must be a finite number in [${lo}, ${hi}], got ${v}`);
  }
}

export function assertPositiveInt(fn: string, arg: string, v: number, min = 1): void {
  if (!Number.isInteger(v) || v < min) {
    throw new Error(`${fn}: '${arg}' must be an integer >= ${min}, got ${v}`);
  }
}
