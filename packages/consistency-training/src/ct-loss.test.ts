import {
  charbonnier,
  consistencyTrainingLoss,
  ctLoss,
  ctTarget,
  l1,
  l2,
  planCtStep,
  pseudoHuber,
} from '@ctmsr/consistency-training';
import { type Denoiser, precondition, type RawNetwork } from '@ctmsr/pf-ode';
import { describeBackends, expectClose, expectNoLeaks, seededNormal } from '@ctmsr/test-harness';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';

const HR: [number, number, number, number] = [2, 8, 8, 3];

function makeBatch() {
  return {
    y: seededNormal(HR, 11) as tf.Tensor4D,
    u: seededNormal(HR, 12) as tf.Tensor4D,
    lq: seededNormal([2, 2, 2, 3], 13) as tf.Tensor4D,
  };
}

/** A small raw network with its own variables: F = tanh(x * w + b) (w, b per channel). */
function tinyNet(seed: number) {
  const w = tf.variable(tf.add(seededNormal([3], seed), 1));
  const b = tf.variable(tf.mul(seededNormal([3], seed + 1), 0.1));
  const raw: RawNetwork = (x, cNoise, _lq) =>
    tf.tidy(() => tf.tanh(tf.add(tf.mul(tf.add(x, tf.reshape(cNoise, [-1, 1, 1, 1])), w), b)) as tf.Tensor4D);
  return { raw, vars: [w, b], denoiser: precondition(raw) };
}

describeBackends('consistency-training loss', ({ rtol }) => {
  it('planCtStep: shared index, curriculum grid, deterministic per (seed, k)', () => {
    const a = planCtStep(7, 1, HR, { curriculum: { s0: 4, s1: 3, totalIterations: 100 } });
    const b = planCtStep(7, 1, HR, { curriculum: { s0: 4, s1: 3, totalIterations: 100 } });
    expect(a.levels.length).toBe(5);
    expect(a.n).toBe(b.n);
    expect(a.n).toBeGreaterThanOrEqual(0);
    expect(a.n).toBeLessThanOrEqual(3);
    expect(planCtStep(60, 1, HR, { curriculum: { s0: 4, s1: 3, totalIterations: 100 } }).levels.length).toBe(
      4,
    );
    const ns = new Set(Array.from({ length: 200 }, (_, k) => planCtStep(k, 3, [1, 1, 1, 1]).n));
    expect([...ns].sort()).toEqual([0, 1, 2, 3]);
    tf.dispose([a.eps, b.eps]);
    expect(() => planCtStep(0, 1, HR, { indexOverride: 4 })).toThrow(
      /index n must be an integer in \[0, 3\], got 4/,
    );
  });

  it('the loss is (numerically) zero for a perfect denoiser, and the target at n = 0 is y exactly', async () => {
    const batch = makeBatch();
    const oracle: Denoiser = () => tf.clone(batch.y); // knows the answer: a perfect consistency function
    for (const n of [0, 1, 2]) {
      const plan = planCtStep(0, 5, HR, { indexOverride: n });
      await expectNoLeaks(async () => {
        const r = consistencyTrainingLoss(oracle, oracle, batch, plan);
        await expectClose(r.target, batch.y, { rtol: 0, atol: 0 });
        expect((await r.loss.data())[0]).toBeLessThan(2e-6); // sqrt(1e-12) per element
        tf.dispose([r.loss, r.output, r.target, ...Object.values(r.terms)]);
      });
      plan.eps.dispose();
    }
    tf.dispose(Object.values(batch));
  });

  it('no gradient reaches the target, even when it shares the online weights', async () => {
    const batch = makeBatch();
    const net = tinyNet(21);
    const plan = planCtStep(0, 9, HR, { indexOverride: 1 });
    await expectNoLeaks(async () => {
      // Reference: the target as a plain constant computed outside any closure.
      const constant = tf.tidy(() => ctTarget(net.denoiser, batch, plan));
      const ref = tf.variableGrads(() => {
        const r = ctLoss(net.denoiser, batch, plan, constant);
        tf.dispose([r.output, ...Object.values(r.terms)]);
        return r.loss;
      }, net.vars);
      // Target computed INSIDE the closure from the same variables.
      const inside = tf.variableGrads(() => {
        const r = consistencyTrainingLoss(net.denoiser, net.denoiser, batch, plan);
        tf.dispose([r.output, r.target, ...Object.values(r.terms)]);
        return r.loss;
      }, net.vars);
      for (const k of Object.keys(ref.grads)) {
        await expectClose(inside.grads[k], ref.grads[k], { rtol, atol: 1e-7, what: k });
        const mag = tf.tidy(() => tf.sum(tf.abs(ref.grads[k])));
        expect((await mag.data())[0]).toBeGreaterThan(0);
        mag.dispose();
      }
      tf.dispose([
        constant,
        ref.value,
        inside.value,
        ...Object.values(ref.grads),
        ...Object.values(inside.grads),
      ]);
    });
    tf.dispose([plan.eps, ...net.vars, ...Object.values(batch)]);
  });

  it('distances match hand computation per sample', async () => {
    const a = tf.tensor4d([0, 1, 2, 3], [2, 1, 2, 1]);
    const b = tf.tensor4d([1, 1, 0, 0], [2, 1, 2, 1]);
    await expectNoLeaks(async () => {
      const outs = [charbonnier(0)(a, b), l1()(a, b), l2()(a, b), pseudoHuber(0.5)(a, b)];
      await expectClose(outs[0], [0.5, 2.5], { rtol });
      await expectClose(outs[1], [0.5, 2.5], { rtol });
      await expectClose(outs[2], [0.5, 6.5], { rtol });
      const ph = (d: number) => Math.sqrt(d * d + 0.25) - 0.5;
      await expectClose(outs[3], [(ph(1) + ph(0)) / 2, (ph(2) + ph(3)) / 2], { rtol });
      tf.dispose(outs);
    });
    expect(() => l1()(a, tf.zeros([2, 1, 1, 1]) as tf.Tensor4D)).toThrow(
      /l1: 'a' \[2,1,2,1\] and 'b' \[2,1,1,1\] must have the same shape/,
    );
    tf.dispose([a, b]);
  });
});
