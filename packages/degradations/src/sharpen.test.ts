import { describeBackends, expectClose, expectNoLeaks } from '@ctmsr/test-harness';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { filter2d } from './filter2d.js';
import { opencvGaussian1d, unsharpMask } from './sharpen.js';

describeBackends('unsharpMask', ({ rtol }) => {
  it('OpenCV Gaussian: k = 51 has σ = 8, sums to 1', () => {
    const g = opencvGaussian1d(51);
    expect(g.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
    expect(g[25 + 8] / g[25]).toBeCloseTo(Math.exp(-0.5), 6);
  });

  it('matches the formula with a direct 2-D blur; sharpens an edge; constants stay', async () => {
    const cols = 20;
    const row = Array.from({ length: cols }, (_, i) => (i < 10 ? 0.3 : 0.7));
    const x = tf.tensor4d(
      Array.from({ length: 2 * 12 * cols * 3 }, (_, i) => row[Math.floor(i / 3) % cols]),
      [2, 12, cols, 3],
    );
    const y = await expectNoLeaks(() => unsharpMask(x, { radius: 7 }), 1);
    // Reference with the square kernel through filter2d.
    const g = opencvGaussian1d(7);
    const k2 = new Float64Array(49);
    for (let i = 0; i < 7; i++) for (let j = 0; j < 7; j++) k2[i * 7 + j] = g[i] * g[j];
    const kernel = { size: 7, values: k2 };
    const ref = tf.tidy(() => {
      const r = tf.sub(x, filter2d(x, kernel));
      const mask = tf.cast(tf.greater(tf.mul(tf.abs(r), 255), 10), 'float32') as tf.Tensor4D;
      const soft = filter2d(mask, kernel);
      const sharp = tf.clipByValue(tf.add(x, tf.mul(r, 0.5)), 0, 1);
      return tf.add(tf.mul(soft, sharp), tf.mul(tf.sub(1, soft), x));
    });
    await expectClose(y, ref, { rtol, atol: 1e-6 });
    const v = await y.data();
    // Overshoot on both sides of the edge (row 0, channel 0).
    expect(v[9 * 3]).toBeLessThan(0.3 - 0.01);
    expect(v[10 * 3]).toBeGreaterThan(0.7 + 0.01);
    const flat = tf.fill([1, 9, 9, 3], 0.4) as tf.Tensor4D;
    await expectClose(unsharpMask(flat), flat, { atol: 1e-6 });
  });
});
