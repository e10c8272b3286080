import { describe, expect, it } from 'vitest';
import { effectiveTileSize, planAxis, planTiles, reflectIndex } from './plan-tiles.js';

describe('planTiles', () => {
  it('uses one tile padded to the multiple when the image fits', () => {
    const p = planTiles(20, 37, 64, 8, 16);
    expect(p.tiles).toEqual([{ row: 0, col: 0, y0: 0, x0: 0, h: 20, w: 37, padH: 32, padW: 48 }]);
    expect([p.paddedHeight, p.paddedWidth]).toEqual([32, 48]);
  });

  it('spreads full-size tiles evenly with at least the requested overlap', () => {
    const a = planAxis(100, 32, 8, 8);
    expect(a.starts).toEqual([0, 23, 45, 68]);
    expect(a.size).toBe(32);
    expect(a.paddedSize).toBe(32);
    expect(a.padded).toBe(104);
  });

  it('shrinks tiles when the axis is only a little longer than one tile', () => {
    const a = planAxis(256, 192, 16, 32);
    expect(a.size).toBe(160); // 2 x 160 >= 256 + 16, instead of 2 x 192
    expect(a.starts).toEqual([0, 96]);
  });

  it('covers every pixel, stays inside the padded canvas and overlaps enough (many sizes)', () => {
    for (const multiple of [1, 4, 8, 32]) {
      for (const tile of [multiple, 2 * multiple, 64, 96]) {
        for (const overlap of [0, 3, 8, 16]) {
          for (let length = 1; length <= 150; length += 7) {
            const size = effectiveTileSize(tile, multiple);
            const ov = Math.min(overlap, Math.floor(size / 2));
            const a = planAxis(length, size, ov, multiple);
            expect(a.starts[0]).toBe(0);
            expect(a.starts.at(-1)! + a.size).toBe(length);
            expect(a.paddedSize % multiple).toBe(0);
            for (const s of a.starts) expect(s + a.paddedSize).toBeLessThanOrEqual(a.padded);
            for (let i = 1; i < a.starts.length; i++) {
              expect(a.starts[i - 1] + a.size - a.starts[i]).toBeGreaterThanOrEqual(ov);
              expect(a.starts[i]).toBeGreaterThan(a.starts[i - 1]);
            }
          }
        }
      }
    }
  });

  it('rounds the tile size down to the multiple and caps the overlap at half a tile', () => {
    const p = planTiles(200, 200, 70, 100, 32);
    expect(p.tileSize).toBe(64);
    expect(p.overlap).toBe(32);
    expect(planTiles(10, 10, 5, 0, 32).tileSize).toBe(32);
  });

  it('lists tiles row-major with their grid position', () => {
    const p = planTiles(40, 70, 32, 8, 8);
    expect(p.rows.starts.length * p.cols.starts.length).toBe(p.tiles.length);
    expect(p.tiles[1]).toMatchObject({ row: 0, col: 1, y0: 0, x0: p.cols.starts[1] });
  });

  it('names the bad argument', () => {
    expect(() => planTiles(0, 5, 32, 0, 8)).toThrow(/planTiles: 'height' must be an integer >= 1, got 0/);
    expect(() => planTiles(5, 5, 32, -1, 8)).toThrow(/'overlap'/);
    expect(() => planTiles(5, 5, 2.5, 1, 8)).toThrow(/'tileSize'/);
  });
});

describe('reflectIndex', () => {
  it('mirrors without repeating the edge, for any padding', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 7, 8].map((i) => reflectIndex(i, 3))).toEqual([0, 1, 2, 1, 0, 1, 2, 1, 0]);
    expect([0, 1, 2].map((i) => reflectIndex(i, 1))).toEqual([0, 0, 0]);
  });
});
