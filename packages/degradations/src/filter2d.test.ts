import { describeBackends, expectClose, expectNoLeaks, loadFixture } from '@ctmsr/test-harness';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { filter2d } from './filter2d.js';
import { gaussianKernel, type Kernel2D, padKernel, pulseKernel, sincKernel } from './kernels.js';
import { reflectPad } from './reflect-pad.js';

/** Direct reference: reflect pad by the same rule, then the k×k sum, in JS. */
function reference(x: number[], shape: number[], kernels: Kernel2D[]): Float32Array {
  const [b, h, w, c] = shape;
  const out = new Float32Array(b * h * w * c);
  const refl = (i: number, n: number) => {
    if (n === 1) return 0;
    const p = 2 * (n - 1);
    const m = ((i % p) + p) % p;
    return m < n ? m : p - m;
  };
  for (let n = 0; n < b; n++) {
    const k = kernels[kernels.length === 1 ? 0 : n];
    const r = (k.size - 1) / 2;
    for (let y = 0; y < h; y++)
      for (let xx = 0; xx < w; xx++)
        for (let ch = 0; ch < c; ch++) {
          let s = 0;
          for (let i = 0; i < k.size; i++)
            for (let j = 0; j < k.size; j++) {
              const yy = refl(y + i - r, h);
              const xj = refl(xx + j - r, w);
              s += k.values[i * k.size + j] * x[((n * h + yy) * w + xj) * c + ch];
            }
          out[((n * h + y) * w + xx) * c + ch] = s;
        }
  }
  return out;
}

describeBackends(
  'filter2d (per-sample kernels, reflect padding)',
  ({ rtol }) => {
    it('matches BasicSR filter2D computed by torch (test/golden)', async () => {
      const fx = loadFixture<{
        input: number[];
        inputShape: [number, number, number, number];
        kernels: Array<{ size: number; values: number[] }>;
        output: number[];
      }>(import.meta.url, 'filter2d-golden.json');
      const x = tf.tensor4d(fx.input, fx.inputShape);
      const ks = fx.kernels.map((k) => ({ size: k.size, values: Float64Array.from(k.values) }));
      const y = await expectNoLeaks(() => filter2d(x, ks), 1);
      await expectClose(y, tf.tensor(fx.output, fx.inputShape), { rtol, atol: 1e-6 });
      tf.dispose([x, y]);
    });

    it('matches a direct sum for odd sizes, large kernels on small images, mixed sizes', async () => {
      const shapes: Array<[number, number, number, number]> = [
        [3, 7, 5, 3],
        [2, 1, 6, 2],
        [2, 13, 9, 1],
      ];
      for (const shape of shapes) {
        const x = tf.randomUniform(shape, 0, 1, 'float32', 11) as tf.Tensor4D;
        const xs = Array.from(await x.data());
        const ks = [gaussianKernel(21, 3, 1, 0.7), sincKernel(5, 2), gaussianKernel(9, 1.5, 0.5, -1)].slice(
          0,
          shape[0],
        );
        await expectClose(filter2d(x, ks), reference(xs, shape, ks), {
          rtol,
          atol: 1e-6,
          what: `shape ${shape}`,
        });
        // One kernel for the whole batch.
        await expectClose(filter2d(x, ks[1]), reference(xs, shape, [ks[1]]), { rtol, atol: 1e-6 });
      }
    });

    it('zero-padding a kernel does not change the result; the pulse is the identity', async () => {
      const x = tf.randomUniform([2, 10, 12, 3], 0, 1, 'float32', 5) as tf.Tensor4D;
      const k = gaussianKernel(5, 1.1, 0.9, 0.2);
      await expectClose(filter2d(x, [k, k]), filter2d(x, [padKernel(k, 21), padKernel(k, 15)]), {
        rtol,
        atol: 1e-6,
      });
      await expectClose(filter2d(x, [pulseKernel(21), pulseKernel(1)]), x, { atol: 1e-7 });
    });

    it('reflectPad equals mirrorPad for small pads and continues the mirror for large ones', async () => {
      const x = tf.tensor4d([1, 2, 3], [1, 1, 3, 1]);
      const read = async (t: tf.Tensor) => Array.from(await t.data());
      expect(await read(reflectPad(x, 0, 0, 2, 2))).toEqual([3, 2, 1, 2, 3, 2, 1]);
      expect(await read(reflectPad(x, 0, 0, 5, 4))).toEqual([2, 1, 2, 3, 2, 1, 2, 3, 2, 1, 2, 3]);
      // A 1-row image is replicated.
      expect(await read(reflectPad(x, 1, 2, 0, 0))).toEqual([1, 2, 3, 1, 2, 3, 1, 2, 3, 1, 2, 3]);
      const y = tf.tensor4d([1, 2, 3, 4, 5, 6], [1, 3, 2, 1]);
      await expectClose(
        reflectPad(y, 2, 1, 1, 1),
        tf.mirrorPad(
          y,
          [
            [0, 0],
            [2, 1],
            [1, 1],
            [0, 0],
          ],
          'reflect',
        ),
        { atol: 0 },
      );
    });

    it('rejects bad arguments', async () => {
      const x = tf.zeros([2, 4, 4, 3]) as tf.Tensor4D;
      expect(() => filter2d(x, [pulseKernel(3), pulseKernel(3), pulseKernel(3)])).toThrow(
        /filter2d: 'kernels' must hold 1 or B = 2 kernels, got 3/,
      );
      expect(() => filter2d(x, { size: 2, values: new Float64Array(4) })).toThrow(/odd size/);
      expect(() => filter2d(tf.zeros([4, 4]) as unknown as tf.Tensor4D, pulseKernel(1))).toThrow(/rank 4/);
    });
  },
  { webgpu: true },
);
