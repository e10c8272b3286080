import { describe, expect, it } from 'vitest';
import { DIHEDRAL_COUNT, sourceIndexMap, transformedSize, transformImage } from './dihedral.js';

describe('dihedral transforms', () => {
  const h = 2;
  const w = 3;
  const img = Float32Array.from([1, 2, 3, 4, 5, 6]); // [[1,2,3],[4,5,6]]

  it('are the 8 distinct flips/transposes, identity first', () => {
    const seen = new Set<string>();
    for (let t = 0; t < DIHEDRAL_COUNT; t++)
      seen.add(Array.from(transformImage(img, h, w, 1, t).data).join());
    expect(seen.size).toBe(8);
    expect(transformImage(img, h, w, 1, 0).data).toBe(img);
    expect(Array.from(transformImage(img, h, w, 1, 1).data)).toEqual([3, 2, 1, 6, 5, 4]); // flip columns
    expect(Array.from(transformImage(img, h, w, 1, 2).data)).toEqual([4, 5, 6, 1, 2, 3]); // flip rows
    const tr = transformImage(img, h, w, 1, 4); // transpose
    expect([tr.height, tr.width]).toEqual([3, 2]);
    expect(Array.from(tr.data)).toEqual([1, 4, 2, 5, 3, 6]);
  });

  it('map every transformed pixel back to its source (the inverse used when accumulating)', () => {
    for (let t = 0; t < DIHEDRAL_COUNT; t++) {
      const out = transformImage(img, h, w, 1, t);
      const [th, tw] = transformedSize(t, h, w);
      const src = sourceIndexMap(t, h, w);
      for (let y = 0; y < th; y++)
        for (let x = 0; x < tw; x++) expect(img[src(y, x)]).toBe(out.data[y * tw + x]);
    }
  });
});
