import { bicubicPhaseTaps, bicubicUpsample } from '@ctmsr/pf-ode';
import { describeBackends, expectClose, expectNoLeaks, loadFixture } from '@ctmsr/test-harness';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';

interface Case {
  scale: number;
  inputShape: [number, number, number, number];
  input: number[];
  outputShape: number[];
  output: number[];
}
const golden = loadFixture<{ cases: Case[] }>(import.meta.url, 'bicubic.json');

it('each phase of the bicubic filter bank sums to 1', () => {
  for (const r of [2, 3, 4, 8]) {
    const { taps } = bicubicPhaseTaps(r);
    for (let p = 0; p < r; p++) {
      expect(taps.reduce((acc, row) => acc + row[p], 0)).toBeCloseTo(1, 12);
    }
  }
});

describeBackends(
  'bicubicUpsample',
  ({ rtol }) => {
    for (const c of golden.cases) {
      it(`matches PyTorch bicubic x${c.scale} on [${c.inputShape}]`, async () => {
        const x = tf.tensor4d(c.input, c.inputShape);
        await expectNoLeaks(async () => {
          const y = bicubicUpsample(x, c.scale);
          expect(y.shape).toEqual(c.outputShape);
          await expectClose(y, c.output, { rtol, atol: 1e-5 });
          y.dispose();
        });
        x.dispose();
      });
    }

    it('keeps a constant image constant and rejects bad arguments', async () => {
      const x = tf.fill([1, 3, 3, 3], 0.25) as tf.Tensor4D;
      const y = bicubicUpsample(x, 4);
      await expectClose(y, new Array(12 * 12 * 3).fill(0.25), { rtol, atol: 1e-6 });
      expect(() => bicubicUpsample(x, 2.5)).toThrow(
        /bicubicUpsample: 'scale' must be an integer >= 1, got 2.5/,
      );
      tf.dispose([x, y]);
    });
  },
  { webgpu: true },
);
