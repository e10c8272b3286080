import { numGridPoints } from '@ctmsr/pf-ode';
import { expect, it } from 'vitest';

it("decreasing curriculum of the reference (s0=4, s1=3, K=502000) switches at K' = 251000", () => {
  const o = { s0: 4, s1: 3, totalIterations: 502_000 };
  expect(numGridPoints(0, o)).toBe(5);
  expect(numGridPoints(250_999, o)).toBe(5);
  expect(numGridPoints(251_000, o)).toBe(4);
  expect(numGridPoints(502_000, o)).toBe(4);
  expect(numGridPoints(10_000_000, o)).toBe(4);
});

it("increasing curriculum: K' = floor(K / (s1 - s0 + 1)), clamped at s1", () => {
  const o = { s0: 2, s1: 5, totalIterations: 1000 }; // K' = 250
  expect(numGridPoints(0, o)).toBe(3);
  expect(numGridPoints(249, o)).toBe(3);
  expect(numGridPoints(250, o)).toBe(4);
  expect(numGridPoints(999, o)).toBe(6);
  expect(numGridPoints(1000, o)).toBe(6);
});

it('constant curriculum gives s0 + 1 points', () => {
  expect(numGridPoints(0, { s0: 3, s1: 3, totalIterations: 2000 })).toBe(4);
  expect(numGridPoints(2000, { s0: 3, s1: 3, totalIterations: 2000 })).toBe(4);
});

it('numGridPoints names bad arguments', () => {
  expect(() => numGridPoints(-1)).toThrow(/numGridPoints: 'k' must be an integer >= 0, got -1/);
  expect(() => numGridPoints(0, { s0: 0 })).toThrow(/'s0'/);
  expect(() => numGridPoints(0, { s0: 9, s1: 1, totalIterations: 3 })).toThrow(/too small/);
});
