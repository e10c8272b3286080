import {
  DEFAULT_DTM_OPTIONS,
  DTM_STREAMS,
  dtmLoss,
  dtmOutput,
  oneStepState,
  planDtmStep,
} from '@ctmsr/dtm-loss';
import { deriveSeed, seededNormal as fieldNormal } from '@ctmsr/pf-ode';
import { describeBackends, expectClose, expectNoLeaks } from '@ctmsr/test-harness';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { HR, LEVELS, l1, makeBatch, tinyNet } from './test-utils.js';

describeBackends('DTM input: CT output or one-step output', ({ rtol }) => {
  it('defaults to the reference code: the CT output, reused (a clone, no extra forward)', async () => {
    expect(DEFAULT_DTM_OPTIONS.input).toBe('ct-output');
    const batch = makeBatch();
    const online = tinyNet(5);
    let calls = 0;
    const counting = (x: tf.Tensor4D, lq: tf.Tensor4D, s: number | tf.Tensor1D) => {
      calls++;
      return online.denoiser(x, lq, s);
    };
    const plan = planDtmStep(1, 0, HR, LEVELS);
    expect(plan.input).toBe('ct-output');
    await expectNoLeaks(async () => {
      const out = dtmOutput(plan, counting, batch, batch.u);
      expect(out).not.toBe(batch.u);
      expect(calls).toBe(0);
      await expectClose(out, batch.u, { rtol: 0, atol: 0 });
      out.dispose();
    });
    expect(() => dtmOutput(plan, counting, batch)).toThrow(
      /dtmOutput: 'ctOutput' is required when plan.input is 'ct-output'/,
    );
    tf.dispose([plan.eps, ...online.vars, ...Object.values(batch)]);
  });

  it('oneStepState is u + sigma_max * eps with noise from (seed, iteration)', async () => {
    const batch = makeBatch();
    await expectNoLeaks(async () => {
      const xT = oneStepState(batch.u, 3, 17, 0.8);
      const eps = fieldNormal(HR, deriveSeed(3, 17, DTM_STREAMS.oneStepNoise));
      const expected = tf.tidy(() => tf.add(batch.u, tf.mul(eps, 0.8)));
      await expectClose(xT, expected, { rtol, atol: 1e-7 });
      const again = oneStepState(batch.u, 3, 17, 0.8);
      await expectClose(again, xT, { rtol: 0, atol: 0 });
      tf.dispose([xT, eps, expected, again]);
    });
    expect(() => oneStepState(batch.u, 3, 17, 0)).toThrow(
      /oneStepState: 'sigmaMax' must be a finite number > 0, got 0/,
    );
    tf.dispose(Object.values(batch));
  });

  it("'one-step' evaluates the online network at (x_T, sigma_max) and trains it through DTM", async () => {
    const batch = makeBatch();
    const online = tinyNet(7);
    const frozen = tinyNet(8);
    const plan = planDtmStep(2, 1, HR, LEVELS, { input: 'one-step', sigmaMax: 1 });
    await expectNoLeaks(async () => {
      const out = dtmOutput(plan, online.denoiser, batch);
      const expected = tf.tidy(() => online.denoiser(oneStepState(batch.u, 1, 2, 1), batch.lq, 1));
      await expectClose(out, expected, { rtol: 0, atol: 0 });
      const { value, grads } = tf.variableGrads(() => {
        const o = dtmOutput(plan, online.denoiser, batch);
        const r = dtmLoss(frozen.denoiser, o, batch, plan, [{ name: 'l1', distance: l1, weight: 1 }]);
        tf.dispose([o, ...Object.values(r.terms)]);
        return r.loss;
      }, online.vars);
      for (const g of Object.values(grads)) {
        const mag = tf.tidy(() => tf.sum(tf.abs(g)));
        expect((await mag.data())[0]).toBeGreaterThan(0);
        mag.dispose();
      }
      tf.dispose([out, expected, value, ...Object.values(grads)]);
    });
    tf.dispose([plan.eps, ...online.vars, ...frozen.vars, ...Object.values(batch)]);
  });
});
