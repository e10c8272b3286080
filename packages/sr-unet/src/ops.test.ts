import { describeBackends, expectClose, expectNoLeaks } from '@ctmsr/test-harness';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import {
  avgPool2,
  concatChannels,
  geluErf,
  groupNorm,
  nearestUp2,
  pixelShuffle,
  pixelUnshuffle,
  seededDropout,
  uniformAt,
} from './ops.js';

/** Deterministic pseudo-random values in [-1, 1). */
function values(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = 2 * uniformAt(seed, i) - 1;
  return out;
}

function t4(shape: [number, number, number, number], seed: number): tf.Tensor4D {
  return tf.tensor4d(
    values(
      shape.reduce((a, b) => a * b, 1),
      seed,
    ),
    shape,
  );
}

describeBackends(
  'sr-unet ops',
  ({ rtol }) => {
    it('pixelUnshuffle uses the PyTorch channel order c*s*s + i*s + j', async () => {
      const [b, h, w, c, s] = [2, 3, 2, 3, 4];
      const x = t4([b, h * s, w * s, c], 1);
      const xs = await x.array();
      const y = await pixelUnshuffle(x, s).array();
      for (let n = 0; n < b; n++)
        for (let yy = 0; yy < h; yy++)
          for (let xx = 0; xx < w; xx++)
            for (let cc = 0; cc < c; cc++)
              for (let i = 0; i < s; i++)
                for (let j = 0; j < s; j++) {
                  expect(y[n][yy][xx][cc * s * s + i * s + j]).toBe(xs[n][yy * s + i][xx * s + j][cc]);
                }
      tf.dispose(x);
    });

    it('pixelShuffle inverts pixelUnshuffle exactly', async () => {
      const x = t4([1, 8, 12, 3], 2);
      await expectNoLeaks(async () => {
        const y = tf.tidy(() => pixelShuffle(pixelUnshuffle(x, 4), 4));
        expect(Array.from(await y.data())).toEqual(Array.from(await x.data()));
        y.dispose();
      });
      x.dispose();
    });

    it('avgPool2 is the exact 2x2 mean and nearestUp2 repeats each pixel 2x2', async () => {
      const x = t4([1, 4, 6, 2], 3);
      const xs = (await x.array())[0];
      const p = (await avgPool2(x).array())[0];
      for (let i = 0; i < 2; i++)
        for (let j = 0; j < 3; j++)
          for (let c = 0; c < 2; c++) {
            const m =
              (xs[2 * i][2 * j][c] +
                xs[2 * i + 1][2 * j][c] +
                xs[2 * i][2 * j + 1][c] +
                xs[2 * i + 1][2 * j + 1][c]) /
              4;
            expect(p[i][j][c]).toBeCloseTo(m, 6);
          }
      const u = (await nearestUp2(x).array())[0];
      for (let i = 0; i < 8; i++)
        for (let j = 0; j < 12; j++)
          for (let c = 0; c < 2; c++) expect(u[i][j][c]).toBe(xs[i >> 1][j >> 1][c]);
      expect(() => avgPool2(t4([1, 3, 4, 1], 1))).toThrow(/avgPool2: 'x' spatial size must be even/);
    });

    it('nearestUp2 gradient is the 2x2 sum', async () => {
      const x = t4([1, 2, 2, 1], 4);
      const r = t4([1, 4, 4, 1], 5);
      const g = tf.grad((a: tf.Tensor) => tf.sum(tf.mul(nearestUp2(a as tf.Tensor4D), r)))(x);
      const rs = (await r.array())[0];
      const gs = (await g.array()) as number[][][][];
      for (let i = 0; i < 2; i++)
        for (let j = 0; j < 2; j++) {
          const want =
            rs[2 * i][2 * j][0] +
            rs[2 * i + 1][2 * j][0] +
            rs[2 * i][2 * j + 1][0] +
            rs[2 * i + 1][2 * j + 1][0];
          expect(gs[0][i][j][0]).toBeCloseTo(want, 5);
        }
      tf.dispose([x, r, g]);
    });

    it('concatChannels equals tf.concat', async () => {
      const a = t4([2, 3, 4, 5], 6);
      const b = t4([2, 3, 4, 3], 7);
      expect(Array.from(await concatChannels(a, b).data())).toEqual(
        Array.from(await tf.concat([a, b], 3).data()),
      );
      tf.dispose([a, b]);
    });

    it('groupNorm matches a direct computation (groups, eps, affine)', async () => {
      const [b, h, w, c, g] = [2, 3, 5, 8, 2];
      const x = t4([b, h, w, c], 8);
      const gamma = tf.tensor1d(values(c, 9));
      const beta = tf.tensor1d(values(c, 10));
      const y = await expectNoLeaks(() => groupNorm(x, gamma, beta, 1e-6, g), 1);
      const xs = await x.data();
      const gs = await gamma.data();
      const bs = await beta.data();
      const want = new Float64Array(xs.length);
      const per = c / g;
      for (let n = 0; n < b; n++)
        for (let gi = 0; gi < g; gi++) {
          const idx: number[] = [];
          for (let p = 0; p < h * w; p++)
            for (let k = 0; k < per; k++) idx.push((n * h * w + p) * c + gi * per + k);
          const mean = idx.reduce((s, i) => s + xs[i], 0) / idx.length;
          const v = idx.reduce((s, i) => s + (xs[i] - mean) ** 2, 0) / idx.length;
          for (const i of idx) want[i] = ((xs[i] - mean) / Math.sqrt(v + 1e-6)) * gs[i % c] + bs[i % c];
        }
      expectClose(await y.data(), want, { rtol, atol: 1e-5, what: 'groupNorm' });
      tf.dispose([x, gamma, beta, y]);
    });

    it('geluErf matches 0.5 x (1 + erf(x / sqrt 2)) at known points', async () => {
      const y = geluErf(tf.tensor1d([-2, -0.5, 0, 1, 3]));
      // Reference values of the exact GELU.
      expectClose(await y.data(), [-0.04550026, -0.15426877, 0, 0.84134475, 2.99595031], {
        rtol: 1e-4,
        atol: 1e-6,
      });
      y.dispose();
    });

    it('seededDropout is a pure function of the key, keeps about 1-p and rescales', async () => {
      const x = tf.ones([1, 16, 16, 8]);
      const a = await seededDropout(x, 0.25, 123).data();
      const b = await seededDropout(x, 0.25, 123).data();
      const c = await seededDropout(x, 0.25, 124).data();
      expect(Array.from(a)).toEqual(Array.from(b));
      expect(Array.from(a)).not.toEqual(Array.from(c));
      const kept = Array.from(a).filter((v) => v !== 0);
      expect(kept.every((v) => Math.abs(v - 4 / 3) < 1e-6)).toBe(true);
      expect(kept.length / a.length).toBeGreaterThan(0.7);
      expect(kept.length / a.length).toBeLessThan(0.8);
      x.dispose();
    });
  },
  { webgpu: true },
);
