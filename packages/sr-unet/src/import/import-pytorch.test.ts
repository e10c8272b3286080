import { readFileSync } from 'node:fs';
import { describeBackends, expectClose, expectNoLeaks } from '@ctmsr/test-harness';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { resolveSrUnetConfig, type SrUnetConfig } from '../config.js';
import { buildLayout } from '../layout.js';
import { pixelUnshuffle } from '../ops.js';
import { SrUnet } from '../sr-unet.js';
import {
  convertPytorchStateDict,
  detectPytorchNaming,
  importPytorchStateDict,
  loadPytorchCheckpoint,
} from './import-pytorch.js';
import { loadPytorchCheckpointFile } from './pytorch-node.js';
import { readPytorchStateDict } from './read-state-dict.js';
import type { StateDict } from './state-dict.js';

// Fixtures from test/golden/gen_parity.py: the PyTorch mirror (test/golden/srunet_torch.py),
// random-initialised, saved as .safetensors and .pth, with its output on a fixed input.
const FIXTURES = new URL('../../test/fixtures/', import.meta.url);
function bytes(name: string): Uint8Array {
  return new Uint8Array(readFileSync(new URL(name, FIXTURES)));
}
function json<T>(name: string): T {
  return JSON.parse(readFileSync(new URL(name, FIXTURES), 'utf8')) as T;
}

interface ParityInput {
  xShape: number[];
  x: number[];
  cNoise: number[];
  lqShape: number[];
  lq: number[];
}
interface ParityModel {
  config: SrUnetConfig;
  resolution: number;
  parameters: number;
  outShape: number[];
  out: number[];
}
const input = json<ParityInput>('srunet-parity-input.json');
const MODELS = ['nearest', 'pixelshuffle'] as const;

function inputs(): [tf.Tensor4D, tf.Tensor1D, tf.Tensor4D] {
  return [
    tf.tensor4d(input.x, input.xShape as [number, number, number, number]),
    tf.tensor1d(input.cNoise),
    tf.tensor4d(input.lq, input.lqShape as [number, number, number, number]),
  ];
}

function maxAbs(v: number[]): number {
  return v.reduce((m, x) => Math.max(m, Math.abs(x)), 0);
}

describeBackends('PyTorch checkpoint import: parity with the PyTorch mirror', () => {
  for (const tag of MODELS) {
    const model = json<ParityModel>(`srunet-parity-${tag}.json`);
    for (const ext of ['safetensors', 'pth'] as const) {
      it(`${tag} head from .${ext}: F matches PyTorch element-wise (rtol 1e-4), leak-free`, async () => {
        const net = loadPytorchCheckpoint(bytes(`srunet-parity-${tag}.${ext}`), model.config);
        expect(net.parameterCount()).toBe(model.parameters);
        const [x, c, lq] = inputs();
        await expectNoLeaks(async () => {
          const y = net.forward(x, c, lq);
          await expectClose(y, tf.tensor(model.out, model.outShape), {
            rtol: 1e-4,
            atol: 1e-5 * maxAbs(model.out),
            what: `${tag}.${ext}`,
          });
          y.dispose();
        }, 1); // the expected-value tensor above
        tf.dispose([x, c, lq]);
        net.dispose();
      });
    }
  }

  it('a wrong mapping fails the parity check (the test can fail)', async () => {
    const model = json<ParityModel>('srunet-parity-nearest.json');
    const sd = readPytorchStateDict(bytes('srunet-parity-nearest.safetensors'));
    const weights = importPytorchStateDict(sd, model.config);
    const w = weights['enc.l0.conv.weight'];
    // Mis-order the unshuffled input channels as tf.spaceToDepth would ((4i+j)*3 + c).
    weights['enc.l0.conv.weight'] = tf.tidy(() => {
      const parts = tf.split(w, [48, 3], 2);
      const perm = tf.reshape(
        tf.transpose(tf.reshape(parts[0], [3, 3, 3, 16, 8]), [0, 1, 3, 2, 4]),
        [3, 3, 48, 8],
      );
      return tf.concat([perm, parts[1]], 2);
    });
    w.dispose();
    const net = SrUnet.create(model.config, 0);
    net.setWeights(weights);
    tf.dispose(Object.values(weights));
    const [x, c, lq] = inputs();
    const y = net.forward(x, c, lq);
    await expect(expectClose(y, model.out, { rtol: 1e-4, atol: 1e-4 * maxAbs(model.out) })).rejects.toThrow(
      /not close/,
    );
    tf.dispose([x, c, lq, y]);
    net.dispose();
  });
});

describeBackends('PyTorch checkpoint import: checks and errors', () => {
  const model = json<ParityModel>('srunet-parity-nearest.json');
  const load = (): StateDict => readPytorchStateDict(bytes('srunet-parity-nearest.pth'));

  it('detects the key prefix and the level resolution', () => {
    expect(detectPytorchNaming(load())).toEqual({ prefix: 'model.', resolution: 16 });
    const b = readPytorchStateDict(bytes('srunet-parity-pixelshuffle.pth')); // nested under params_ema
    expect(detectPytorchNaming(b)).toEqual({ prefix: 'model.', resolution: 64 });
  });

  it('importPytorchStateDict returns one float32 tensor per parameter and nothing else', async () => {
    const sd = load();
    const params = buildLayout(resolveSrUnetConfig(model.config)).params;
    const w = await expectNoLeaks(() => importPytorchStateDict(sd, model.config), params.length);
    expect(Object.keys(w)).toEqual(params.map((p) => p.name));
    for (const p of params) expect(w[p.name].shape, p.name).toEqual(p.shape);
    tf.dispose(Object.values(w));
  });

  it('names the first missing key, shape mismatch and unused key', () => {
    const sd = load();
    const missing = { ...sd };
    delete missing['model.enc.8x8_block0.swin_layer.blocks.0.attn.qkv.weight'];
    expect(() => convertPytorchStateDict(missing, model.config)).toThrow(
      /missing key 'model\.enc\.8x8_block0\.swin_layer\.blocks\.0\.attn\.qkv\.weight' \(shape \[24,8\], for our 'enc\.l1\.block0\.attn\.qkv\.weight'\)/,
    );
    const otherHeads = resolveSrUnetConfig({ ...model.config, numHeads: 4 });
    expect(() => convertPytorchStateDict(sd, otherHeads)).toThrow(
      /relative_position_bias_table' has shape \[49,2\], expected \[49,4\]/,
    );
    const extra = { ...sd, 'model.enc.8x8_block0.swin_layer.conv.weight': sd['model.enc.16x16_conv.weight'] };
    expect(() => convertPytorchStateDict(extra, model.config)).toThrow(
      /key 'model\.enc\.8x8_block0\.swin_layer\.conv\.weight' \[8,51,3,3\] is not used by this config; pass strict: false/,
    );
    const lenient = convertPytorchStateDict(extra, model.config, { strict: false });
    expect(lenient.unused).toEqual(['model.enc.8x8_block0.swin_layer.conv.weight']);
    expect(() => convertPytorchStateDict(sd, model.config, { resolution: 32 })).toThrow(
      /missing key 'model\.enc\.32x32_conv\.weight'/,
    );
  });

  it('rejects a relative-position index with another layout', () => {
    const sd = load();
    const key = 'model.enc.8x8_block0.swin_layer.blocks.0.attn.relative_position_index';
    const t = sd[key];
    const storage = t.storage.slice();
    new DataView(storage.buffer).setBigInt64(8, 5n, true); // element 1
    expect(() => convertPytorchStateDict({ ...sd, [key]: { ...t, storage } }, model.config)).toThrow(
      /relative_position_index' differs from the expected relative-position layout at element 1/,
    );
  });

  it('loadPytorchCheckpointFile reads a file from disk', async () => {
    const net = await loadPytorchCheckpointFile(
      new URL('srunet-parity-nearest.pth', FIXTURES).pathname,
      model.config,
    );
    expect(net.parameterCount()).toBe(model.parameters);
    net.dispose();
  });

  it('our pixelUnshuffle has PyTorch channel order c*16 + 4i + j (no permutation needed)', async () => {
    // x[0, y, x, c] = 100 c + 10 (y % 4) + (x % 4) on a 4x4 image: the LR pixel's channels list the
    // block in PyTorch's F.pixel_unshuffle order.
    const v: number[] = [];
    for (let y = 0; y < 4; y++)
      for (let x = 0; x < 4; x++) for (let c = 0; c < 3; c++) v.push(100 * c + 10 * y + x);
    const u = pixelUnshuffle(tf.tensor4d(v, [1, 4, 4, 3]), 4);
    const want: number[] = [];
    for (let c = 0; c < 3; c++)
      for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) want.push(100 * c + 10 * i + j);
    expect(Array.from(await u.data())).toEqual(want);
    u.dispose();
  });
});
