import { precondition } from '@ctmsr/pf-ode';
import { describeBackends, expectClose, expectNoLeaks } from '@ctmsr/test-harness';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import type { SrUnetConfig } from './config.js';
import { resolveSrUnetConfig } from './config.js';
import { initialValues } from './init.js';
import { buildLayout } from './layout.js';
import { uniformAt } from './ops.js';
import { SrUnet } from './sr-unet.js';

/** A very small config with every feature: attention, dropout, the paper's nearest-conv head. */
const MICRO: SrUnetConfig = resolveSrUnetConfig({
  preset: 'tiny',
  modelChannels: 8,
  channelMult: [1, 2],
  numBlocks: 1,
  attnLevels: [1],
  windowSize: 2,
  numHeads: 2,
  mlpRatio: 2,
  embChannels: 8,
  attnChannels: 8,
  dropout: 0.1,
  head: 'nearest-conv',
  headChannels: 8,
  resCon: false,
});
/** The same with the pixel-shuffle head and the bicubic residual (the tiny preset's choices). */
const MICRO_PS: SrUnetConfig = { ...MICRO, head: 'pixel-shuffle', resCon: true, attnLevels: [0, 1] };

/** Adam steps of the overfitting test (0.65 -> 0.019 measured; the test asks for a 10x drop). */
const STEPS = 15;

function rand(shape: number[], seed: number, lo = -1, hi = 1): tf.Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const v = new Float32Array(n);
  for (let i = 0; i < n; i++) v[i] = lo + (hi - lo) * uniformAt(seed, i);
  return tf.tensor(v, shape);
}

function inputs(b: number, h: number, w: number, s = 4, seed = 1) {
  return {
    x: rand([b, s * h, s * w, 3], seed) as tf.Tensor4D,
    c: rand([b], seed + 1, -1.5, 0) as tf.Tensor1D,
    lq: rand([b, h, w, 3], seed + 2) as tf.Tensor4D,
  };
}

async function weightsEqual(a: SrUnet, b: SrUnet): Promise<boolean> {
  for (let i = 0; i < a.variables.length; i++) {
    const x = await a.variables[i].variable.data();
    const y = await b.variables[i].variable.data();
    if (x.length !== y.length || x.some((v, j) => v !== y[j])) return false;
  }
  return true;
}

describeBackends(
  'SrUnet forward',
  ({ backend, rtol }) => {
    it('maps [B, 4h, 4w, 3] x [B, h, w, 3] to [B, 4h, 4w, 3] for several sizes, leak-free', async () => {
      const net = SrUnet.create(MICRO, 1);
      for (const [b, h, w] of [
        [1, 4, 4],
        [2, 8, 4],
        [1, 4, 12],
      ]) {
        const { x, c, lq } = inputs(b, h, w);
        const y = await expectNoLeaks(() => net.forward(x, c, lq), 1);
        expect(y.shape).toEqual([b, 4 * h, 4 * w, 3]);
        const v = await y.data();
        expect(v.every(Number.isFinite)).toBe(true);
        tf.dispose([x, c, lq, y]);
      }
      net.dispose();
    });

    if (backend !== 'cpu') {
      it('matches the cpu backend', async () => {
        for (const cfg of [MICRO, MICRO_PS]) {
          const { x, c, lq } = inputs(2, 4, 8, 4, 7);
          const net = SrUnet.create(cfg, 5);
          const y = await net.forward(x, c, lq).data();
          const mine = tf.getBackend();
          await tf.setBackend('cpu');
          const ref = SrUnet.create(cfg, 5);
          const i = inputs(2, 4, 8, 4, 7);
          const r = ref.forward(i.x, i.c, i.lq);
          const rv = await r.data();
          tf.dispose([r, i.x, i.c, i.lq]);
          ref.dispose();
          await tf.setBackend(mine);
          expectClose(y, rv, { rtol: 10 * rtol, atol: 2e-4, what: `${cfg.head} vs cpu` });
          tf.dispose([x, c, lq]);
          net.dispose();
        }
      });
    }

    it('rejects bad shapes naming the argument', () => {
      const net = SrUnet.create(MICRO, 1);
      const { x, c, lq } = inputs(1, 4, 4);
      const lq6 = tf.zeros([1, 6, 4, 3]) as tf.Tensor4D;
      const x6 = tf.zeros([1, 24, 16, 3]) as tf.Tensor4D;
      expect(() => net.forward(x6, c, lq6)).toThrow(/multiples of 4, got 6x4/);
      expect(() => net.forward(x6, c, lq)).toThrow(/'xIn' must be \[1,16,16,3\]/);
      expect(() => net.forward(x, tf.zeros([2]) as tf.Tensor1D, lq)).toThrow(/'cNoise' must be \[1\]/);
      expect(() => net.forward(x, c, lq, { training: true })).toThrow(/'dropoutSeed' is required/);
      tf.dispose([x, c, lq, lq6, x6]);
      net.dispose();
      expect(() => net.forward(x, c, lq)).toThrow(/disposed/);
    });

    it('precondition(rawNetwork()) gives D(x, 0) = x exactly', async () => {
      const net = SrUnet.create(MICRO_PS, 1);
      const d = precondition(net.rawNetwork());
      const { x, lq } = inputs(1, 4, 4);
      const y0 = d(x, lq, 0);
      expect(Array.from(await y0.data())).toEqual(Array.from(await x.data()));
      const y1 = await expectNoLeaks(() => d(x, lq, 1), 1);
      expect(y1.shape).toEqual(x.shape);
      tf.dispose([x, lq, y0, y1]);
      net.dispose();
    });

    it("resCon reuses a caller's bicubic (options.bicubic / cond.u): same values, checked shape", async () => {
      const net = SrUnet.create(MICRO_PS, 1);
      const { x, c, lq } = inputs(1, 4, 4);
      const { bicubicUpsample } = await import('@ctmsr/pf-ode');
      const u = bicubicUpsample(lq, 4);
      const own = net.forward(x, c, lq);
      const given = await expectNoLeaks(() => net.forward(x, c, lq, { bicubic: u }), 1);
      expect(Array.from(await given.data())).toEqual(Array.from(await own.data()));
      const d = precondition(net.rawNetwork());
      const viaCond = d(x, lq, 0.5, { u });
      const plain = d(x, lq, 0.5);
      expect(Array.from(await viaCond.data())).toEqual(Array.from(await plain.data()));
      const wrong = tf.zeros([1, 8, 8, 3]) as tf.Tensor4D;
      expect(() => net.forward(x, c, lq, { bicubic: wrong })).toThrow(/'bicubic' has shape \[1,8,8,3\]/);
      tf.dispose([x, c, lq, u, own, given, viaCond, plain, wrong]);
      net.dispose();
    });
  },
  { webgpu: true },
);

describeBackends('SrUnet presets and dropout', () => {
  it('tiny preset: 32x32 -> 128x128, starts at bicubic(lq) (resCon, 1e-5 head init)', async () => {
    const net = SrUnet.create('tiny', 0);
    const { x, c, lq } = inputs(1, 32, 32);
    const y = net.forward(x, c, lq);
    expect(y.shape).toEqual([1, 128, 128, 3]);
    const { bicubicUpsample } = await import('@ctmsr/pf-ode');
    const u = bicubicUpsample(lq, 4);
    expectClose(await y.data(), await u.data(), { rtol: 0, atol: 1e-3, what: 'F at init vs bicubic' });
    tf.dispose([x, c, lq, y, u]);
    net.dispose();
  });

  it('dropout masks follow dropoutSeed; eval mode has no dropout', async () => {
    const net = SrUnet.create({ ...MICRO, dropout: 0.5 }, 2);
    // Make the 1e-5-initialised convs matter so dropout changes the output visibly.
    for (const { name, variable } of net.variables) {
      if (name.endsWith('conv1.weight')) variable.assign(tf.mul(variable, 1e4));
    }
    const { x, c, lq } = inputs(1, 4, 4);
    const run = async (o: { training?: boolean; dropoutSeed?: number }) => {
      const y = net.forward(x, c, lq, o);
      const v = await y.data();
      y.dispose();
      return Array.from(v);
    };
    const a = await run({ training: true, dropoutSeed: 1 });
    expect(await run({ training: true, dropoutSeed: 1 })).toEqual(a);
    expect(await run({ training: true, dropoutSeed: 2 })).not.toEqual(a);
    expect(await run({ training: false, dropoutSeed: 1 })).toEqual(await run({}));
    tf.dispose([x, c, lq]);
    net.dispose();
  });
});

describeBackends('SrUnet training', () => {
  it('gradients of a loss through F reach every variable (both heads, attention, dropout)', async () => {
    for (const cfg of [MICRO, MICRO_PS]) {
      const net = SrUnet.create(cfg, 3);
      const { x, c, lq } = inputs(2, 4, 4);
      const target = rand([2, 16, 16, 3], 9);
      const vars = net.variables.map((v) => v.variable);
      const { value, grads } = await expectNoLeaks(
        () =>
          tf.variableGrads(
            () =>
              tf.mean(
                tf.square(tf.sub(net.forward(x, c, lq, { training: true, dropoutSeed: 4 }), target)),
              ) as tf.Scalar,
            vars,
          ),
        1 + vars.length,
      );
      for (const { name, variable } of net.variables) {
        const g = grads[variable.name];
        expect(g, name).toBeDefined();
        expect(g.shape, name).toEqual(variable.shape);
        const gv = await g.data();
        expect(gv.every(Number.isFinite), `${name} finite`).toBe(true);
        expect(
          gv.some((v) => v !== 0),
          `${name} has a non-zero gradient`,
        ).toBe(true);
      }
      tf.dispose([value, ...Object.values(grads), x, c, lq, target]);
      net.dispose();
    }
  });

  it('overfits one (LR, HR) pair', async () => {
    const cfg: SrUnetConfig = { ...MICRO_PS, dropout: 0, attnLevels: [] };
    const net = SrUnet.create(cfg, 11);
    const { x, c, lq } = inputs(1, 4, 4, 4, 20);
    const hr = rand([1, 16, 16, 3], 21);
    const opt = tf.train.adam(2e-2);
    const vars = net.variables.map((v) => v.variable);
    const loss = () => tf.mean(tf.square(tf.sub(net.forward(x, c, lq), hr))) as tf.Scalar;
    const first = (await loss().data())[0];
    let last = first;
    for (let k = 0; k < STEPS; k++) {
      const l = opt.minimize(loss, true, vars) as tf.Scalar;
      last = (await l.data())[0];
      l.dispose();
    }
    expect(last).toBeLessThan(0.1 * first);
    opt.dispose();
    tf.dispose([x, c, lq, hr]);
    net.dispose();
  });
});

describeBackends('SrUnet weights', () => {
  it('seeded init: same seed same weights, another seed other weights, values from the JS PRNG', async () => {
    const a = SrUnet.create(MICRO, 7);
    const b = SrUnet.create(MICRO, 7);
    const c = SrUnet.create(MICRO, 8);
    expect(await weightsEqual(a, b)).toBe(true);
    expect(await weightsEqual(a, c)).toBe(false);
    const specs = buildLayout(MICRO).params;
    const i = specs.findIndex((s) => s.name === 'enc.l0.block0.conv0.weight');
    const want = initialValues(specs[i].name, a.variables[i].variable.size, specs[i].init, 7);
    expect(Array.from(await a.variables[i].variable.data())).toEqual(Array.from(want));
    // Xavier bound, 1e-5 scaling of conv1, zero biases, unit GroupNorm scales.
    const byName = Object.fromEntries(a.variables.map((v) => [v.name, v.variable]));
    const maxAbs = async (n: string) => Math.max(...Array.from(await byName[n].data()).map(Math.abs));
    expect(await maxAbs('enc.l0.block0.conv0.weight')).toBeLessThanOrEqual(Math.sqrt(6 / (9 * 8 + 9 * 8)));
    expect(await maxAbs('enc.l0.block0.conv1.weight')).toBeLessThanOrEqual(
      1e-5 * Math.sqrt(6 / (9 * 8 + 9 * 8)),
    );
    expect(await maxAbs('enc.l0.block0.conv0.bias')).toBe(0);
    expect(Array.from(await byName['enc.l0.block0.norm0.gamma'].data()).every((v) => v === 1)).toBe(true);
    expect(a.parameterCount()).toBe(specs.reduce((n, s) => n + s.shape.reduce((p, q) => p * q, 1), 0));
    expect(a.requiredMultiple()).toBe(4);
    for (const m of [a, b, c]) m.dispose();
  });

  it('getWeights / setWeights round-trip and check names and shapes', async () => {
    const a = SrUnet.create(MICRO, 1);
    const b = SrUnet.create(MICRO, 2);
    const w = await expectNoLeaks(() => a.getWeights(), a.variables.length);
    await expectNoLeaks(() => b.setWeights(w));
    expect(await weightsEqual(a, b)).toBe(true);
    const name = 'enc.l1.down.conv0.weight';
    const bad = { ...w, [name]: tf.zeros([1, 2, 3]) };
    expect(() => b.setWeights(bad)).toThrow(
      /tensor 'enc.l1.down.conv0.weight' has shape \[1,2,3\], expected \[3,3,8,8\]/,
    );
    const missing = { ...w };
    delete missing['map.layer0.weight'];
    expect(() => b.setWeights(missing)).toThrow(/missing tensor 'map.layer0.weight'/);
    expect(() => b.setWeights({ ...w, extra: tf.scalar(1) })).toThrow(/unexpected tensor 'extra'/);
    tf.dispose([...Object.values(w), bad[name]]);
    a.dispose();
    b.dispose();
  });

  it('copyWeightsFrom assigns in place; clone is a deep copy', async () => {
    const a = SrUnet.create(MICRO, 1);
    const b = SrUnet.create(MICRO, 2);
    const before = tf.memory().numTensors;
    b.copyWeightsFrom(a);
    expect(tf.memory().numTensors).toBe(before);
    expect(await weightsEqual(a, b)).toBe(true);
    const c = a.clone();
    expect(await weightsEqual(a, c)).toBe(true);
    const zeros = tf.zerosLike(c.variables[0].variable);
    c.variables[0].variable.assign(zeros);
    zeros.dispose();
    expect(await weightsEqual(a, c)).toBe(false);
    const other = SrUnet.create({ ...MICRO, modelChannels: 12 }, 1);
    expect(() => other.copyWeightsFrom(a)).toThrow(/copyWeightsFrom/);
    for (const m of [a, b, c, other]) m.dispose();
    expect(tf.memory().numTensors).toBe(before - 2 * a.variables.length);
  });
});
