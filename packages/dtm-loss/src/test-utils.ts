/** Shared fixtures of this package's tests (not exported from the package, not bundled). */
import { type Denoiser, precondition, type RawNetwork, seededNormal, trajectoryLevels } from '@ctmsr/pf-ode';
import * as tf from '@tensorflow/tfjs-core';
import type { Distance } from './options.js';

export const HR: [number, number, number, number] = [2, 8, 8, 3];
export const LEVELS = trajectoryLevels(4); // the reference's 4-point CT grid

export function makeBatch() {
  return {
    y: seededNormal(HR, 11) as tf.Tensor4D,
    u: seededNormal(HR, 12) as tf.Tensor4D,
    lq: seededNormal([2, 2, 2, 3], 13) as tf.Tensor4D,
  };
}

/** A small raw network with its own variables: F = tanh((x + c_noise) * w + b), w and b per channel. */
export function tinyNet(seed: number): { vars: tf.Variable[]; denoiser: Denoiser } {
  const w = tf.variable(tf.add(seededNormal([3], seed), 1));
  const b = tf.variable(tf.mul(seededNormal([3], seed + 1), 0.1));
  const raw: RawNetwork = (x, cNoise, _lq) =>
    tf.tidy(() => tf.tanh(tf.add(tf.mul(tf.add(x, tf.reshape(cNoise, [-1, 1, 1, 1])), w), b)) as tf.Tensor4D);
  return { vars: [w, b], denoiser: precondition(raw) };
}

/** Per-sample mean absolute / squared difference. */
export const l1: Distance = (a, b) => tf.tidy(() => tf.mean(tf.abs(tf.sub(a, b)), [1, 2, 3]) as tf.Tensor1D);
export const l2: Distance = (a, b) =>
  tf.tidy(() => tf.mean(tf.squaredDifference(a, b), [1, 2, 3]) as tf.Tensor1D);
