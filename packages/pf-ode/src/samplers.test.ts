import { type Denoiser, initialState, sampleConsistency, samplingLevels } from '@ctmsr/pf-ode';
import { describeBackends, expectClose, expectNoLeaks, seededNormal } from '@ctmsr/test-harness';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';

/** Analytic stand-in denoiser: D(x, l, sigma) = x / (1 + sigma). Counts its calls. */
function standIn(): { d: Denoiser; calls: number[] } {
  const calls: number[] = [];
  const d: Denoiser = (x, _lq, sigma) => {
    const s = sigma as number;
    calls.push(s);
    return tf.div(x, 1 + s) as tf.Tensor4D;
  };
  return { d, calls };
}

it('samplingLevels: 1, 2 and 4 steps are evenly spaced from the top', () => {
  expect(samplingLevels(1)).toEqual([{ sigma: 1, alpha: 1 }]);
  expect(samplingLevels(2)).toEqual([
    { sigma: 1, alpha: 1 },
    { sigma: 0.5, alpha: 0.5 },
  ]);
  expect(samplingLevels(4).map((l) => l.sigma)).toEqual([1, 0.75, 0.5, 0.25]);
  expect(() => samplingLevels(0)).toThrow(/'steps' must be an integer >= 1/);
});

describeBackends(
  'samplers',
  ({ rtol }) => {
    const shape: [number, number, number, number] = [1, 4, 4, 3];
    it('one step is a single call D(u + eps, 1)', async () => {
      const u = seededNormal(shape, 1) as tf.Tensor4D;
      const eps = seededNormal(shape, 2) as tf.Tensor4D;
      const lq = tf.zeros([1, 1, 1, 3]) as tf.Tensor4D;
      const { d, calls } = standIn();
      await expectNoLeaks(async () => {
        const xT = initialState(u, 1, eps);
        const y = sampleConsistency(d, xT, samplingLevels(1), { lq, u });
        const us = await u.data();
        const es = await eps.data();
        await expectClose(
          y,
          Float32Array.from(us, (v, i) => (v + es[i]) / 2),
          { rtol, atol: 1e-6 },
        );
        tf.dispose([xT, y]);
      });
      expect(calls).toEqual([1]);
      tf.dispose([u, eps, lq]);
    });

    it('two steps re-noise along the trajectory as derived by hand', async () => {
      const u = seededNormal(shape, 3) as tf.Tensor4D;
      const e0 = seededNormal(shape, 4) as tf.Tensor4D;
      const lq = tf.zeros([1, 1, 1, 3]) as tf.Tensor4D;
      const { d, calls } = standIn();
      const us = await u.data();
      const e0s = await e0.data();
      const e1s = await seededNormal(shape, 5).data();
      // y1 = (u + e0) / 2; x1 = y1 + 0.5 (u - y1) + 0.5 e1; y2 = x1 / 1.5
      const expected = Float32Array.from(us, (v, i) => {
        const y1 = (v + e0s[i]) / 2;
        const x1 = y1 + 0.5 * (v - y1) + 0.5 * e1s[i];
        return x1 / 1.5;
      });
      await expectNoLeaks(async () => {
        const xT = initialState(u, 1, e0);
        const y = sampleConsistency(d, xT, samplingLevels(2), {
          lq,
          u,
          noise: () => seededNormal(shape, 5) as tf.Tensor4D,
        });
        await expectClose(y, expected, { rtol, atol: 1e-6 });
        tf.dispose([xT, y]);
      });
      expect(calls).toEqual([1, 0.5]);
      tf.dispose([u, e0, lq]);
    });

    it('rejects unordered levels and missing noise', () => {
      const u = tf.zeros(shape) as tf.Tensor4D;
      const lq = tf.zeros([1, 1, 1, 3]) as tf.Tensor4D;
      const { d } = standIn();
      expect(() =>
        sampleConsistency(
          d,
          u,
          [
            { sigma: 0.5, alpha: 0.5 },
            { sigma: 1, alpha: 1 },
          ],
          { lq, u, noise: () => tf.zeros(shape) as tf.Tensor4D },
        ),
      ).toThrow(/strictly decreasing sigma, got 0.5 then 1 at index 1/);
      expect(() => sampleConsistency(d, u, samplingLevels(2), { lq, u })).toThrow(
        /'options.noise' is required/,
      );
      tf.dispose([u, lq]);
    });
  },
  { webgpu: true },
);
