import { fileURLToPath } from 'node:url';
import { createLpips, type Lpips, loadLpipsWeightsFile } from '@ctmsr/consistency-training';
import { describeBackends, expectClose, expectNoLeaks, loadFixture } from '@ctmsr/test-harness';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, expect, it } from 'vitest';

interface Expected {
  net: 'vgg' | 'alex';
  widths: number[];
  shape: [number, number, number, number];
  distance: number[];
  layers: number[][];
  selfDistance: number[];
  gradBatch: number;
  gradA: number[];
}

/** The inputs of test/golden/lpips.py: s_k[i] = 0.95 sin(12.9898 i + 4.1414 k) in float64, then float32. */
function pair(shape: number[]): { a: Float32Array; b: Float32Array } {
  const n = shape.reduce((x, y) => x * y, 1);
  const a = new Float32Array(n);
  const b = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const s1 = 0.95 * Math.sin(12.9898 * i + 4.1414);
    const s2 = 0.95 * Math.sin(12.9898 * i + 4.1414 * 2);
    a[i] = s1;
    b[i] = 0.6 * s1 + 0.4 * s2;
  }
  return { a, b };
}

for (const net of ['vgg', 'alex'] as const) {
  describeBackends(`LPIPS ${net} vs PyTorch (reduced-width random weights)`, ({ rtol }) => {
    const expected = loadFixture<Expected>(import.meta.url, `lpips-${net}-expected.json`);
    let lpips: Lpips;
    beforeAll(async () => {
      const path = fileURLToPath(new URL(`../test/fixtures/lpips-${net}-tiny.json`, import.meta.url));
      lpips = createLpips({ net, weights: await loadLpipsWeightsFile(path) });
    });
    afterAll(() => lpips.dispose());

    it('distances and per-layer terms agree element-wise', async () => {
      expect(lpips.widths).toEqual(expected.widths);
      const { a, b } = pair(expected.shape);
      const ta = tf.tensor4d(a, expected.shape);
      const tb = tf.tensor4d(b, expected.shape);
      await expectNoLeaks(async () => {
        const d = lpips.distance(ta, tb);
        await expectClose(d, expected.distance, { rtol: 20 * rtol, atol: 1e-7, what: 'distance' });
        const layers = lpips.layers(ta, tb);
        for (let k = 0; k < 5; k++) {
          await expectClose(layers[k], expected.layers[k], {
            rtol: 20 * rtol,
            atol: 1e-8,
            what: `layer ${k}`,
          });
        }
        const self = lpips.distance(ta, ta);
        await expectClose(self, expected.selfDistance, { rtol: 0, atol: 0, what: 'd(a, a)' });
        tf.dispose([d, self, ...layers]);
      });
      tf.dispose([ta, tb]);
    });

    it('the input gradient agrees element-wise with autograd', async () => {
      const { a, b } = pair(expected.shape);
      const [, h, w, c] = expected.shape;
      const gs = [expected.gradBatch, h, w, c] as [number, number, number, number];
      const n = gs.reduce((x, y) => x * y, 1);
      const ta = tf.tensor4d(a.subarray(0, n), gs);
      const tb = tf.tensor4d(b.subarray(0, n), gs);
      await expectNoLeaks(async () => {
        const g = tf.grad((x: tf.Tensor) => tf.sum(lpips.distance(x as tf.Tensor4D, tb)))(ta);
        const scale = Math.max(...expected.gradA.map(Math.abs));
        await expectClose(g, expected.gradA, { rtol: 1e-3, atol: 1e-4 * scale, what: 'dL/da' });
        g.dispose();
      });
      tf.dispose([ta, tb]);
    });
  });
}
