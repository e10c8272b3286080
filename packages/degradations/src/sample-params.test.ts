import { describe, expect, it } from 'vitest';
import { REAL_ESRGAN_TEST_OPTIONS } from './options.js';
import { createRng } from './random.js';
import { sampleDegradationParams, sampleKernelSpec } from './sample-params.js';

describe('sampleDegradationParams', () => {
  it('is reproducible for a seed, JSON-serialisable, and differs between seeds', () => {
    const a = sampleDegradationParams(4, 64, {}, 7);
    expect(sampleDegradationParams(4, 64, {}, 7)).toEqual(a);
    expect(JSON.parse(JSON.stringify(a))).toEqual(a);
    expect(sampleDegradationParams(4, 64, {}, 8)).not.toEqual(a);
  });

  it('draws per-sample values per sample and per-batch choices once, within the option ranges', () => {
    const p = sampleDegradationParams(6, [48, 40], { noise1: { gaussianProb: 1 } }, 3);
    expect(p.hrSize).toEqual([48, 40]);
    expect(p.stage1.kernels).toHaveLength(6);
    expect(p.final.sincKernels).toHaveLength(6);
    expect(p.stage1.jpegQuality).toHaveLength(6);
    const n = p.stage1.noise;
    expect(n.type).toBe('gaussian');
    if (n.type === 'gaussian') {
      for (const s of n.sigma) {
        expect(s * 255).toBeGreaterThanOrEqual(1);
        expect(s * 255).toBeLessThanOrEqual(30);
      }
      expect(n.gray).toHaveLength(6);
    }
    for (const q of [...p.stage1.jpegQuality, ...p.final.jpegQuality]) {
      expect(q).toBeGreaterThanOrEqual(30);
      expect(q).toBeLessThanOrEqual(95);
    }
    const r = p.stage1.resize;
    expect(r.size).toEqual([
      Math.floor(48 * (r.scaleFactor as number)),
      Math.floor(40 * (r.scaleFactor as number)),
    ]);
  });

  it('gate and choice frequencies follow the options over many seeds', () => {
    const n = 600;
    let second = 0;
    let blur = 0;
    let resizeFirst = 0;
    let gaussian = 0;
    const dirs = { up: 0, down: 0, keep: 0 };
    for (let seed = 0; seed < n; seed++) {
      const p = sampleDegradationParams(1, 16, {}, seed);
      if (p.stage2) {
        second++;
        if (p.stage2.kernels) blur++;
      }
      if (p.final.order === 'resize-sinc-jpeg') resizeFirst++;
      if (p.stage1.noise.type === 'gaussian') gaussian++;
      const s = p.stage1.resize.scaleFactor as number;
      dirs[s > 1 ? 'up' : s < 1 ? 'down' : 'keep']++;
    }
    const near = (count: number, total: number, prob: number) =>
      expect(Math.abs(count / total - prob)).toBeLessThan(4 * Math.sqrt((prob * (1 - prob)) / total));
    near(second, n, 0.5);
    near(blur, second, 0.8);
    near(resizeFirst, n, 0.5);
    near(gaussian, n, 0.5);
    near(dirs.up, n, 0.2);
    near(dirs.down, n, 0.7);
    near(dirs.keep, n, 0.1);
  });

  it('kernel specs follow BasicSR: sinc sizes pick ω ranges, iso kernels have σx = σy and θ = 0', () => {
    const rng = createRng(1);
    const o = {
      ...REAL_ESRGAN_TEST_OPTIONS.kernel1,
      sincProb: 0.5,
      kernelTypes: ['iso', 'plateau_aniso'],
      kernelProbs: [0.5, 0.5],
    } as const;
    let sinc = 0;
    for (let i = 0; i < 400; i++) {
      const k = sampleKernelSpec(rng, {
        ...o,
        kernelTypes: [...o.kernelTypes],
        kernelProbs: [...o.kernelProbs],
      });
      expect(k.size % 2).toBe(1);
      if (k.type === 'sinc') {
        sinc++;
        const [lo, hi] = k.size < 13 ? [Math.PI / 3, Math.PI] : [Math.PI / 5, Math.PI];
        expect(k.omegaC).toBeGreaterThanOrEqual(lo);
        expect(k.omegaC).toBeLessThanOrEqual(hi);
      } else if (k.type === 'iso') {
        expect(k.sigmaY).toBe(k.sigmaX);
        expect(k.theta).toBe(0);
        expect(k.beta).toBe(1);
      } else if (k.type === 'plateau_aniso') {
        expect(k.beta).toBeGreaterThanOrEqual(1);
        expect(k.beta).toBeLessThanOrEqual(2);
      }
    }
    expect(sinc).toBeGreaterThan(150);
    expect(sinc).toBeLessThan(250);
  });

  it('the test setting never takes the second stage', () => {
    for (let seed = 0; seed < 50; seed++)
      expect(sampleDegradationParams(2, 32, REAL_ESRGAN_TEST_OPTIONS, seed).stage2).toBeNull();
  });

  it('rejects bad input with clear errors', () => {
    expect(() => sampleDegradationParams(2, 30, {}, 1)).toThrow(
      /sampleDegradationParams: HR size 30x30 must be divisible by the scale 4/,
    );
    expect(() => sampleDegradationParams(0, 32, {}, 1)).toThrow(/'batchSize' must be an integer >= 1, got 0/);
    expect(() => sampleDegradationParams(1, 32, {}, 0.5)).toThrow(/'seed' must be an integer/);
    expect(() => sampleDegradationParams(1, 32, { resize1: { probs: [0.5, 0.5, 0.5] } }, 1)).toThrow(
      /must sum to 1/,
    );
  });
});
