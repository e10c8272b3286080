/** Argument checks that name the function, the argument, and expected vs actual. */
import type { Tensor } from '@tensorflow/tfjs-core';

export function assertPositiveInteger(fn: string, arg: string, v: number, min = 1): void {
  if (!Number.isInteger(v) || v < min) {
    throw new Error(`${fn}: '${arg}' must be an integer >= ${min}, got ${v}`);
  }
}

export function assertRatio(fn: string, arg: string, v: number): void {
  if (!Number.isFinite(v) || v < 0 || v > 1) {
    throw new Error(`${fn}: '${arg}' must be a finite number in [0, 1], got ${v}`);
  }
}

export function assertFinitePositive(fn: string, arg: string, v: number, allowZero = false): void {
  if (!Number.isFinite(v) || v < 0 || (!allowZero && v === 0)) {
    throw new Error(`${fn}: '${arg}' must be a finite number ${allowZero ? '>=' : '>'} 0, got ${v}`);
  }
}

export function assertRank4(fn: string, arg: string, t: Tensor): void {
  if (t == null || t.rank !== 4) {
    throw new Error(
      `${fn}: '${arg}' must be a rank-4 tensor [B,H,W,C], got ${t == null ? t : `rank ${t.rank} (shape [${t.shape}])`}`,
    );
  }
}

export function assertSameShape(fn: string, a: string, ta: Tensor, b: string, tb: Tensor): void {
  if (ta.shape.length !== tb.shape.length || ta.shape.some((d, i) => d !== tb.shape[i])) {
    throw new Error(`${fn}: '${a}' [${ta.shape}] and '${b}' [${tb.shape}] must have the same shape`);
  }
}

export function assertOneOf<T extends string>(fn: string, arg: string, v: T, allowed: readonly T[]): void {
  if (!allowed.includes(v)) {
    throw new Error(`${fn}: '${arg}' must be one of ${allowed.map((a) => `'${a}'`).join(', ')}, got '${v}'`);
  }
}
