import { dtmLoss, dtmSampleWeights, dtmTarget, planDtmStep } from '@ctmsr/dtm-loss';
import { describeBackends, expectClose, expectNoLeaks, seededNormal } from '@ctmsr/test-harness';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { HR, LEVELS, l1, l2, makeBatch, tinyNet } from './test-utils.js';

async function scalar(t: tf.Tensor): Promise<number> {
  return (await t.data())[0];
}

function disposeResult(r: { loss: tf.Scalar; terms: Record<string, tf.Scalar> }): void {
  tf.dispose([r.loss, ...Object.values(r.terms)]);
}

describeBackends(
  'DTM loss: invariants',
  ({ rtol }) => {
    it('is exactly 0 when the output equals the ground truth (z_t = x_t, g = 0)', async () => {
      const batch = makeBatch();
      const frozen = tinyNet(31);
      const plan = planDtmStep(1, 0, HR, LEVELS);
      expect(plan.index).toBe(1);
      await expectNoLeaks(async () => {
        const output = tf.clone(batch.y);
        const target = dtmTarget(frozen.denoiser, output, batch, plan);
        await expectClose(target, batch.y, { rtol: 0, atol: 0, what: 'sg(output - g)' });
        for (const weighting of ['improved', 'simple'] as const) {
          const r = dtmLoss(
            frozen.denoiser,
            output,
            batch,
            plan,
            [
              { name: 'l1', distance: l1, weight: 1 },
              { name: 'l2', distance: l2, weight: 0.5 },
            ],
            { weighting },
          );
          expect(await scalar(r.loss)).toBe(0);
          expect(Object.keys(r.terms).sort()).toEqual(['dtm_l1', 'dtm_l2']);
          for (const t of Object.values(r.terms)) expect(await scalar(t)).toBe(0);
          disposeResult(r);
        }
        tf.dispose([output, target]);
      });
      tf.dispose([plan.eps, ...frozen.vars, ...Object.values(batch)]);
    });

    it("gradient wrt the output is lambda * lambda' * w_b * g_b / (B H W C) for an L2 distance", async () => {
      const batch = makeBatch();
      const frozen = tinyNet(41);
      const plan = planDtmStep(3, 2, HR, LEVELS);
      const output = tf.tidy(() => tf.add(batch.y, tf.mul(seededNormal(HR, 50), 0.3))) as tf.Tensor4D;
      const lambda = 1.6;
      const lambdaK = 0.7;
      await expectNoLeaks(async () => {
        const grad = tf.grad((out: tf.Tensor) => {
          const r = dtmLoss(frozen.denoiser, out as tf.Tensor4D, batch, plan, [
            { name: 'l2', distance: l2, weight: lambdaK },
          ]);
          tf.dispose(Object.values(r.terms));
          return r.loss;
        })(output);
        // Hand formula: x_t, z_t, g and w built here from the definitions of method.md §3.4-3.5.
        const expected = tf.tidy(() => {
          const { sigma, alpha } = plan.level;
          const xt = tf.add(
            tf.add(batch.y, tf.mul(tf.sub(batch.u, batch.y), alpha)),
            tf.mul(plan.eps, sigma),
          );
          const zt = tf.add(tf.add(output, tf.mul(tf.sub(batch.u, output), alpha)), tf.mul(plan.eps, sigma));
          const g = tf.sub(
            frozen.denoiser(zt as tf.Tensor4D, batch.lq, sigma),
            frozen.denoiser(xt as tf.Tensor4D, batch.lq, sigma),
          );
          const w = tf.div(1, tf.mean(tf.abs(tf.sub(output, batch.y)), [1, 2, 3], true));
          const n = HR.reduce((a, b) => a * b, 1);
          return tf.mul(tf.mul(w, g), (lambda * lambdaK) / n);
        });
        const mag = tf.tidy(() => tf.max(tf.abs(expected)));
        expect(await scalar(mag)).toBeGreaterThan(0);
        await expectClose(grad, expected, { rtol: 10 * rtol, atol: 1e-9, what: 'dL/d output' });
        tf.dispose([grad, expected, mag]);
      });
      tf.dispose([output, plan.eps, ...frozen.vars, ...Object.values(batch)]);
    });
  },
  { webgpu: true },
);

describeBackends('DTM loss', ({ rtol }) => {
  it('no gradient reaches the frozen model; the online model gets one', async () => {
    const batch = makeBatch();
    const online = tinyNet(21);
    const frozen = tinyNet(61);
    const plan = planDtmStep(1, 4, HR, LEVELS);
    await expectNoLeaks(async () => {
      const { value, grads } = tf.variableGrads(() => {
        const output = online.denoiser(batch.u, batch.lq, 2 / 3); // a CT output at level n+1 = 2
        const r = dtmLoss(frozen.denoiser, output, batch, plan, [{ name: 'l1', distance: l1, weight: 1 }]);
        tf.dispose([output, ...Object.values(r.terms)]);
        return r.loss;
      }, [...online.vars, ...frozen.vars]);
      for (const v of frozen.vars) {
        const g = grads[v.name];
        if (g != null) expect(await scalar(tf.tidy(() => tf.max(tf.abs(g))))).toBe(0);
      }
      for (const v of online.vars) {
        const mag = tf.tidy(() => tf.sum(tf.abs(grads[v.name])));
        expect(await scalar(mag)).toBeGreaterThan(0);
        mag.dispose();
      }
      // Same gradient as with the target computed outside the closure, as a plain constant.
      const constant = tf.tidy(() => {
        const out = online.denoiser(batch.u, batch.lq, 2 / 3);
        return dtmTarget(frozen.denoiser, out, batch, plan);
      });
      const ref = tf.variableGrads(() => {
        const output = online.denoiser(batch.u, batch.lq, 2 / 3);
        const w = dtmSampleWeights(output, batch.y);
        const loss = tf.mul(tf.mean(tf.mul(w, l1(output, constant))), 0.5 * 1.6) as tf.Scalar;
        tf.dispose([output, w]);
        return loss;
      }, online.vars);
      await expectClose(value, ref.value, { rtol, what: 'loss' });
      for (const v of online.vars)
        await expectClose(grads[v.name], ref.grads[v.name], { rtol, atol: 1e-8, what: v.name });
      tf.dispose([value, constant, ref.value, ...Object.values(grads), ...Object.values(ref.grads)]);
    });
    tf.dispose([plan.eps, ...online.vars, ...frozen.vars, ...Object.values(batch)]);
  });

  it('matches the formula with improved and simple weighting, lambda and term names', async () => {
    const batch = makeBatch();
    const frozen = tinyNet(71);
    const plan = planDtmStep(5, 1, HR, LEVELS);
    const output = tf.tidy(() => tf.add(batch.y, tf.mul(seededNormal(HR, 51), 0.2))) as tf.Tensor4D;
    await expectNoLeaks(async () => {
      const target = dtmTarget(frozen.denoiser, output, batch, plan);
      const d1 = l1(output, target);
      const d2 = l2(output, target);
      const meanAbs = tf.tidy(() => tf.mean(tf.abs(tf.sub(output, batch.y)), [1, 2, 3]));
      const [a1, a2, m] = [await d1.data(), await d2.data(), await meanAbs.data()];
      const distances = [
        { name: 'l1', distance: l1, weight: 0.3 },
        { name: 'l2', distance: l2, weight: 2 },
      ];
      const imp = dtmLoss(frozen.denoiser, output, batch, plan, distances, { weight: 1.6 });
      const exp1 = (0.5 * 1.6 * 0.3 * (a1[0] / m[0] + a1[1] / m[1])) / 2;
      const exp2 = (0.5 * 1.6 * 2 * (a2[0] / m[0] + a2[1] / m[1])) / 2;
      await expectClose(imp.terms.dtm_l1, exp1, { rtol: 10 * rtol });
      await expectClose(imp.terms.dtm_l2, exp2, { rtol: 10 * rtol });
      await expectClose(imp.loss, exp1 + exp2, { rtol: 10 * rtol });
      const simple = dtmLoss(frozen.denoiser, output, batch, plan, distances, {
        weight: 1,
        weighting: 'simple',
      });
      await expectClose(simple.terms.dtm_l1, (0.5 * 0.3 * (a1[0] + a1[1])) / 2, { rtol: 10 * rtol });
      const w = dtmSampleWeights(output, batch.y);
      await expectClose(w, [1 / m[0], 1 / m[1]], { rtol: 10 * rtol });
      tf.dispose([target, d1, d2, meanAbs, w]);
      disposeResult(imp);
      disposeResult(simple);
    });
    tf.dispose([output, plan.eps, ...frozen.vars, ...Object.values(batch)]);
  });

  it('the improved weight is finite when the output equals y (weightEps floor)', async () => {
    const y = seededNormal([2, 2, 2, 3], 3) as tf.Tensor4D;
    await expectNoLeaks(async () => {
      const w = dtmSampleWeights(y, y, { weightEps: 1e-4 });
      await expectClose(w, [1e4, 1e4], { rtol });
      w.dispose();
    });
    y.dispose();
  });

  it('is deterministic for a seed; another iteration draws other noise', async () => {
    const batch = makeBatch();
    const frozen = tinyNet(81);
    const output = tf.tidy(() => tf.add(batch.y, tf.mul(seededNormal(HR, 52), 0.2))) as tf.Tensor4D;
    const run = async (k: number) => {
      const plan = planDtmStep(k, 9, HR, LEVELS);
      const r = dtmLoss(frozen.denoiser, output, batch, plan, [{ name: 'l1', distance: l1, weight: 1 }]);
      const v = await scalar(r.loss);
      disposeResult(r);
      const eps = await plan.eps.data();
      plan.eps.dispose();
      return { v, eps };
    };
    await expectNoLeaks(async () => {
      const a = await run(12);
      const b = await run(12);
      const c = await run(13);
      expect(b.v).toBe(a.v);
      expect(Array.from(b.eps)).toEqual(Array.from(a.eps));
      expect(Array.from(c.eps)).not.toEqual(Array.from(a.eps));
    });
    tf.dispose([output, ...frozen.vars, ...Object.values(batch)]);
  });

  it('indexes the current CT grid: t = 1 is sigma = 1/3 on 4 levels, 0.25 on 5', () => {
    const a = planDtmStep(1, 0, [1, 1, 1, 1], LEVELS);
    expect(a.level.sigma).toBeCloseTo(1 / 3, 12);
    expect(a.level.alpha).toBeCloseTo(1 / 3, 12);
    const b = planDtmStep(
      1,
      0,
      [1, 1, 1, 1],
      [0, 0.25, 0.5, 0.75, 1].map((s) => ({ sigma: s, alpha: s })),
    );
    expect(b.level.sigma).toBe(0.25);
    const c = planDtmStep(1, 0, [1, 1, 1, 1], LEVELS, { indexOverride: 3 });
    expect(c.level.sigma).toBe(1);
    tf.dispose([a.eps, b.eps, c.eps]);
  });

  it('rejects bad inputs, naming the argument', () => {
    const batch = makeBatch();
    const frozen = tinyNet(91);
    const plan = planDtmStep(1, 0, HR, LEVELS);
    const small = tf.zeros([2, 4, 4, 3]) as tf.Tensor4D;
    const ok = [{ name: 'l1', distance: l1, weight: 1 }];
    expect(() => dtmLoss(frozen.denoiser, small, batch, plan, ok)).toThrow(
      /dtmLoss: 'output' \[2,4,4,3\] and 'batch.y' \[2,8,8,3\] must have the same shape/,
    );
    expect(() => dtmLoss(frozen.denoiser, batch.y, batch, plan, [])).toThrow(
      /dtmLoss: 'distances' must be a non-empty/,
    );
    expect(() =>
      dtmLoss(frozen.denoiser, batch.y, batch, plan, [
        { name: 'a', distance: l1, weight: 1 },
        { name: 'a', distance: l2, weight: 1 },
      ]),
    ).toThrow(/'distances' has the name 'a' twice/);
    expect(() =>
      dtmLoss(frozen.denoiser, batch.y, batch, plan, [
        { name: 'bad', distance: (a) => tf.mean(a) as tf.Tensor1D, weight: 1 },
      ]),
    ).toThrow(/distance 'bad' must return one value per sample, shape \[2\]; got \[\]/);
    expect(() => dtmLoss(frozen.denoiser, batch.y, batch, plan, ok, { weight: Number.NaN })).toThrow(
      /'options.weight'/,
    );
    expect(() => dtmSampleWeights(batch.y, batch.y, { weighting: 'other' as 'simple' })).toThrow(
      /dtmSampleWeights: 'options.weighting' must be one of 'improved', 'simple', got 'other'/,
    );
    expect(() => planDtmStep(1, 0, HR, LEVELS.slice(0, 1))).toThrow(
      /planDtmStep: 'levels' must be the current CT grid/,
    );
    expect(() => planDtmStep(1, 0, HR, LEVELS, { indexOverride: 4 })).toThrow(
      /time index t must be an integer in \[1, 3\] of the 4-level CT grid \('levels'\), got 4/,
    );
    expect(() => planDtmStep(1, 0, HR, LEVELS, { indexOverride: 0 })).toThrow(/got 0/);
    expect(() => planDtmStep(1, 0, [2, 8, 8] as unknown as typeof HR, LEVELS)).toThrow(
      /'shape' must be \[B,H,W,C\]/,
    );
    expect(() => planDtmStep(1, 0, HR, LEVELS, { input: 'x' as 'one-step' })).toThrow(
      /'options.input' must be one of/,
    );
    expect(() => planDtmStep(-1, 0, HR, LEVELS)).toThrow(/'iteration' must be an integer >= 0, got -1/);
    tf.dispose([small, plan.eps, ...frozen.vars, ...Object.values(batch)]);
  });
});
