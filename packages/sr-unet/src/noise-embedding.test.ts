import { describeBackends, expectClose } from '@ctmsr/test-harness';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { embeddingFrequencies, positionalEmbedding } from './noise-embedding.js';

describeBackends('noise embedding', ({ rtol }) => {
  it('frequencies f_j = (1/10000)^(j/(C/2-1)) run from 1 to 1e-4', () => {
    const f = embeddingFrequencies(192);
    expect(f.length).toBe(96);
    expect(f[0]).toBe(1);
    expect(f[95]).toBeCloseTo(1e-4, 9);
    expect(f[10]).toBeCloseTo(10000 ** (-10 / 95), 7);
  });

  it('is [sin(c f), cos(c f)] in that order', async () => {
    const c = [-1.5537, 0.0005];
    const e = positionalEmbedding(tf.tensor1d(c), 8);
    const f = embeddingFrequencies(8);
    const want: number[] = [];
    for (const v of c) {
      for (const fj of f) want.push(Math.sin(v * fj));
      for (const fj of f) want.push(Math.cos(v * fj));
    }
    expect(e.shape).toEqual([2, 8]);
    expectClose(await e.data(), want, { rtol, atol: 1e-6 });
    e.dispose();
  });
});
