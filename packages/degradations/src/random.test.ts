import { describe, expect, it } from 'vitest';
import { createRng, deriveKey, fillNormal, fillUniform } from './random.js';

const mean = (a: ArrayLike<number>) => Array.from(a).reduce((s, v) => s + v, 0) / a.length;
const variance = (a: ArrayLike<number>) => {
  const m = mean(a);
  return Array.from(a).reduce((s, v) => s + (v - m) ** 2, 0) / a.length;
};

describe('seeded randomness', () => {
  it('createRng is reproducible and seed-dependent', () => {
    const a = createRng(42);
    const b = createRng(42);
    const c = createRng(43);
    const xa = Array.from({ length: 10 }, () => a.next());
    expect(Array.from({ length: 10 }, () => b.next())).toEqual(xa);
    expect(Array.from({ length: 10 }, () => c.next())).not.toEqual(xa);
    expect(() => createRng(1.5)).toThrow(/createRng: 'seed' must be an integer/);
  });

  it('uniform, int and choice have the right frequencies', () => {
    const r = createRng(7);
    const n = 40000;
    const u = Array.from({ length: n }, () => r.uniform(2, 4));
    expect(Math.min(...u)).toBeGreaterThanOrEqual(2);
    expect(Math.max(...u)).toBeLessThan(4);
    expect(mean(u)).toBeCloseTo(3, 1.5);
    const counts = [0, 0, 0];
    for (let i = 0; i < n; i++) counts[r.choice([0.2, 0.7, 0.1])]++;
    // 4-sigma binomial bounds.
    for (const [i, p] of [0.2, 0.7, 0.1].entries()) {
      expect(Math.abs(counts[i] / n - p)).toBeLessThan(4 * Math.sqrt((p * (1 - p)) / n));
    }
    const ints = new Set(Array.from({ length: 1000 }, () => r.int(5)));
    expect([...ints].sort()).toEqual([0, 1, 2, 3, 4]);
    expect(r.choice([0, 1, 0])).toBe(1);
  });

  it('noise fields: uniform in (0,1) with mean ½; normals with mean 0, variance 1; crops are consistent', () => {
    const key = deriveKey(5, 1);
    const u = fillUniform(key, new Float32Array(100000));
    expect(Math.min(...u)).toBeGreaterThan(0);
    expect(Math.max(...u)).toBeLessThan(1);
    expect(Math.abs(mean(u) - 0.5)).toBeLessThan(4 * Math.sqrt(1 / 12 / u.length));
    const z = fillNormal(key, new Float32Array(100001));
    expect(Math.abs(mean(z))).toBeLessThan(4 / Math.sqrt(z.length));
    expect(Math.abs(variance(z) - 1)).toBeLessThan(4 * Math.sqrt(2 / z.length));
    // Fourth moment (kurtosis 3) as a check of the Box-Muller shape.
    const m4 = mean(Array.from(z, (v) => v ** 4));
    expect(Math.abs(m4 - 3)).toBeLessThan(0.1);
    const crop = fillNormal(key, new Float32Array(10), 40);
    expect(Array.from(crop)).toEqual(Array.from(z.subarray(40, 50)));
    expect(() => fillNormal(key, new Float32Array(2), 3)).toThrow(/'start' must be even/);
  });

  it('derived keys decorrelate streams', () => {
    const a = fillNormal(deriveKey(9, 1, 0), new Float32Array(20000));
    const b = fillNormal(deriveKey(9, 1, 1), new Float32Array(20000));
    let c = 0;
    for (let i = 0; i < a.length; i++) c += a[i] * b[i];
    expect(Math.abs(c / a.length)).toBeLessThan(4 / Math.sqrt(a.length));
    expect(deriveKey(1, 2)).not.toBe(deriveKey(2, 1));
  });
});
