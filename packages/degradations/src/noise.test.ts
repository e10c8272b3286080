import { describeBackends, expectClose, expectNoLeaks } from '@ctmsr/test-harness';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { addNoise, gaussianNoise, type NoiseParams, poissonNoise } from './noise.js';

const H = 24;
const W = 20;

async function stats(t: tf.Tensor, sample: number, channel?: number) {
  const [, h, w, c] = t.shape;
  const v = await t.data();
  const xs: number[] = [];
  for (let i = 0; i < h * w; i++) {
    for (let ch = 0; ch < c; ch++) {
      if (channel == null || ch === channel) xs.push(v[(sample * h * w + i) * c + ch]);
    }
  }
  const m = xs.reduce((a, b) => a + b, 0) / xs.length;
  const s = Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / xs.length);
  return { m, s, n: xs.length };
}

async function channelsEqual(t: tf.Tensor, sample: number) {
  const [, h, w, c] = t.shape;
  const v = await t.data();
  for (let i = 0; i < h * w; i++) {
    const o = (sample * h * w + i) * c;
    if (v[o] !== v[o + 1] || v[o] !== v[o + 2]) return false;
  }
  return true;
}

describeBackends('noise', ({ rtol }) => {
  it('Gaussian: per-sample σ, gray samples share one plane, reproducible from the seed', async () => {
    const params: NoiseParams = {
      type: 'gaussian',
      sigma: [0.1, 0.02, 0.05],
      gray: [false, true, false],
      seed: 11,
    };
    const n = gaussianNoise([3, H, W, 3], params);
    for (const [b, sigma] of params.sigma.entries()) {
      const { m, s, n: count } = await stats(n, b);
      const eff = params.gray[b] ? count / 3 : count;
      expect(Math.abs(m)).toBeLessThan((4.5 * sigma) / Math.sqrt(eff));
      expect(Math.abs(s / sigma - 1)).toBeLessThan(4.5 / Math.sqrt(2 * eff));
    }
    expect(await channelsEqual(n, 1)).toBe(true);
    expect(await channelsEqual(n, 0)).toBe(false);
    await expectClose(gaussianNoise([3, H, W, 3], params), n, { atol: 0 });
    const other = await gaussianNoise([3, H, W, 3], { ...params, seed: 12 }).data();
    expect(Array.from(other)).not.toEqual(Array.from(await n.data()));
    // A sample's noise does not depend on the batch around it.
    const alone = gaussianNoise([1, H, W, 3], { ...params, sigma: [0.1], gray: [false] });
    await expectClose(alone, tf.slice(n, [0, 0, 0, 0], [1, -1, -1, -1]), { atol: 0 });
  });

  it('Poisson: zero mean, variance scale²·q/v on a flat image, gray samples share channels', async () => {
    const q = 128 / 255;
    const x = tf.fill([2, H, W, 3], q) as tf.Tensor4D;
    const params: NoiseParams = { type: 'poisson', scale: [2, 0.5], gray: [false, true], seed: 5 };
    const n = await expectNoLeaks(() => poissonNoise(x, params), 1);
    for (const [b, scale] of params.scale.entries()) {
      const { m, s, n: count } = await stats(n, b);
      const eff = params.gray[b] ? count / 3 : count;
      const sd = scale * Math.sqrt(q / 256);
      expect(Math.abs(m)).toBeLessThan((4.5 * sd) / Math.sqrt(eff));
      expect(Math.abs(s / sd - 1)).toBeLessThan(4.5 / Math.sqrt(2 * eff) + 0.01);
    }
    expect(await channelsEqual(n, 1)).toBe(true);
    // The noise takes values on the 1/v lattice around the quantised image, times the scale.
    const v = await n.data();
    for (let i = 0; i < 30; i++) {
      const k = (v[i] / 2 + q) * 256;
      expect(Math.abs(k - Math.round(k))).toBeLessThan(1e-3);
    }
  });

  it('Poisson gray noise is computed on the luma image', async () => {
    // Pure red and pure blue have different luma: the noise variance follows q = luma.
    const data = new Float32Array(2 * H * W * 3);
    for (let i = 0; i < H * W; i++) {
      data[i * 3] = 1;
      data[(H * W + i) * 3 + 2] = 1;
    }
    const x = tf.tensor4d(data, [2, H, W, 3]);
    const n = poissonNoise(x, { type: 'poisson', scale: [1, 1], gray: [true, true], seed: 2 });
    const red = await stats(n, 0, 0);
    const blue = await stats(n, 1, 0);
    const qr = Math.round(0.2989 * 255) / 255;
    const qb = Math.round(0.114 * 255) / 255;
    expect(red.s / blue.s).toBeGreaterThan(0.8 * Math.sqrt(qr / qb));
    expect(red.s / blue.s).toBeLessThan(1.2 * Math.sqrt(qr / qb));
  });

  it('addNoise clips to [0, 1] and is leak-free', async () => {
    const x = tf.tensor4d(
      Array.from({ length: 2 * 6 * 5 * 3 }, (_, i) => (i % 7) / 6),
      [2, 6, 5, 3],
    );
    for (const params of [
      { type: 'gaussian', sigma: [0.5, 0.3], gray: [true, false], seed: 1 },
      { type: 'poisson', scale: [3, 1], gray: [false, true], seed: 1 },
    ] as NoiseParams[]) {
      const y = await expectNoLeaks(() => addNoise(x, params), 1);
      const v = await y.data();
      expect(Math.min(...v)).toBeGreaterThanOrEqual(0);
      expect(Math.max(...v)).toBeLessThanOrEqual(1);
      await expectClose(addNoise(x, params), y, { rtol, atol: 1e-6 });
    }
    expect(() => addNoise(x, { type: 'gaussian', sigma: [0.1], gray: [false], seed: 1 })).toThrow(
      /gaussianNoise: 'sigma' must have one entry per sample \(2\), got 1/,
    );
    expect(() =>
      addNoise(tf.zeros([1, 4, 4, 1]) as tf.Tensor4D, {
        type: 'gaussian',
        sigma: [0],
        gray: [false],
        seed: 1,
      }),
    ).toThrow(/addNoise: 'x' must be RGB NHWC/);
  });
});
