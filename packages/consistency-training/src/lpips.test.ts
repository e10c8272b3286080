import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createLpips,
  loadLpipsWeightsFile,
  parseLpipsWeights,
  randomLpipsWeights,
  saveLpipsWeightsFile,
  serializeLpipsWeights,
} from '@ctmsr/consistency-training';
import { describeBackends, expectClose, expectNoLeaks, seededNormal } from '@ctmsr/test-harness';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';

const TINY = { vgg: [4, 6, 8, 8, 8], alex: [4, 6, 6, 6, 6] } as const;
const SIDE = { vgg: 16, alex: 31 } as const;

function inputs(net: 'vgg' | 'alex', batch = 2) {
  const shape = [batch, SIDE[net], SIDE[net], 3];
  const a = tf.tidy(() => tf.tanh(seededNormal(shape, 1))) as tf.Tensor4D;
  const b = tf.tidy(() => tf.tanh(seededNormal(shape, 2))) as tf.Tensor4D;
  return { a, b };
}

function invariants(net: 'vgg' | 'alex', rtol: number) {
  it(`${net}: shape [B], d(x, x) = 0, symmetric, positive, differentiable`, async () => {
    const lpips = createLpips({ net, weights: randomLpipsWeights(net, { seed: 3, widths: TINY[net] }) });
    expect(lpips.widths).toEqual(TINY[net]);
    expect(lpips.minSide).toBe(SIDE[net]);
    const { a, b } = inputs(net);
    await expectNoLeaks(async () => {
      const dab = lpips.distance(a, b);
      const dba = lpips.distance(b, a);
      const daa = lpips.distance(a, a);
      expect(dab.shape).toEqual([2]);
      await expectClose(daa, [0, 0], { rtol: 0, atol: 0, what: 'd(a, a)' });
      await expectClose(dba, dab, { rtol, atol: 0, what: 'symmetry' });
      for (const v of await dab.data()) expect(v).toBeGreaterThan(0);
      const layers = lpips.layers(a, b);
      expect(layers).toHaveLength(5);
      const sum = tf.addN(layers);
      await expectClose(sum, dab, { rtol });
      const g = tf.grad((x: tf.Tensor) => tf.sum(lpips.distance(x as tf.Tensor4D, b)))(a);
      const gd = await g.data();
      expect(gd.every(Number.isFinite)).toBe(true);
      expect(gd.some((v) => v !== 0)).toBe(true);
      tf.dispose([dab, dba, daa, sum, g, ...layers]);
    });
    tf.dispose([a, b]);
    lpips.dispose();
  });
}

// AlexNet (fewer layers) also on webgpu; VGG's many conv shapes make SwiftShader slow.
describeBackends('LPIPS (random weights, alex)', ({ rtol }) => invariants('alex', rtol), { webgpu: true });

describeBackends('LPIPS', ({ backend, rtol }) => {
  invariants('vgg', rtol);

  for (const [net, side, h] of [
    ['vgg', 16, 1e-4],
    ['alex', 31, 1e-3],
  ] as const) {
    it(`${net}: gradient matches central finite differences (${side}x${side})`, async () => {
      if (backend !== 'cpu') return; // float32 finite differences: one backend is enough
      // Random weights make LPIPS piecewise smooth with many ReLU kinks: use 8 channels per tap
      // and a step small enough not to cross one (checked: h/3 gives the same value to ~0.1%).
      const lpips = createLpips({
        net,
        weights: randomLpipsWeights(net, { seed: 6, widths: [8, 8, 8, 8, 8] }),
      });
      const shape = [1, side, side, 3];
      const a = tf.tidy(() => tf.tanh(seededNormal(shape, 1))) as tf.Tensor4D;
      const b = tf.tidy(() => tf.tanh(seededNormal(shape, 2))) as tf.Tensor4D;
      const v = seededNormal(shape, 9) as tf.Tensor4D;
      await expectNoLeaks(async () => {
        const g = tf.grad((x: tf.Tensor) => tf.sum(lpips.distance(x as tf.Tensor4D, b)))(a);
        const dot = tf.tidy(() => tf.sum(tf.mul(g, v)));
        const analytic = (await dot.data())[0];
        const at = async (t: number) => {
          const d = tf.tidy(() => lpips.distance(tf.add(a, tf.mul(v, t)) as tf.Tensor4D, b));
          const out = (await d.data())[0];
          d.dispose();
          return out;
        };
        const numeric = ((await at(h)) - (await at(-h))) / (2 * h);
        expect(Math.abs(analytic)).toBeGreaterThan(1e-3);
        expect(Math.abs(numeric - analytic)).toBeLessThan(1e-2 * Math.abs(analytic));
        tf.dispose([g, dot]);
      });
      tf.dispose([a, b, v]);
      lpips.dispose();
    });
  }

  it('an all-zero feature vector gives a zero gradient, not NaN', async () => {
    const weights = randomLpipsWeights('vgg', { seed: 1, widths: TINY.vgg });
    // Make relu1_2 all zero: a large negative bias on the second conv.
    weights.tensors['vgg.features.2.bias'].data.fill(-1e3);
    const lpips = createLpips({ net: 'vgg', weights });
    const { a, b } = inputs('vgg', 1);
    await expectNoLeaks(async () => {
      const g = tf.grad((x: tf.Tensor) => tf.sum(lpips.distance(x as tf.Tensor4D, b)))(a);
      expect((await g.data()).every(Number.isFinite)).toBe(true);
      g.dispose();
    });
    tf.dispose([a, b]);
    lpips.dispose();
  });

  it('weights round-trip through the file format (memory and Node files)', async () => {
    const w = randomLpipsWeights('alex', { seed: 2, widths: TINY.alex });
    const { manifest, data } = serializeLpipsWeights(w);
    const back = parseLpipsWeights(JSON.stringify(manifest), data.buffer as ArrayBuffer);
    expect(Object.keys(back.tensors).sort()).toEqual(Object.keys(w.tensors).sort());
    for (const [k, t] of Object.entries(w.tensors)) {
      expect(back.tensors[k].shape).toEqual(t.shape);
      expect(Array.from(back.tensors[k].data)).toEqual(Array.from(t.data));
    }
    const dir = mkdtempSync(join(tmpdir(), 'lpips-'));
    try {
      await saveLpipsWeightsFile(join(dir, 'w.json'), w);
      const loaded = await loadLpipsWeightsFile(join(dir, 'w.json'));
      expect(loaded.net).toBe('alex');
      expect(Array.from(loaded.tensors['lin4.model.1.weight'].data)).toEqual(
        Array.from(w.tensors['lin4.model.1.weight'].data),
      );
    } finally {
      rmSync(dir, { recursive: true });
    }
  });

  it('rejects bad weights and inputs, naming them', () => {
    const w = randomLpipsWeights('vgg', { seed: 1, widths: TINY.vgg });
    expect(() => createLpips({ net: 'alex', weights: w })).toThrow(
      /createLpips: 'weights' are for net 'vgg', but 'net' is 'alex'/,
    );
    expect(() => createLpips({ net: 'resnet' as 'vgg', weights: w })).toThrow(
      /'net' must be 'vgg' or 'alex'/,
    );
    const missing = { net: 'vgg' as const, tensors: { ...w.tensors } };
    delete missing.tensors['vgg.features.28.bias'];
    expect(() => createLpips({ net: 'vgg', weights: missing })).toThrow(
      /lacks tensor 'vgg.features.28.bias'/,
    );
    const wrong = {
      net: 'vgg' as const,
      tensors: { ...w.tensors, 'lin2.model.1.weight': { shape: [1, 5, 1, 1], data: new Float32Array(5) } },
    };
    expect(() => createLpips({ net: 'vgg', weights: wrong })).toThrow(
      /weights tensor 'lin2.model.1.weight' has shape \[1,5,1,1\], expected \[1,8,1,1\]/,
    );
    const negative = {
      net: 'vgg' as const,
      tensors: {
        ...w.tensors,
        'lin0.model.1.weight': { shape: [1, 4, 1, 1], data: Float32Array.of(1, -1, 1, 1) },
      },
    };
    expect(() => createLpips({ net: 'vgg', weights: negative })).toThrow(
      /head 'lin0.model.1.weight' has negative weights/,
    );
    createLpips({ net: 'vgg', weights: negative, allowNegativeHeads: true }).dispose();
    const { manifest, data } = serializeLpipsWeights(w);
    expect(() => parseLpipsWeights({ ...manifest, format: 'x' as 'ctmsr-lpips-weights' }, data)).toThrow(
      /parseLpipsWeights: 'manifest.format' must be 'ctmsr-lpips-weights'/,
    );
    expect(() => parseLpipsWeights(manifest, data.slice(0, 100))).toThrow(/do not fit in the 100-byte blob/);
    const lpips = createLpips({ net: 'vgg', weights: w });
    const small = tf.zeros([1, 8, 8, 3]) as tf.Tensor4D;
    const other = tf.zeros([1, 16, 16, 3]) as tf.Tensor4D;
    expect(() => lpips.distance(small, small)).toThrow(
      /lpips: inputs are 8x8; the vgg trunk needs at least 16x16/,
    );
    expect(() => lpips.distance(small, other)).toThrow(
      /lpips: 'a' \[1,8,8,3\] and 'b' \[1,16,16,3\] must be/,
    );
    lpips.dispose();
    expect(() => lpips.distance(other, other)).toThrow(/has been disposed/);
    tf.dispose([small, other]);
  });
});
