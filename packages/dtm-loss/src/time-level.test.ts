import { DTM_STREAMS, drawDtmTimeIndex, dtmTimeIndices } from '@ctmsr/dtm-loss';
import { deriveSeed } from '@ctmsr/pf-ode';
import { describe, expect, it } from 'vitest';

describe('DTM time level (method.md §3.3)', () => {
  it('collapses to index 1 with the reference numbers (numSteps 3, tMin 0.1, tMax 0.5)', () => {
    expect(dtmTimeIndices(3, 0.1, 0.5)).toEqual({ stepMin: 1, stepMax: 2 });
    const draws = new Set(
      Array.from({ length: 300 }, (_, k) => drawDtmTimeIndex(0, k, dtmTimeIndices(3, 0.1, 0.5))),
    );
    expect([...draws]).toEqual([1]);
  });

  it('follows step_min = max(1, floor(tMin N_d)), step_max = min(N_d, floor(tMax N_d))', () => {
    expect(dtmTimeIndices(9, 0.1, 0.5)).toEqual({ stepMin: 1, stepMax: 5 }); // N_d = 10
    expect(dtmTimeIndices(9, 0, 1)).toEqual({ stepMin: 1, stepMax: 10 });
    expect(dtmTimeIndices(19, 0.25, 0.75)).toEqual({ stepMin: 5, stepMax: 15 });
    expect(dtmTimeIndices(1, 0, 1)).toEqual({ stepMin: 1, stepMax: 2 });
  });

  it('draws uniformly over the whole range from (seed, iteration), hash / 2^32', () => {
    const range = dtmTimeIndices(9, 0.1, 0.5);
    const counts = [0, 0, 0, 0, 0, 0];
    for (let k = 0; k < 4000; k++) counts[drawDtmTimeIndex(7, k, range)]++;
    expect(counts[0]).toBe(0);
    expect(counts[5]).toBe(0);
    for (const c of counts.slice(1, 5)) expect(Math.abs(c - 1000)).toBeLessThan(120);
    // The exact rule.
    const u = deriveSeed(7, 123, DTM_STREAMS.index) / 2 ** 32;
    expect(drawDtmTimeIndex(7, 123, range)).toBe(1 + Math.floor(u * 4));
    // Deterministic per (seed, k), and the seed matters.
    expect(drawDtmTimeIndex(7, 5, range)).toBe(drawDtmTimeIndex(7, 5, range));
    const a = Array.from({ length: 50 }, (_, k) => drawDtmTimeIndex(7, k, range));
    const b = Array.from({ length: 50 }, (_, k) => drawDtmTimeIndex(8, k, range));
    expect(a).not.toEqual(b);
  });

  it('rejects bad arguments, naming them', () => {
    expect(() => dtmTimeIndices(0, 0.1, 0.5)).toThrow(
      /dtmTimeIndices: 'numSteps' must be an integer >= 1, got 0/,
    );
    expect(() => dtmTimeIndices(2.5, 0.1, 0.5)).toThrow(/'numSteps'/);
    expect(() => dtmTimeIndices(3, -0.1, 0.5)).toThrow(
      /'tMin' must be a finite number in \[0, 1\], got -0.1/,
    );
    expect(() => dtmTimeIndices(3, 0.1, Number.NaN)).toThrow(/'tMax'/);
    expect(() => dtmTimeIndices(3, 0.5, 0.5)).toThrow(/empty time range.*stepMin=2, stepMax=2/);
  });
});
