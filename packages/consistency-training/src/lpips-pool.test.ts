import { describeBackends, expectClose, expectNoLeaks, seededNormal } from '@ctmsr/test-harness';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { maxPool2dDifferentiable } from './lpips-pool.js';

/** Reference max pooling and its gradient (to the first maximal element, row-major), in JS. */
function reference(x: Float32Array, [b, h, w, c]: number[], k: number, s: number, r: Float32Array) {
  const ho = Math.floor((h - k) / s) + 1;
  const wo = Math.floor((w - k) / s) + 1;
  const out = new Float32Array(b * ho * wo * c);
  const grad = new Float32Array(x.length);
  for (let n = 0; n < b; n++)
    for (let i = 0; i < ho; i++)
      for (let j = 0; j < wo; j++)
        for (let ch = 0; ch < c; ch++) {
          let best = -Infinity;
          let at = -1;
          for (let p = 0; p < k; p++)
            for (let q = 0; q < k; q++) {
              const idx = ((n * h + s * i + p) * w + s * j + q) * c + ch;
              if (x[idx] > best) [best, at] = [x[idx], idx];
            }
          const o = ((n * ho + i) * wo + j) * c + ch;
          out[o] = best;
          grad[at] += r[o];
        }
  return { out, grad, shape: [b, ho, wo, c] };
}

describeBackends(
  'differentiable max pooling',
  ({ rtol }) => {
    for (const [k, s, shape] of [
      [2, 2, [2, 6, 7, 3]],
      [3, 2, [1, 9, 8, 5]],
      [3, 2, [1, 15, 15, 2]],
      [2, 1, [1, 4, 5, 3]],
    ] as [number, number, number[]][]) {
      it(`k=${k} s=${s} on [${shape}]: values and gradient match PyTorch's rule`, async () => {
        const x = seededNormal(shape, 3) as tf.Tensor4D;
        const ref0 = reference((await x.data()) as Float32Array, shape, k, s, new Float32Array(0));
        const r = seededNormal(ref0.shape, 4);
        const ref = reference(
          (await x.data()) as Float32Array,
          shape,
          k,
          s,
          (await r.data()) as Float32Array,
        );
        await expectNoLeaks(async () => {
          const y = maxPool2dDifferentiable(x, k, s);
          expect(y.shape).toEqual(ref.shape);
          await expectClose(y, ref.out, { rtol: 0, atol: 0, what: 'pooled values' });
          const g = tf.grad((t: tf.Tensor) =>
            tf.sum(tf.mul(maxPool2dDifferentiable(t as tf.Tensor4D, k, s), r)),
          )(x);
          await expectClose(g, ref.grad, { rtol, atol: 1e-7, what: 'gradient' });
          tf.dispose([y, g]);
        });
        tf.dispose([x, r]);
      });
    }

    it('ties send the gradient to the first element in row-major order', async () => {
      const x = tf.tensor4d([0, 1, 1, 1], [1, 2, 2, 1]);
      await expectNoLeaks(async () => {
        const g = tf.grad((t: tf.Tensor) => tf.sum(maxPool2dDifferentiable(t as tf.Tensor4D, 2, 2)))(x);
        await expectClose(g, [0, 1, 0, 0], { rtol: 0, atol: 0 });
        g.dispose();
      });
      x.dispose();
    });
  },
  { webgpu: true },
);

describeBackends('differentiable max pooling: arguments', () => {
  it('rejects bad arguments, naming them', () => {
    const x = tf.zeros([1, 2, 2, 1]) as tf.Tensor4D;
    expect(() => maxPool2dDifferentiable(x, 3, 2)).toThrow(
      /maxPool2dDifferentiable: 'x' is 2x2, smaller than the 3x3 window/,
    );
    expect(() => maxPool2dDifferentiable(x, 2, 0)).toThrow(/'stride' must be an integer >= 1, got 0/);
    const flat = tf.zeros([2, 2]) as unknown as tf.Tensor4D;
    expect(() => maxPool2dDifferentiable(flat, 2, 2)).toThrow(/'x' must have rank 4/);
    tf.dispose([x, flat]);
  });
});
