import { AdamW, Ema, learningRateAt } from '@ctmsr/consistency-training';
import { describeBackends, expectClose, expectNoLeaks, loadFixture } from '@ctmsr/test-harness';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';

interface Step {
  lr: number;
  grads: Record<string, number[]>;
  params: Record<string, number[]>;
  ema: Record<string, number[]>;
}
interface Golden {
  shapes: Record<string, number[]>;
  init: Record<string, number[]>;
  options: {
    lr: number;
    beta1: number;
    beta2: number;
    eps: number;
    weightDecay: number;
    milestones: number[];
    gamma: number;
  };
  steps: Step[];
}
const golden = loadFixture<Golden>(import.meta.url, 'adamw_ema.json');

it('MultiStepLR matches PyTorch', () => {
  const o = golden.options;
  golden.steps.forEach((s, k) => {
    expect(learningRateAt(k, { lr: o.lr, milestones: o.milestones, gamma: o.gamma })).toBeCloseTo(s.lr, 12);
  });
});

describeBackends('AdamW and EMA against PyTorch', ({ rtol }) => {
  it('six steps of AdamW (weight decay, bias correction, MultiStepLR) and the warm-up EMA match', async () => {
    const params = Object.entries(golden.shapes).map(([name, shape]) => ({
      name,
      variable: tf.variable(tf.tensor(golden.init[name], shape)),
    }));
    const o = golden.options;
    const opt = new AdamW({
      lr: o.lr,
      beta1: o.beta1,
      beta2: o.beta2,
      eps: o.eps,
      weightDecay: o.weightDecay,
    });
    const ema = new Ema(params, { decay: 0.999, warmup: true });
    await expectNoLeaks(async () => {
      for (const [k, s] of golden.steps.entries()) {
        const grads = Object.fromEntries(
          params.map((p) => [p.name, tf.tensor(s.grads[p.name], p.variable.shape)]),
        );
        opt.apply(params, grads, learningRateAt(k, { lr: o.lr, milestones: o.milestones, gamma: o.gamma }));
        ema.update(params);
        tf.dispose(Object.values(grads));
        for (const p of params) {
          await expectClose(p.variable, s.params[p.name], {
            rtol: Math.max(rtol, 1e-5),
            atol: 1e-6,
            what: `step ${k} ${p.name}`,
          });
        }
        const e = ema.getWeights();
        for (const p of params)
          await expectClose(e[p.name], s.ema[p.name], { rtol: Math.max(rtol, 1e-5), atol: 1e-6 });
        tf.dispose(Object.values(e));
      }
    }, 4); // 2 moments x 2 parameters are created on the first step and kept (variables only).
    expect(opt.step).toBe(6);
    for (const p of params) p.variable.dispose();
    const live = tf.memory().numTensors;
    opt.dispose();
    ema.dispose();
    // Disposing the optimiser and the EMA frees everything they made: 4 moments + 2 shadows.
    expect(live - tf.memory().numTensors).toBe(6);
  });

  it('state round-trips through getState/setState', async () => {
    const v = tf.variable(tf.tensor1d([1, 2, 3]));
    const params = [{ name: 'w', variable: v }];
    const a = new AdamW({ lr: 0.1 });
    const g = { w: tf.tensor1d([0.5, -1, 2]) };
    a.apply(params, g);
    const state = a.getState();
    const b = new AdamW({ lr: 0.1 });
    b.setState(state);
    tf.dispose([...Object.values(state.m), ...Object.values(state.v)]);
    const v2 = tf.variable(tf.clone(v));
    a.apply(params, g);
    b.apply([{ name: 'w', variable: v2 }], g);
    await expectClose(v2, v, { rtol: 0, atol: 0 });
    tf.dispose([v, v2, g.w]);
    a.dispose();
    b.dispose();
  });

  it('names bad options and shapes', () => {
    expect(() => new AdamW({ beta2: 1 })).toThrow(/AdamW: 'beta2' must be in \[0, 1\), got 1/);
    const v = tf.variable(tf.zeros([2]));
    const opt = new AdamW();
    const g = tf.zeros([3]);
    expect(() => opt.apply([{ name: 'w', variable: v }], { w: g })).toThrow(
      /gradient of 'w' has shape \[3\], expected \[2\]/,
    );
    tf.dispose([v, g]);
    opt.dispose();
  });
});

describeBackends('Ema and AdamW ownership', () => {
  it('constructing, updating and disposing leaves no tensor behind', async () => {
    const v = tf.variable(tf.tensor1d([1, 2, 3]));
    const params = [{ name: 'w', variable: v }];
    await expectNoLeaks(async () => {
      const ema = new Ema(params);
      const opt = new AdamW({ lr: 0.1 });
      const g = { w: tf.tensor1d([0.5, -1, 2]) };
      opt.apply(params, g);
      ema.update(params);
      const state = opt.getState();
      opt.setState(state);
      tf.dispose([g.w, ...Object.values(state.m), ...Object.values(state.v)]);
      opt.dispose();
      ema.dispose();
    });
    v.dispose();
  });
});
