import { describe, expect, it } from 'vitest';
import { besselJ1 } from './bessel.js';

describe('besselJ1', () => {
  it('matches tabulated values (Abramowitz & Stegun, table 9.1)', () => {
    const table: Array<[number, number]> = [
      [0.5, 0.2422684577],
      [1, 0.4400505857],
      [2, 0.5767248078],
      [5, -0.3275791376],
      [10, 0.0434727462],
      [20, 0.0668331242],
    ];
    for (const [x, v] of table) expect(besselJ1(x)).toBeCloseTo(v, 9);
  });

  it('is odd, vanishes at 0 and at its first zero, and follows x/2 − x³/16 near 0', () => {
    expect(besselJ1(-2.3)).toBeCloseTo(-besselJ1(2.3), 14);
    expect(Math.abs(besselJ1(0))).toBeLessThan(1e-15);
    expect(Math.abs(besselJ1(3.8317059702075125))).toBeLessThan(1e-14);
    const x = 1e-3;
    expect(besselJ1(x)).toBeCloseTo(x / 2 - x ** 3 / 16, 15);
  });

  it('rejects non-finite input', () => {
    expect(() => besselJ1(Number.NaN)).toThrow(/besselJ1: 'x' must be finite/);
  });
});
