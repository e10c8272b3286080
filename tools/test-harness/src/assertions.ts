/** Tensor assertions: element-wise closeness with readable failures, and leak checks. */
import * as tf from '@tensorflow/tfjs-core';

type Numeric = tf.Tensor | ArrayLike<number> | number;

async function toArray(v: Numeric): Promise<Float64Array> {
  if (typeof v === 'number') return Float64Array.of(v);
  // Always read asynchronously: webgpu in Node cannot read synchronously (no OffscreenCanvas).
  if (v instanceof tf.Tensor) return Float64Array.from((await v.data()) as ArrayLike<number>);
  return Float64Array.from(v);
}

/** Assertions started but not yet awaited; `flushPendingAssertions` (run after each test) awaits them. */
const pending = new Set<Promise<void>>();

/** Awaits every `expectClose` of the current test, so a forgotten `await` still fails that test. */
export async function flushPendingAssertions(): Promise<void> {
  const all = [...pending];
  pending.clear();
  await Promise.all(all);
}

function shapeOf(v: Numeric): number[] | null {
  return v instanceof tf.Tensor ? v.shape : null;
}

/**
 * Asserts |a - e| <= atol + rtol * |e| element-wise (shapes must match when both are tensors).
 * The message names the first failing index and the worst error. Asynchronous (tensors are read
 * with `data()`): always `await` it.
 */
export function expectClose(
  actual: Numeric,
  expected: Numeric,
  options: { rtol?: number; atol?: number; what?: string } = {},
): Promise<void> {
  const p = compare(actual, expected, options);
  const tracked = p.finally(() => pending.delete(tracked));
  pending.add(tracked);
  return tracked;
}

async function compare(
  actual: Numeric,
  expected: Numeric,
  options: { rtol?: number; atol?: number; what?: string },
): Promise<void> {
  const rtol = options.rtol ?? 1e-5;
  const atol = options.atol ?? 1e-6;
  const what = options.what ? `${options.what}: ` : '';
  const sa = shapeOf(actual);
  const se = shapeOf(expected);
  if (sa && se && sa.join(',') !== se.join(',')) {
    throw new Error(`${what}shape mismatch: actual [${sa}] vs expected [${se}]`);
  }
  const a = await toArray(actual);
  const e = await toArray(expected);
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
