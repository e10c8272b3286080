import { GROUP_NORM_KERNEL } from '@ctmsr/backends';
import { describeBackends, expectClose, expectNoLeaks, seededNormal } from '@ctmsr/test-harness';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';

/** Reference GroupNorm (+SiLU) with plain reshape/moments ops (independent of sr-unet's). */
function reference(
  x: tf.Tensor4D,
  gamma: tf.Tensor,
  beta: tf.Tensor,
  groups: number,
  eps: number,
  silu: boolean,
) {
  return tf.tidy(() => {
    const [b, h, w, c] = x.shape;
    const g = tf.reshape(x, [b, h * w, groups, c / groups]);
    const { mean, variance } = tf.moments(g, [1, 3], true);
    const n = tf.reshape(tf.div(tf.sub(g, mean), tf.sqrt(tf.add(variance, eps))), [b, h, w, c]);
    const y = tf.add(tf.mul(n, gamma), beta);
    return silu ? tf.mul(y, tf.sigmoid(y)) : y;
  });
}

describeBackends(
  'CtmsrGroupNorm fused WebGPU kernel',
  () => {
    const cases: Array<[number[], number, boolean]> = [
      [[1, 16, 16, 32], 8, true],
      [[2, 8, 12, 16], 4, false],
      [[1, 5, 7, 12], 3, true],
      [[1, 64, 64, 16], 4, false], // more elements per group than threads per workgroup
    ];
    for (const [shape, groups, silu] of cases) {
      it(`matches the reference for [${shape}], ${groups} groups, silu ${silu}, leak-free`, async () => {
        const x = tf.add(tf.mul(seededNormal(shape, 1), 3), 0.5) as tf.Tensor4D;
        const c = shape[3];
        const gamma = seededNormal([c], 2);
        const beta = seededNormal([c], 3);
        const want = reference(x, gamma, beta, groups, 1e-5, silu);
        const got = await expectNoLeaks(
          () =>
            tf.engine().runKernel(GROUP_NORM_KERNEL, { x, gamma, beta }, {
              groups,
              eps: 1e-5,
              silu,
            } as never) as tf.Tensor,
          1,
        );
        expect(got.shape).toEqual(shape);
        expectClose(await got.data(), await want.data(), { rtol: 1e-4, atol: 1e-4, what: 'fused GroupNorm' });
        tf.dispose([x, gamma, beta, want, got]);
      });
    }

    it('rejects groups that do not divide C and mis-shaped gamma, naming them', () => {
      const x = tf.zeros([1, 4, 4, 6]);
      const g = tf.ones([6]);
      const bad = tf.ones([5]);
      const run = (gamma: tf.Tensor, groups: number) =>
        tf
          .engine()
          .runKernel(GROUP_NORM_KERNEL, { x, gamma, beta: g }, { groups, eps: 1e-5, silu: false } as never);
      expect(() => run(g, 4)).toThrow(/'groups' must divide the 6 channels, got 4/);
      expect(() => run(bad, 3)).toThrow(/'gamma' must be \[6\], got \[5\]/);
      tf.dispose([x, g, bad]);
    });

    it('has no gradient: differentiating through it says to use training mode', () => {
      const x = tf.ones([1, 2, 2, 4]) as tf.Tensor4D;
      const g = tf.ones([4]);
      const f = (t: tf.Tensor) =>
        tf.sum(
          tf.engine().runKernel(GROUP_NORM_KERNEL, { x: t, gamma: g, beta: g }, {
            groups: 2,
            eps: 1e-5,
            silu: false,
          } as never) as tf.Tensor,
        );
      expect(() => tf.grad(f)(x)).toThrow(/inference-only.*training: true/);
      tf.dispose([x, g]);
    });
  },
  { backends: ['webgpu'] },
);
