import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeBackends, expectNoLeaks } from '@ctmsr/test-harness';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { resolveSrUnetConfig, type SrUnetConfig } from './config.js';
import { decodeFloat16, encodeFloat16 } from './float16.js';
import { SrUnet } from './sr-unet.js';
import { decodeSrUnet, encodeWeights, loadWeightsInto, parseWeightsManifest } from './weights-format.js';
import { loadSrUnetFile, saveSrUnetFiles } from './weights-node.js';

const MICRO: SrUnetConfig = resolveSrUnetConfig({
  preset: 'tiny',
  modelChannels: 8,
  channelMult: [1, 2],
  attnLevels: [1],
  windowSize: 2,
  embChannels: 8,
  attnChannels: 8,
});

async function allValues(net: SrUnet): Promise<number[][]> {
  return Promise.all(net.variables.map(async (v) => Array.from(await v.variable.data())));
}

describeBackends('SrUnet weights I/O', () => {
  it('fp32 round-trip is exact (into an existing net and as a new net), leak-free', async () => {
    const a = SrUnet.create(MICRO, 1);
    const { manifest, data } = await expectNoLeaks(() => encodeWeights(a, { metadata: { step: 7 } }));
    expect(manifest.parameterCount).toBe(a.parameterCount());
    expect(data.byteLength).toBe(4 * a.parameterCount());
    expect(manifest.metadata).toEqual({ step: 7 });
    const b = SrUnet.create(MICRO, 2);
    await expectNoLeaks(() => loadWeightsInto(b, JSON.stringify(manifest), data));
    expect(await allValues(b)).toEqual(await allValues(a));
    const c = await decodeSrUnet(manifest, data.slice().buffer);
    expect(c.config).toEqual(a.config);
    expect(await allValues(c)).toEqual(await allValues(a));
    for (const n of [a, b, c]) n.dispose();
  });

  it('fp16 storage halves the size and decodes to the fp16-rounded fp32 values', async () => {
    const a = SrUnet.create(MICRO, 3);
    const { manifest, data } = await encodeWeights(a, { float16: true });
    expect(data.byteLength).toBe(2 * a.parameterCount());
    expect(manifest.weightsManifest[0].weights[0].quantization).toEqual({ dtype: 'float16' });
    const b = await decodeSrUnet(manifest, data);
    const va = await allValues(a);
    const vb = await allValues(b);
    for (let i = 0; i < va.length; i++) {
      expect(vb[i]).toEqual(Array.from(decodeFloat16(encodeFloat16(Float32Array.from(va[i])))));
    }
    a.dispose();
    b.dispose();
  });

  it('rejects corrupted binaries and wrong lengths', async () => {
    const a = SrUnet.create(MICRO, 1);
    const { manifest, data } = await encodeWeights(a);
    const bad = data.slice();
    bad[100] ^= 1;
    await expect(loadWeightsInto(a, manifest, bad)).rejects.toThrow(/SHA-256 mismatch/);
    await expect(loadWeightsInto(a, manifest, data.slice(0, 64))).rejects.toThrow(/binary has 64 bytes/);
    expect(() => parseWeightsManifest({ ...manifest, format: 'x' })).toThrow(/'format'/);
    a.dispose();
  });

  it('a file made for another config fails naming the first mismatching tensor', async () => {
    const a = SrUnet.create(MICRO, 1);
    const { manifest, data } = await encodeWeights(a);
    const other = SrUnet.create({ ...MICRO, modelChannels: 12 }, 1);
    await expect(loadWeightsInto(other, manifest, data)).rejects.toThrow(
      /tensor #4 is 'enc.l0.conv.weight' \[3,3,51,8\], this config expects 'enc.l0.conv.weight' \[3,3,51,12\]/,
    );
    const noAttn = SrUnet.create({ ...MICRO, attnLevels: [] }, 1);
    await expect(loadWeightsInto(noAttn, manifest, data)).rejects.toThrow(
      /'enc.l1.block0.attn.conv_in.weight'/,
    );
    for (const n of [a, other, noAttn]) n.dispose();
  });

  it('Node files: atomic save, load, no temporary files left', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sr-unet-'));
    try {
      const a = SrUnet.create(MICRO, 4);
      const paths = await saveSrUnetFiles(a, join(dir, 'model.json'), { float16: false });
      expect((await readdir(dir)).sort()).toEqual(['model.bin', 'model.json']);
      const manifest = JSON.parse(await readFile(paths.json, 'utf8'));
      expect(manifest.weightsManifest[0].paths).toEqual(['model.bin']);
      const b = await loadSrUnetFile(paths.json);
      expect(await allValues(b)).toEqual(await allValues(a));
      // Same forward output.
      const x = tf.randomUniform([1, 16, 16, 3], -1, 1, 'float32', 1) as tf.Tensor4D;
      const lq = tf.randomUniform([1, 4, 4, 3], -1, 1, 'float32', 2) as tf.Tensor4D;
      const c = tf.tensor1d([-0.3]);
      const ya = a.forward(x, c, lq);
      const yb = b.forward(x, c, lq);
      expect(Array.from(await yb.data())).toEqual(Array.from(await ya.data()));
      tf.dispose([x, lq, c, ya, yb]);
      a.dispose();
      b.dispose();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
