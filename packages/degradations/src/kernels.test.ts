import { loadFixture } from '@ctmsr/test-harness';
import { describe, expect, it } from 'vitest';
import {
  gaussianKernel,
  generalizedGaussianKernel,
  type KernelSpec,
  padKernel,
  plateauKernel,
  pulseKernel,
  renderKernel,
  sincKernel,
} from './kernels.js';

const sum = (v: Float64Array) => v.reduce((a, b) => a + b, 0);
const at = (k: { size: number; values: Float64Array }, row: number, col: number) =>
  k.values[row * k.size + col];

describe('kernels', () => {
  it('every family sums to 1 and is point-symmetric', () => {
    const ks = [
      gaussianKernel(21, 3, 0.2, 1),
      generalizedGaussianKernel(9, 1.5, 0.8, -2, 0.5),
      generalizedGaussianKernel(9, 1.5, 0.8, -2, 4),
      plateauKernel(13, 2, 1, 0.3, 1),
      plateauKernel(13, 2, 1, 0.3, 2),
      sincKernel(21, Math.PI / 5),
      sincKernel(3, Math.PI),
      pulseKernel(15),
    ];
    for (const k of ks) {
      expect(sum(k.values)).toBeCloseTo(1, 12);
      for (let i = 0; i < k.values.length; i++) {
        expect(k.values[i]).toBeCloseTo(k.values[k.values.length - 1 - i], 14);
      }
    }
  });

  it('Gaussian matches the closed form exp(−½ pᵀΣ⁻¹p) up to normalisation', () => {
    const sx = 2;
    const sy = 0.7;
    const th = 0.5;
    const k = gaussianKernel(7, sx, sy, th);
    const c = at(k, 3, 3);
    // p = (x, y) = (2, -1): column 5, row 2.
    const x = 2;
    const y = -1;
    const a = x * Math.cos(th) + y * Math.sin(th);
    const b = -x * Math.sin(th) + y * Math.cos(th);
    const q = (a * a) / (sx * sx) + (b * b) / (sy * sy);
    expect(at(k, 2, 5) / c).toBeCloseTo(Math.exp(-0.5 * q), 12);
    // Isotropic: separable 1-D Gaussians.
    const iso = gaussianKernel(5, 1.2, 1.2);
    expect(at(iso, 0, 1) / at(iso, 2, 2)).toBeCloseTo(Math.exp(-(4 + 1) / (2 * 1.44)), 12);
  });

  it('generalised Gaussian and plateau match their closed forms; β = 1 generalised equals Gaussian', () => {
    const g = generalizedGaussianKernel(5, 1, 1, 0, 2);
    // q at (1, 1) = 2: exp(−½·2²) relative to the centre.
    expect(at(g, 1, 1) / at(g, 2, 2)).toBeCloseTo(Math.exp(-0.5 * 4), 12);
    const p = plateauKernel(5, 1, 2, 0, 1.5);
    // (x, y) = (2, 0): q = 4.
    expect(at(p, 2, 4) / at(p, 2, 2)).toBeCloseTo(1 / (1 + 4 ** 1.5), 12);
    const a = generalizedGaussianKernel(9, 1.4, 0.6, 0.8, 1).values;
    const b = gaussianKernel(9, 1.4, 0.6, 0.8).values;
    for (let i = 0; i < a.length; i++) expect(a[i]).toBeCloseTo(b[i], 14);
  });

  it('sinc: centre is ω²/(4π) and off-centre ω·J1(ωr)/(2πr), before normalisation', () => {
    const w = 1.7;
    const k = sincKernel(11, w);
    const scale = at(k, 5, 5) / ((w * w) / (4 * Math.PI));
    // (row 5, col 8): r = 3; J1(5.1) = −0.3370972020 (tabulated).
    const r = 3;
    const j1 = -0.337097202;
    expect(at(k, 5, 8) / scale).toBeCloseTo((w * j1) / (2 * Math.PI * r), 8);
    // With the un-normalised centre fixed, the normalisation constant equals the raw sum.
    expect(scale).toBeGreaterThan(0);
  });

  it('matches independent numpy/torch kernels (test/golden/make_goldens.py)', () => {
    const fx = loadFixture<{ cases: Array<KernelSpec & { values: number[] }> }>(
      import.meta.url,
      'kernels-golden.json',
    );
    for (const c of fx.cases) {
      const k = renderKernel(c);
      expect(k.values.length).toBe(c.values.length);
      let worst = 0;
      for (let i = 0; i < c.values.length; i++) worst = Math.max(worst, Math.abs(k.values[i] - c.values[i]));
      // torch's bessel_j1 is accurate to ~1e-8; the rest to the 1e-10 rounding of the fixture.
      expect(worst, c.type).toBeLessThan(c.type === 'sinc' ? 1e-8 : 2e-10);
    }
  });

  it('padKernel centres the kernel in zeros; pulse is the identity', () => {
    const k = padKernel(gaussianKernel(3, 1, 1), 7);
    expect(k.size).toBe(7);
    expect(sum(k.values)).toBeCloseTo(1, 12);
    expect(at(k, 0, 0)).toBe(0);
    expect(at(k, 3, 3)).toBe(gaussianKernel(3, 1, 1).values[4]);
    const p = pulseKernel(5);
    expect(at(p, 2, 2)).toBe(1);
    expect(sum(p.values)).toBe(1);
  });

  it('rejects bad arguments with named errors', () => {
    expect(() => gaussianKernel(4, 1, 1)).toThrow(
      /gaussianKernel: 'size' must be a positive odd integer, got 4/,
    );
    expect(() => gaussianKernel(5, 0, 1)).toThrow(/'sigmaX' must be a finite number > 0/);
    expect(() => sincKernel(5, -1)).toThrow(/sincKernel: 'omegaC'/);
    expect(() => padKernel(pulseKernel(5), 3)).toThrow(/smaller than the kernel's size 5/);
    expect(() => renderKernel({ type: 'bogus' } as unknown as KernelSpec)).toThrow(
      /unknown kernel type 'bogus'/,
    );
  });
});
