import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bicubicUpsample, precondition, seededNormal } from '@ctmsr/pf-ode';
import { encodeWeights, resolveSrUnetConfig, SrUnet, saveSrUnetFiles } from '@ctmsr/sr-unet';
import { describeBackends, expectClose, expectNoLeaks } from '@ctmsr/test-harness';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { CTMSR } from './ctmsr.js';
import { defaultModelLocation, missingDefaultModelError } from './model/default-model.js';

/** A small random-initialised tiny-preset net with 2x2 windows (LR multiple 8: fast on cpu). */
const SMALL = resolveSrUnetConfig({ preset: 'tiny', windowSize: 2 });
const defaultInstalled = (await defaultModelLocation()) != null;

function ramp(h: number, w: number, c: number, seed = 0): tf.Tensor3D {
  const data = new Float32Array(h * w * c);
  for (let i = 0; i < data.length; i++) data[i] = (((i * 37 + seed * 11) % 101) / 100) * 0.8 + 0.1;
  return tf.tensor3d(data, [h, w, c]);
}

describeBackends('CTMSR', ({ backend, rtol }) => {
  let net: SrUnet;
  let sr: CTMSR;
  beforeAll(async () => {
    net = SrUnet.create(SMALL, 3);
    sr = await CTMSR.load({ model: { network: net, name: 'test' }, backend });
  });
  afterAll(() => {
    sr.dispose();
    net.dispose();
  });

  it('reports the model and the backend it chose', () => {
    expect(sr.backend.name).toBe(backend);
    expect(sr.describeBackend()).toMatch(new RegExp(`backend ${backend}`));
    expect(sr.model).toMatchObject({ name: 'test', location: 'memory', scale: 4, requiredMultiple: 8 });
    expect(sr.model.parameterCount).toBe(net.parameterCount());
    expect(sr.autoTileSize() % 8).toBe(0);
  });

  it('one step on a whole image is D(u + sigma_max eps, sigma_max, l) with the seeded field', async () => {
    const x = ramp(8, 16, 3);
    await expectNoLeaks(async () => {
      const out = await sr.upscale(x, { seed: 5 });
      expect(out.shape).toEqual([32, 64, 3]);
      const expected = tf.tidy(() => {
        const lq = tf.sub(tf.mul(tf.expandDims(x, 0), 2), 1) as tf.Tensor4D;
        const u = bicubicUpsample(lq, 4);
        const eps = seededNormal([1, 32, 64, 3], 5) as tf.Tensor4D;
        const d = precondition(net.rawNetwork({ training: false }));
        const y = d(tf.add(u, eps) as tf.Tensor4D, lq, 1);
        return tf.squeeze(tf.clipByValue(tf.div(tf.add(y, 1), 2), 0, 1), [0]);
      });
      await expectClose(out, expected, { rtol, atol: 1e-5, what: 'one-step output' });
      tf.dispose([out, expected]);
    });
    x.dispose();
  });

  it('same seed gives the same pixels; another seed other pixels; tiles agree with the whole', async () => {
    const x = ramp(16, 8, 3, 1);
    const a = await sr.upscale(x, { seed: 1, output: 'pixels' });
    const b = await sr.upscale(x, { seed: 1, output: 'pixels' });
    const c = await sr.upscale(x, { seed: 2, output: 'pixels' });
    const tiled = await sr.upscale(x, { seed: 1, tileSize: 8, overlap: 4, output: 'pixels' });
    expect(Array.from(b.data)).toEqual(Array.from(a.data));
    let diffSeed = 0;
    let diffTile = 0;
    for (let i = 0; i < a.data.length; i++) {
      diffSeed = Math.max(diffSeed, Math.abs(a.data[i] - c.data[i]));
      diffTile += Math.abs(a.data[i] - tiled.data[i]);
    }
    expect(diffSeed).toBeGreaterThan(0);
    // GroupNorm makes the real network depend on tile statistics: close, not equal.
    expect(diffTile / a.data.length).toBeLessThan(0.01);
    x.dispose();
  });

  it('handles batches, int32 input, gray and RGBA tensors', async () => {
    const x = tf.stack([ramp(8, 8, 3, 1), ramp(8, 8, 3, 2)]);
    const out = await sr.upscale(x, { seed: 1 });
    expect(out.shape).toEqual([2, 32, 32, 3]);
    const single = await sr.upscale(tf.slice(x, [1, 0, 0, 0], [1, -1, -1, -1]), { seed: 1 });
    // Batch entries after the first use their own seed stream only if asked: same seed here.
    await expectClose(tf.slice(out, [1, 0, 0, 0], [1, -1, -1, -1]), single, { rtol, atol: 1e-5 });
    const ints = tf.cast(tf.mul(ramp(8, 8, 3), 255), 'int32');
    const fromInts = await sr.upscale(ints);
    expect(fromInts.dtype).toBe('float32');
    const gray = await sr.upscale(ramp(8, 8, 1));
    expect(gray.shape).toEqual([32, 32, 1]);
    const rgba = await sr.upscale(ramp(8, 8, 4));
    expect(rgba.shape).toEqual([32, 32, 4]);
    tf.dispose([x, out, single, ints, fromInts, gray, rgba]);
  });

  it('returns ImageData for ImageData input', async () => {
    const data = new Uint8ClampedArray(8 * 8 * 4).fill(200); // alpha 200: kept, upscaled
    const out = await sr.upscale({ data, width: 8, height: 8 });
    expect([out.width, out.height, out.data.length]).toEqual([32, 32, 32 * 32 * 4]);
    expect(out.data[3]).toBe(200);
  });

  it('aborting mid-way rejects with AbortError and frees every tensor', async () => {
    const x = ramp(16, 16, 3);
    const before = tf.memory().numTensors;
    const controller = new AbortController();
    const run = sr.upscale(x, {
      tileSize: 8,
      overlap: 2,
      signal: controller.signal,
      onProgress: (p) => {
        if (p.completed === 1) controller.abort();
      },
    });
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
    expect(tf.memory().numTensors).toBe(before);
    const pre = new AbortController();
    pre.abort();
    await expect(sr.upscale(x, { signal: pre.signal })).rejects.toMatchObject({ name: 'AbortError' });
    x.dispose();
  });

  it('rejects bad options and inputs with messages naming them', async () => {
    const x = ramp(8, 8, 3);
    await expect(sr.upscale(x, { steps: 0 })).rejects.toThrow(
      /option 'steps' must be an integer >= 1, got 0/,
    );
    await expect(sr.upscale(x, { sigmaMax: -1 })).rejects.toThrow(/'sigmaMax'/);
    await expect(sr.upscale(x, { tileSise: 8 } as never)).rejects.toThrow(/unknown option\(s\) 'tileSise'/);
    await expect(sr.upscale(x, { output: 'gif' as never })).rejects.toThrow(/option 'output' must be one of/);
    await expect(sr.upscale(tf.zeros([4, 4]) as never)).rejects.toThrow(/\[H, W, C\] or \[B, H, W, C\]/);
    await expect(sr.upscale({} as never)).rejects.toThrow(/unsupported input/);
    x.dispose();
  });
});

describeBackends('CTMSR loading', ({ backend, rtol }) => {
  it('loads from a weights file folder and from memory, and frees what it owns', async () => {
    const net = SrUnet.create(SMALL, 9);
    const dir = await mkdtemp(join(tmpdir(), 'ctmsr-model-'));
    try {
      await saveSrUnetFiles(net, join(dir, 'model.json'));
      const x = ramp(8, 8, 3);
      const fromNet = await CTMSR.load({ model: { network: net }, backend });
      const fromDir = await CTMSR.load({ model: dir, backend });
      const { manifest, data } = await encodeWeights(net);
      const fromMemory = await CTMSR.load({ model: { manifest, weights: data }, backend });
      expect(fromDir.model.location).toBe(join(dir, 'model.json'));
      const a = await fromNet.upscale(x, { seed: 4 });
      const b = await fromDir.upscale(x, { seed: 4 });
      const c = await fromMemory.upscale(x, { seed: 4 });
      await expectClose(b, a, { rtol, atol: 1e-6 });
      await expectClose(c, a, { rtol, atol: 1e-6 });
      const live = tf.memory().numTensors;
      fromDir.dispose();
      expect(tf.memory().numTensors).toBe(live - net.variables.length);
      fromNet.dispose();
      expect(tf.memory().numTensors).toBe(live - net.variables.length); // not owned: untouched
      await expect(fromNet.upscale(x)).rejects.toThrow(/disposed/);
      fromMemory.dispose();
      tf.dispose([x, a, b, c]);
    } finally {
      net.dispose();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("defaults sigmaMax to the model's training sigma_max (manifest metadata), else 1", async () => {
    const net = SrUnet.create(SMALL, 9);
    try {
      const metadata = { trainConfig: { ct: { sigmaMax: 0.25 } } };
      const { manifest, data } = await encodeWeights(net, { metadata });
      const trained = await CTMSR.load({ model: { manifest, weights: data }, backend });
      const plain = await CTMSR.load({ model: { network: net }, backend });
      expect(trained.model.sigmaMax).toBe(0.25);
      expect(plain.model.sigmaMax).toBe(1);
      expect(trained.model.sigmaScale).toBe(0.1);
      // A model trained with another preconditioning scale (use_skip=False: sigma/0.001) uses it.
      const scaled = await encodeWeights(net, {
        metadata: { trainConfig: { ct: { sigmaMax: 0.25, sigmaScale: 0.001 } } },
      });
      const rescaled = await CTMSR.load({
        model: { manifest: scaled.manifest, weights: scaled.data },
        backend,
      });
      expect(rescaled.model.sigmaScale).toBe(0.001);
      const x = ramp(8, 8, 3);
      const byDefault = (await trained.upscale(x, { seed: 4 })) as tf.Tensor;
      const explicit = (await plain.upscale(x, { seed: 4, sigmaMax: 0.25 })) as tf.Tensor;
      const one = (await trained.upscale(x, { seed: 4, sigmaMax: 1 })) as tf.Tensor;
      await expectClose(byDefault, explicit, { rtol, atol: 1e-6 });
      expect(tf.max(tf.abs(tf.sub(byDefault, one))).dataSync()[0]).toBeGreaterThan(1e-4);
      const other = (await rescaled.upscale(x, { seed: 4 })) as tf.Tensor;
      expect(tf.max(tf.abs(tf.sub(byDefault, other))).dataSync()[0]).toBeGreaterThan(1e-4);
      trained.dispose();
      plain.dispose();
      rescaled.dispose();
      tf.dispose([x, byDefault, explicit, one, other]);
    } finally {
      net.dispose();
    }
  });

  it('pads odd sizes by reflection to the tiny preset multiple (32) and crops back', async () => {
    const net = SrUnet.create('tiny', 1);
    const sr = await CTMSR.load({ model: { network: net }, backend });
    const out = await sr.upscale(ramp(12, 20, 3));
    expect(out.shape).toEqual([48, 80, 3]);
    const v = await out.data();
    expect(v.every((t) => t >= 0 && t <= 1)).toBe(true);
    out.dispose();
    sr.dispose();
    net.dispose();
  });

  it('says clearly when a model path does not exist', async () => {
    await expect(CTMSR.load({ model: '/nonexistent/model.json', backend })).rejects.toThrow(
      /CTMSR.load: model not found: \/nonexistent\/model.json/,
    );
  });

  it('without a model, loads the bundled default model (or says clearly that it is missing)', async () => {
    if (!defaultInstalled) {
      await expect(CTMSR.load({ backend })).rejects.toThrow(/default model .* is not installed yet/);
      return;
    }
    const sr = await CTMSR.load({ backend });
    expect(sr.model.config.scale).toBe(4);
    expect(sr.model.parameterCount).toBeGreaterThan(0);
    sr.dispose();
  });

  it('the missing-default-model error names the file and the ways out', () => {
    expect(missingDefaultModelError().message).toMatch(
      /models\/default\/model\.json.*pass \{ model: .*ctmsr train/,
    );
  });
});
