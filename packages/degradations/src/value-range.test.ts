import { describeBackends, expectClose, expectNoLeaks } from '@ctmsr/test-harness';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { gaussianNoise } from './noise.js';
import { reflectPad } from './reflect-pad.js';
import { applyTaps, applyTaps2d, tapTable } from './resample.js';
import { resizeTaps } from './resize.js';
import { fromSymmetricRange, quantize8bit, toSymmetricRange } from './value-range.js';

describeBackends('value range and helpers', () => {
  it('quantize8bit rounds to the 8-bit lattice (ties to even) and clamps', async () => {
    const x = tf.tensor1d([-0.2, 0, 0.5 / 255, 1.5 / 255, 0.5, 1, 1.3]);
    const y = await expectNoLeaks(() => quantize8bit(x), 1);
    await expectClose(y, [0, 0, 0, 2 / 255, 128 / 255, 1, 1], { atol: 1e-7 });
  });

  it('toSymmetricRange maps [0, 1] to [-1, 1] and fromSymmetricRange inverts it', async () => {
    const x = tf.tensor1d([0, 0.25, 1]);
    const s = await expectNoLeaks(() => toSymmetricRange(x), 1);
    await expectClose(s, [-1, -0.5, 1], { atol: 1e-7 });
    await expectClose(fromSymmetricRange(s), x, { atol: 1e-7 });
  });

  it('helpers are leak-free: reflectPad, applyTaps, applyTaps2d, gaussianNoise', async () => {
    const x = tf.randomUniform([2, 5, 6, 3], 0, 1, 'float32', 1) as tf.Tensor4D;
    await expectNoLeaks(() => reflectPad(x, 7, 1, 0, 9), 1);
    await expectNoLeaks(() => applyTaps(x, resizeTaps(6, 4, 'bicubic'), 2), 1);
    await expectNoLeaks(() => applyTaps2d(x, resizeTaps(5, 9, 'area'), resizeTaps(6, 3, 'bilinear')), 1);
    await expectNoLeaks(
      () => gaussianNoise([2, 5, 6, 3], { type: 'gaussian', sigma: [1, 1], gray: [true, false], seed: 3 }),
      1,
    );
    // A selection table (edge replication) through applyTaps2d equals explicit indexing.
    const t = tapTable(
      5,
      Array.from({ length: 7 }, (_, o) => [[Math.min(o, 4), 1] as [number, number]]),
    );
    const y = applyTaps2d(x, t, resizeTaps(6, 6, 'area'));
    expect(y.shape).toEqual([2, 7, 6, 3]);
    await expectClose(
      tf.slice(y, [0, 4, 0, 0], [2, 3, 6, 3]),
      tf.tile(tf.slice(x, [0, 4, 0, 0], [2, 1, 6, 3]), [1, 3, 1, 1]),
      {
        atol: 1e-6,
      },
    );
  });
});
