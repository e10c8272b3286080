/** Tensor assertions: element-wise closeness with readable failures, and leak checks. */
import * as tf from '@tensorflow/tfjs-core';

type Numeric = tf.Tensor | ArrayLike<number> | number;

function toArray(v: Numeric): Float64Array {
  if (typeof v === 'number') return Float64Array.of(v);
  if (v instanceof tf.Tensor) return Float64Array.from(v.dataSync() as ArrayLike<number>);
  return Float64Array.from(v);
}

function shapeOf(v: Numeric): number[] | null {
  return v instanceof tf.Tensor ? v.shape : null;
}

/**
 * Asserts |a - e| <= atol + rtol * |e| element-wise (shapes must match when both are tensors).
 * The message names the first failing index and the worst error.
 */
export function expectClose(
  actual: Numeric,
  expected: Numeric,
  options: { rtol?: number; atol?: number; what?: string } = {},
): void {
  const rtol = options.rtol ?? 1e-5;
  const atol = options.atol ?? 1e-6;
  const what = options.what ? `${options.what}: ` : '';
  const sa = shapeOf(actual);
  const se = shapeOf(expected);
  if (sa && se && sa.join(',') !== se.join(',')) {
    throw new Error(`${what}shape mismatch: actual [${sa}] vs expected [${se}]`);
  }
  const a = toArray(actual);
  const e = toArray(expected);
  if (a.length !== e.length) {
    throw new Error(`${what}length mismatch: actual ${a.length} vs expected ${e.length}`);
  }
  let first = -1;
  let worst = 0;
  let worstAt = -1;
  for (let i = 0; i < a.length; i++) {
    const err = Math.abs(a[i] - e[i]);
    const tol = atol + rtol * Math.abs(e[i]);
    if (!(err <= tol)) {
      if (first < 0) first = i;
      const ratio = Number.isFinite(err) ? err / tol : Number.POSITIVE_INFINITY;
      if (ratio > worst || Number.isNaN(err)) {
        worst = ratio;
        worstAt = i;
      }
    }
  }
  if (first >= 0) {
    throw new Error(
      `${what}not close (rtol ${rtol}, atol ${atol}): first at [${first}] actual ${a[first]} vs expected ${e[first]}; ` +
        `worst at [${worstAt}] actual ${a[worstAt]} vs expected ${e[worstAt]}`,
    );
  }
}

/**
 * Runs `fn` and asserts that the number of live tensors is the same before and after.
 * Returns fn's result (whose own tensors, if any, must be listed in `allow`).
 */
export async function expectNoLeaks<T>(fn: () => T | Promise<T>, allow = 0): Promise<T> {
  const before = tf.memory().numTensors;
  const result = await fn();
  const after = tf.memory().numTensors;
  if (after - before !== allow) {
    throw new Error(`tensor leak: ${after - before} tensors created and not disposed (allowed ${allow})`);
  }
  return result;
}

/** Seeded standard-normal tensor, identical on every backend (generated in JS). */
export function seededNormal(shape: number[], seed: number): tf.Tensor {
  return tf.randomNormal(shape, 0, 1, 'float32', seed);
}
