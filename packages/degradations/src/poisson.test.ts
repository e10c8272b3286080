import { describeBackends, expectNoLeaks } from '@ctmsr/test-harness';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { samplePoisson } from './poisson.js';
import { deriveKey, fillNormal, fillUniform } from './random.js';

const N = 10000;

function fields(seed: number) {
  return {
    u: tf.tensor1d(fillUniform(deriveKey(seed, 1), new Float32Array(N))),
    z: tf.tensor1d(fillNormal(deriveKey(seed, 2), new Float32Array(N))),
  };
}

function suite(onlySome: boolean) {
  return () => {
    it('has mean λ and variance λ (+1/12 on the normal branch) for small and large rates', async () => {
      for (const [i, lam] of [0.3, 2.5, 11.9, 12, 40, 256].slice(0, onlySome ? 2 : 6).entries()) {
        const { u, z } = fields(100 + i);
        const l = tf.fill([N], lam);
        const x = await expectNoLeaks(() => samplePoisson(l, u, z), 1);
        const v = await x.data();
        tf.dispose([u, z, l, x]);
        let m = 0;
        for (const a of v) m += a;
        m /= N;
        let s2 = 0;
        for (const a of v) s2 += (a - m) ** 2;
        s2 /= N - 1;
        for (const a of v) expect(Number.isInteger(a) && a >= 0).toBe(true);
        const target = lam >= 12 ? lam + 1 / 12 : lam;
        // 4.5-sigma bounds for the sample mean and the sample variance.
        expect(Math.abs(m - lam), `mean at λ=${lam}`).toBeLessThan(4.5 * Math.sqrt(lam / N));
        const varSd = Math.sqrt((2 * target * target + lam) / N); // Var(s²) ≈ (2σ⁴ + κ4)/N, κ4 = λ
        expect(Math.abs(s2 - target), `variance at λ=${lam}`).toBeLessThan(4.5 * varSd);
      }
    });

    it('small rates follow the exact distribution: P(X = 0) = e^{−λ}, P(X = 1) = λe^{−λ}', async () => {
      const lam = 1.7;
      const { u, z } = fields(7);
      const v = await samplePoisson(tf.fill([N], lam), u, z).data();
      const p0 = v.filter((a) => a === 0).length / N;
      const p1 = v.filter((a) => a === 1).length / N;
      const e0 = Math.exp(-lam);
      const e1 = lam * e0;
      expect(Math.abs(p0 - e0)).toBeLessThan(4.5 * Math.sqrt((e0 * (1 - e0)) / N));
      expect(Math.abs(p1 - e1)).toBeLessThan(4.5 * Math.sqrt((e1 * (1 - e1)) / N));
    });

    it('is a deterministic function of (λ, u, z) and checks shapes', async () => {
      const { u, z } = fields(3);
      const l = tf.linspace(0, 30, N);
      const a = await samplePoisson(l, u, z).data();
      const b = await samplePoisson(l, u, z).data();
      expect(Array.from(a)).toEqual(Array.from(b));
      expect(() => samplePoisson(tf.zeros([3]), tf.zeros([4]), tf.zeros([3]))).toThrow(
        /samplePoisson: 'uniform' must have the shape of 'lambda' \[3\], got \[4\]/,
      );
    });
  };
}

describeBackends('samplePoisson', suite(false));
// WebGPU (software Vulkan in CI) runs the same checks on fewer rates.
describeBackends('samplePoisson', suite(true), { backends: ['webgpu'] });
