import { describe, expect, it } from 'vitest';
import { axisBlendWeights, tileBump } from './blend-weights.js';
import { planTiles } from './plan-tiles.js';

describe('axisBlendWeights', () => {
  it('sums to exactly 1 at every HR pixel (many plans)', () => {
    for (const [length, tile, overlap, multiple] of [
      [100, 32, 8, 8],
      [64, 32, 16, 8],
      [33, 8, 4, 1],
      [150, 64, 0, 32],
      [97, 16, 8, 4],
    ]) {
      const p = planTiles(length, 5, tile, overlap, multiple);
      for (const scale of [1, 4]) {
        const w = axisBlendWeights(p.rows, scale, p.overlap);
        const sum = new Float64Array(length * scale);
        p.rows.starts.forEach((s, i) => {
          w[i].forEach((v, t) => {
            expect(v).toBeGreaterThanOrEqual(0);
            sum[s * scale + t] += v;
          });
        });
        for (const v of sum) expect(v).toBeCloseTo(1, 6);
      }
    }
  });

  it('gives zero weight within the margin of an inner edge and 1 away from overlaps', () => {
    const p = planTiles(64, 5, 32, 16, 8); // starts 0, 16, 32
    expect(p.rows.starts).toEqual([0, 16, 32]);
    const w = axisBlendWeights(p.rows, 4, p.overlap);
    const margin = (16 * 4) / 4;
    const first = w[0];
    for (let t = 0; t < margin; t++) expect(first[first.length - 1 - t]).toBe(0);
    expect(first[0]).toBe(1);
    expect(w[2][0]).toBe(0);
    expect(w[2].at(-1)).toBe(1);
  });

  it('is a smooth raised cosine, symmetric under reflection', () => {
    const b = tileBump(40, true, true, 16);
    for (let t = 0; t < 40; t++) expect(b[t]).toBeCloseTo(b[39 - t], 12);
    expect(b[3]).toBe(0);
    expect(b[4]).toBeGreaterThan(0);
    expect(b[4]).toBeLessThan(0.1);
    expect(b[12]).toBe(1);
    expect(Array.from(tileBump(10, false, false, 8))).toEqual(new Array(10).fill(1));
  });
});
