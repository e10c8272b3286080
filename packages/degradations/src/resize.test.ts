import { describeBackends, expectClose, expectNoLeaks, loadFixture } from '@ctmsr/test-harness';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { cubicWeight, type ResizeMode, resize, resizeTaps } from './resize.js';

interface Golden {
  input: number[];
  inputShape: [number, number, number, number];
  cases: Array<{
    mode: ResizeMode;
    size?: [number, number];
    scaleFactor?: number;
    shape: number[];
    output: number[];
  }>;
}

describeBackends(
  'resize (PyTorch F.interpolate semantics)',
  ({ rtol }) => {
    const fx = loadFixture<Golden>(import.meta.url, 'resize-golden.json');

    it('matches torch for area / bilinear / bicubic, by size and by scale factor, up and down', async () => {
      expect(fx.cases.length).toBe(39);
      const x = tf.tensor4d(fx.input, fx.inputShape);
      for (const c of fx.cases) {
        const target = c.size ? { size: c.size } : { scaleFactor: c.scaleFactor as number };
        const y = await expectNoLeaks(() => resize(x, target, c.mode), 1);
        await expectClose(y, tf.tensor(c.output, c.shape), {
          rtol,
          atol: 2e-6,
          what: `${c.mode} ${c.size ? `size ${c.size}` : `x${c.scaleFactor}`}`,
        });
        y.dispose();
      }
      x.dispose();
    });

    it('keeps constants constant and is the identity at the same size', async () => {
      const x = tf.fill([2, 5, 6, 3], 0.3) as tf.Tensor4D;
      for (const mode of ['area', 'bilinear', 'bicubic'] as const) {
        await expectClose(resize(x, { size: [11, 4] }, mode), tf.fill([2, 11, 4, 3], 0.3), { atol: 1e-6 });
      }
      const r = tf.randomUniform([1, 4, 5, 2], 0, 1, 'float32', 3) as tf.Tensor4D;
      await expectClose(resize(r, { scaleFactor: 1 }, 'bicubic'), r, { atol: 0 });
    });

    it('rejects bad arguments', async () => {
      const x = tf.zeros([1, 4, 4, 3]) as tf.Tensor4D;
      expect(() => resize(tf.zeros([4, 4, 3]) as unknown as tf.Tensor4D, { size: [2, 2] }, 'area')).toThrow(
        /resize: 'x' must have rank 4, got rank 3/,
      );
      expect(() => resize(x, { size: [0, 2] }, 'area')).toThrow(/'size\[0\]' must be an integer >= 1, got 0/);
      expect(() => resize(x, { scaleFactor: -1 }, 'area')).toThrow(/'scaleFactor' must be finite and > 0/);
      expect(() => resize(x, { size: [2, 2] }, 'nearest' as ResizeMode)).toThrow(/'mode' must be one of/);
    });
  },
  { webgpu: true },
);

it('cubicWeight is the Keys kernel (interpolating, partition of unity)', async () => {
  expect(cubicWeight(0)).toBe(1);
  expect(cubicWeight(1)).toBeCloseTo(0, 15);
  expect(cubicWeight(2)).toBe(0);
  for (const t of [0.1, 0.25, 0.5, 0.9]) {
    const s = cubicWeight(t + 1) + cubicWeight(t) + cubicWeight(1 - t) + cubicWeight(2 - t);
    expect(s).toBeCloseTo(1, 14);
  }
  const taps = resizeTaps(8, 4, 'area');
  expect(taps.taps).toBe(2);
});
