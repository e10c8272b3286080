/**
 * Training pairs (y, u, l) from HR crops, by the configured degradation (method.md §6):
 * - 'bicubic': l = 8-bit(imresize_bicubic(y, 1/s)) (MATLAB-style antialiased), u = bicubic_up(l)
 *   exactly as at inference (pf-ode `bicubicUpsample` of the quantised LR).
 * - 'real-esrgan': the second-order pipeline with the training settings (§6.2).
 * - 'real-esrgan-test': the milder test-set settings (§6.3).
 * - 'mixed': per batch, 'bicubic' with probability `bicubicFraction`, else 'real-esrgan-test'.
 * All random choices come from (seed, iteration): resumed runs see the same pairs.
 * Outputs are in [-1, 1] (method.md §1.1).
 */

import type { CtBatch } from '@ctmsr/consistency-training';
import {
  DEFAULT_REAL_ESRGAN_OPTIONS,
  imresize,
  quantize8bit,
  REAL_ESRGAN_TEST_OPTIONS,
  realEsrganDegrade,
  sampleDegradationParams,
} from '@ctmsr/degradations';
import { bicubicUpsample, deriveSeed, fromUnitRange } from '@ctmsr/pf-ode';
import * as tf from '@tensorflow/tfjs-core';
import type { DegradationMode } from './config.js';

const STREAM = { mode: 201, params: 202 } as const;

/** The concrete degradation of iteration k ('mixed' resolved by a seeded draw). */
export function degradationFor(mode: DegradationMode, bicubicFraction: number, seed: number, k: number) {
  if (mode !== 'mixed') return mode;
  return deriveSeed(seed, k, STREAM.mode) / 4294967296 < bicubicFraction ? 'bicubic' : 'real-esrgan-test';
}

/** Makes the (y, u, l) batch of iteration k from HR crops in [0, 1]. The caller disposes it. */
export function makePairs(
  hr: tf.Tensor4D,
  scale: number,
  mode: DegradationMode,
  bicubicFraction: number,
  seed: number,
  k: number,
): CtBatch & { degradation: string } {
  const degradation = degradationFor(mode, bicubicFraction, seed, k);
  const { lq01, u01 } = tf.tidy(() => {
    if (degradation === 'bicubic') {
      const lq = quantize8bit(tf.clipByValue(imresize(hr, 1 / scale), 0, 1)) as tf.Tensor4D;
      return { lq01: lq, u01: bicubicUpsample(lq, scale) };
    }
    const options = degradation === 'real-esrgan' ? DEFAULT_REAL_ESRGAN_OPTIONS : REAL_ESRGAN_TEST_OPTIONS;
    const params = sampleDegradationParams(
      hr.shape[0],
      [hr.shape[1], hr.shape[2]],
      { ...options, scale },
      deriveSeed(seed, k, STREAM.params) >>> 1,
    );
    const out = realEsrganDegrade(hr, params);
    return { lq01: out.lq, u01: out.u };
  });
  const batch = tf.tidy(() => ({
    y: fromUnitRange(hr),
    u: fromUnitRange(u01),
    lq: fromUnitRange(lq01),
  }));
  tf.dispose([lq01, u01]);
  return { ...batch, degradation };
}
