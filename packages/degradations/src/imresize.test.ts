import { describeBackends, expectClose, expectNoLeaks, loadFixture } from '@ctmsr/test-harness';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { imresize, imresizeTaps } from './imresize.js';

describeBackends('imresize (MATLAB antialiased bicubic)', ({ rtol }) => {
  it('matches an independent numpy transcription of MATLAB imresize (test/golden)', async () => {
    const fx = loadFixture<{
      input: number[];
      inputShape: [number, number, number];
      cases: Array<{ scale: number; output: number[]; shape: number[]; crop?: [number, number] }>;
    }>(import.meta.url, 'imresize-golden.json');
    const x = tf.tensor4d(fx.input, [1, ...fx.inputShape]);
    for (const c of fx.cases) {
      const src = c.crop ? tf.slice(x, [0, 0, 0, 0], [1, c.crop[0], c.crop[1], 3]) : x;
      const y = await expectNoLeaks(() => imresize(src, c.scale), 1);
      await expectClose(y, tf.tensor(c.output, [1, ...c.shape]), {
        rtol,
        atol: 2e-6,
        what: `scale ${c.scale}`,
      });
      tf.dispose(y);
    }
  });

  it('preserves constants and linear ramps in the interior; rows sum to 1', async () => {
    const taps = imresizeTaps(40, 1 / 4);
    expect(taps.outSize).toBe(10);
    expect(taps.taps).toBe(18);
    for (let o = 0; o < taps.outSize; o++) {
      let s = 0;
      for (let t = 0; t < taps.taps; t++) s += taps.weight[t * taps.outSize + o];
      expect(s).toBeCloseTo(1, 6);
    }
    const ramp = tf.tensor4d(
      Array.from({ length: 40 }, (_, i) => i),
      [1, 40, 1, 1],
    );
    const y = await imresize(ramp, 0.25).data();
    // Output pixel o (0-based) is centred at input coordinate 4o + 1.5.
    for (let o = 2; o < 8; o++) expect(y[o]).toBeCloseTo(4 * o + 1.5, 4);
  });
});
