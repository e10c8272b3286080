import { deriveSeed, normalAt, normalFieldRegion, seededNormal } from '@ctmsr/pf-ode';
import { describeBackends, expectNoLeaks } from '@ctmsr/test-harness';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';

describeBackends(
  'seededNormal',
  () => {
    it('is standard normal (mean, variance, tails) and seed-dependent', () => {
      const n = 200_000;
      const v = seededNormal([n], 123).dataSync();
      let m = 0;
      let s2 = 0;
      let tail = 0;
      for (const x of v) {
        m += x;
        s2 += x * x;
        if (Math.abs(x) > 1.96) tail++;
      }
      m /= n;
      const variance = s2 / n - m * m;
      expect(Math.abs(m)).toBeLessThan(0.01);
      expect(Math.abs(variance - 1)).toBeLessThan(0.02);
      expect(Math.abs(tail / n - 0.05)).toBeLessThan(0.004);
      const w = seededNormal([n], 124).dataSync();
      let same = 0;
      for (let i = 0; i < 1000; i++) if (v[i] === w[i]) same++;
      expect(same).toBe(0);
      expect(normalAt(123, 17)).toBeCloseTo(v[17], 6);
    });
  },
  { backends: ['cpu'] },
);

it('deriveSeed separates streams', () => {
  expect(deriveSeed(1, 2)).not.toBe(deriveSeed(1, 3));
  expect(deriveSeed(1, 2)).not.toBe(deriveSeed(2, 2));
  expect(deriveSeed(1, 2, 3)).toBe(deriveSeed(1, 2, 3));
});

describeBackends(
  'normalFieldRegion',
  () => {
    it('a region equals the same crop of the whole field, on every backend', async () => {
      const full = seededNormal([2, 9, 7, 3], 42) as tf.Tensor4D;
      await expectNoLeaks(async () => {
        const crop = tf.slice(full, [0, 2, 3, 0], [2, 5, 4, 3]);
        const region = normalFieldRegion([2, 9, 7, 3], 42, { y0: 2, x0: 3, h: 5, w: 4 });
        expect(Array.from(await region.data())).toEqual(Array.from(await crop.data()));
        tf.dispose([crop, region]);
      });
      full.dispose();
    });

    it('rejects a region outside the field', () => {
      expect(() => normalFieldRegion([1, 4, 4, 3], 1, { y0: 2, x0: 0, h: 3, w: 1 })).toThrow(
        /normalFieldRegion: region y0=2 x0=0 h=3 w=1 does not fit in a 4x4 field/,
      );
    });
  },
  { webgpu: true },
);
