import { edmCoefficients, precondition, type RawNetwork } from '@ctmsr/pf-ode';
import { describeBackends, expectClose, expectNoLeaks, seededNormal } from '@ctmsr/test-harness';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';

// method.md §2.1 table (4 decimals).
const TABLE: [number, number, number, number][] = [
  [0, 1, 0, -1.5537],
  [0.25, 0.0385, 0.9806, -0.3446],
  [1 / 3, 0.022, 0.9889, -0.2732],
  [2 / 3, 0.0056, 0.9972, -0.1006],
  [1, 0.00249, 0.99875, 0.0005],
];

it('edmCoefficients reproduces the spec table', () => {
  for (const [sigma, cSkip, cOut, cNoise] of TABLE) {
    const c = edmCoefficients(sigma);
    expect(c.cSkip).toBeCloseTo(cSkip, sigma === 1 ? 5 : 4);
    expect(c.cOut).toBeCloseTo(cOut, sigma === 1 ? 5 : 4);
    expect(c.cNoise).toBeCloseTo(cNoise, 4);
    expect(c.cIn).toBe(1);
  }
});

it('c_skip(0) = 1 and c_out(0) = 0 exactly', () => {
  const c = edmCoefficients(0);
  expect(c.cSkip).toBe(1);
  expect(c.cOut).toBe(0);
});

it('edmCoefficients rejects a negative or non-finite sigma', () => {
  expect(() => edmCoefficients(-0.1)).toThrow(/edmCoefficients: 'sigma'.*got -0.1/);
  expect(() => edmCoefficients(Number.NaN)).toThrow(/sigma/);
});

/** A raw network whose output depends on all its inputs: F = tanh(x) * (1 + cNoise) + mean(lq). */
const raw: RawNetwork = (x, cNoise, lq) =>
  tf.tidy(() => {
    const c = tf.reshape(tf.add(cNoise, 1), [-1, 1, 1, 1]);
    return tf.add(tf.mul(tf.tanh(x), c), tf.mean(lq, [1, 2, 3], true)) as tf.Tensor4D;
  });

describeBackends(
  'precondition',
  ({ rtol }) => {
    it('D(x, 0) = x exactly', async () => {
      const x = seededNormal([2, 8, 8, 3], 1) as tf.Tensor4D;
      const lq = seededNormal([2, 2, 2, 3], 2) as tf.Tensor4D;
      const d = precondition(raw);
      await expectNoLeaks(async () => {
        const y = d(x, lq, 0);
        expect(Array.from(await y.data())).toEqual(Array.from(await x.data()));
        y.dispose();
      });
      tf.dispose([x, lq]);
    });

    it('matches c_skip x + c_out F by hand, for scalar and per-sample sigma', async () => {
      const x = seededNormal([2, 4, 4, 3], 3) as tf.Tensor4D;
      const lq = seededNormal([2, 1, 1, 3], 4) as tf.Tensor4D;
      const d = precondition(raw);
      const xs = await x.data();
      const lqs = await lq.data();
      const per = 4 * 4 * 3;
      const expected = (sigmas: number[]) => {
        const out = new Float32Array(xs.length);
        for (let b = 0; b < 2; b++) {
          const c = edmCoefficients(sigmas[b]);
          const m = (lqs[b * 3] + lqs[b * 3 + 1] + lqs[b * 3 + 2]) / 3;
          for (let i = 0; i < per; i++) {
            const v = xs[b * per + i];
            out[b * per + i] = c.cSkip * v + c.cOut * (Math.tanh(v) * (1 + c.cNoise) + m);
          }
        }
        return out;
      };
      await expectNoLeaks(async () => {
        const y1 = d(x, lq, 0.5);
        await expectClose(y1, expected([0.5, 0.5]), { rtol, atol: 1e-5 });
        const s = tf.tensor1d([1 / 3, 1]);
        const y2 = d(x, lq, s);
        await expectClose(y2, expected([1 / 3, 1]), { rtol, atol: 1e-5 });
        tf.dispose([y1, y2, s]);
      });
      tf.dispose([x, lq]);
    });

    it('names the bad argument', () => {
      const d = precondition(raw);
      const x = tf.zeros([2, 4, 4, 3]) as tf.Tensor4D;
      const lq = tf.zeros([1, 1, 1, 3]) as tf.Tensor4D;
      expect(() => d(x, lq, 1)).toThrow(/Denoiser: 'lq' batch 1 does not match 'x' batch 2/);
      expect(() => d(tf.zeros([4, 4, 3]) as unknown as tf.Tensor4D, lq, 1)).toThrow(
        /'x' must have rank 4, got rank 3/,
      );
      const lq2 = tf.zeros([2, 1, 1, 3]) as tf.Tensor4D;
      const s = tf.tensor1d([1, 1, 1]);
      expect(() => d(x, lq2, s)).toThrow(/'sigma' has 3 entries, expected the batch size 2/);
      expect(() => d(x, lq2, -1)).toThrow(/'sigma' must be a finite number/);
      tf.dispose([x, lq, lq2, s]);
    });
  },
  { webgpu: true },
);
