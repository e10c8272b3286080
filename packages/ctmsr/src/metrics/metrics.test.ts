import { readFileSync } from 'node:fs';
import { describeBackends, expectNoLeaks } from '@ctmsr/test-harness';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { psnr, psnrPixels } from './psnr.js';
import { gaussianTaps, ssim, ssimPixels } from './ssim.js';

interface Golden {
  images: {
    height: number;
    width: number;
    a255: number[];
    b255: number[];
    results: { yChannel: boolean; crop: number; psnr: number; ssim: number }[];
  }[];
}
const golden = JSON.parse(
  readFileSync(new URL('../../test/fixtures/metrics-golden.json', import.meta.url), 'utf8'),
) as Golden;

function constant(
  h: number,
  w: number,
  v: number,
): { data: Float32Array; height: number; width: number; channels: 3 } {
  return { data: new Float32Array(h * w * 3).fill(v), height: h, width: w, channels: 3 };
}

describe('psnr / ssim on arrays (hand-computed values)', () => {
  it('PSNR of a constant offset d on RGB is -20 log10(d)', () => {
    expect(psnrPixels(constant(12, 12, 0.5), constant(12, 12, 0.6))).toBeCloseTo(20, 5);
    expect(psnrPixels(constant(12, 12, 0.5), constant(12, 12, 0.51))).toBeCloseTo(40, 4);
  });

  it('PSNR on Y of a gray offset d is 20 log10(255 / (219 d))', () => {
    const d = 0.1;
    const expected = 20 * Math.log10(255 / (219 * d));
    expect(psnrPixels(constant(12, 12, 0.3), constant(12, 12, 0.3 + d), { yChannel: true })).toBeCloseTo(
      expected,
      4,
    );
  });

  it('PSNR of identical images is +Infinity; SSIM of identical images is 1', () => {
    const a = constant(16, 16, 0.25);
    a.data[5] = 0.9;
    expect(psnrPixels(a, a)).toBe(Number.POSITIVE_INFINITY);
    expect(ssimPixels(a, a)).toBeCloseTo(1, 12);
    expect(ssimPixels(a, a, { yChannel: true })).toBeCloseTo(1, 12);
  });

  it('SSIM of two constant images is the luminance term (2 mu_a mu_b + C1) / (mu_a^2 + mu_b^2 + C1)', () => {
    const c1 = (0.01 * 255) ** 2;
    const [ma, mb] = [0.2 * 255, 0.5 * 255];
    const expected = (2 * ma * mb + c1) / (ma * ma + mb * mb + c1);
    expect(ssimPixels(constant(11, 11, 0.2), constant(11, 11, 0.5))).toBeCloseTo(expected, 6); // float32 inputs
  });

  it('uses a normalised 11-tap Gaussian with sigma 1.5', () => {
    const t = gaussianTaps();
    expect(t.length).toBe(11);
    expect(t.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 14);
    expect(t[5] / t[6]).toBeCloseTo(Math.exp(1 / (2 * 1.5 * 1.5)), 12);
  });

  it('matches the numpy reference (test/golden/metrics_golden.py)', () => {
    for (const img of golden.images) {
      const a = { data: img.a255.map((v) => v / 255), height: img.height, width: img.width, channels: 3 };
      const b = { data: img.b255.map((v) => v / 255), height: img.height, width: img.width, channels: 3 };
      for (const r of img.results) {
        const o = { yChannel: r.yChannel, crop: r.crop };
        expect(psnrPixels(a, b, o)).toBeCloseTo(r.psnr, 9);
        expect(ssimPixels(a, b, o)).toBeCloseTo(r.ssim, 9);
      }
    }
  });

  it('names the problem in errors', () => {
    expect(() => psnrPixels(constant(4, 4, 0), constant(4, 5, 0))).toThrow(
      /psnrPixels: image sizes differ: 4x4 vs 4x5/,
    );
    expect(() => ssimPixels(constant(10, 10, 0), constant(10, 10, 0))).toThrow(/at least 11x11/);
    expect(() => psnrPixels(constant(4, 4, 0), constant(4, 4, 0), { crop: 2 })).toThrow(
      /crop 2 leaves nothing/,
    );
  });
});

describeBackends('psnr / ssim on tensors', () => {
  it('reads tensors (rank 3 and batched rank 4) without leaking', async () => {
    const img = golden.images[0];
    const r = img.results.find((x) => x.yChannel && x.crop === 2)!;
    const shape: [number, number, number] = [img.height, img.width, 3];
    const a = tf.tensor3d(
      img.a255.map((v) => v / 255),
      shape,
    );
    const b = tf.tensor3d(
      img.b255.map((v) => v / 255),
      shape,
    );
    await expectNoLeaks(async () => {
      expect(await psnr(a, b, { yChannel: true, crop: 2 })).toBeCloseTo(r.psnr, 4);
      expect(await ssim(a, b, { yChannel: true, crop: 2 })).toBeCloseTo(r.ssim, 5);
    });
    const a4 = tf.stack([a, a]);
    const b4 = tf.stack([b, a]);
    const p = await psnr(a4, b4);
    expect(p).toBe(Number.POSITIVE_INFINITY);
    const s = await ssim(a4, b4, { yChannel: true, crop: 2 });
    expect(s).toBeCloseTo((r.ssim + 1) / 2, 5);
    tf.dispose([a, b, a4, b4]);
  });
});
