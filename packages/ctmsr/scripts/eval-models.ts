/**
 * Quality evaluation for the model card: held-out whole photographs (`scripts/prepare-photos.mjs`
 * val set, never crops of training images), two input kinds, several methods, PSNR/SSIM on Y.
 *
 *   node --import tsx packages/ctmsr/scripts/eval-models.ts [--model <model.json>] [--val <dir>]
 *        [--thick] [--steps 1] [--json out.json] [--backend wasm] [--limit N] [--skip-upscalerjs]
 *
 * Protocol (stated beside every number it produces):
 * - HR: each whole validation photo (mod-crop 4), [0,1].
 * - Inputs 'bicubic-x4': LR = 8-bit(MATLAB-style antialiased bicubic /4 of HR).
 * - Inputs 'degraded': Real-ESRGAN test-set degradations (method.md §6.3: blur, resize, noise,
 *   JPEG 70-95), seeded per image (seed = image index), LR 8-bit.
 * - Methods: bicubic (PyTorch bicubic x4 of the LR), UpscalerJS esrgan-slim / esrgan-medium x4
 *   (and esrgan-thick with --thick), CTMSR (one step, seed 0, via CTMSR.upscale with tiling).
 * - Metrics: PSNR and SSIM on the BT.601 Y channel, 4-pixel border excluded, on float outputs
 *   clamped to [0,1] (no 8-bit rounding), averaged over images.
 */
import { readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import {
  bicubicDegrade,
  REAL_ESRGAN_TEST_OPTIONS,
  realEsrganDegrade,
  sampleDegradationParams,
} from '@ctmsr/degradations';
import { bicubicUpsample } from '@ctmsr/pf-ode';
import * as tf from '@tensorflow/tfjs-core';
import { loadUpscalerModel, type UpscalerModelName } from '../../../tools/bench/upscalerjs.js';
import { CTMSR } from '../src/ctmsr.js';
import { psnr, ssim } from '../src/metrics/index.js';
import { readRgbImage } from '../src/train/photo-dataset.js';

const { values } = parseArgs({
  options: {
    model: { type: 'string' },
    val: { type: 'string', default: 'data/photos/val' },
    thick: { type: 'boolean', default: false },
    steps: { type: 'string', default: '1' },
    json: { type: 'string' },
    backend: { type: 'string', default: 'wasm' },
    limit: { type: 'string' },
    'skip-upscalerjs': { type: 'boolean', default: false },
  },
});

type Kind = 'bicubic-x4' | 'degraded';
const KINDS: Kind[] = ['bicubic-x4', 'degraded'];

async function loadHr(path: string): Promise<tf.Tensor4D> {
  const img = await readRgbImage(path);
  const w = img.width - (img.width % 4);
  const h = img.height - (img.height % 4);
  const data = new Float32Array(w * h * 3);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      for (let c = 0; c < 3; c++) data[(y * w + x) * 3 + c] = img.data[(y * img.width + x) * 3 + c] / 255;
    }
  }
  return tf.tensor4d(data, [1, h, w, 3]);
}

function makeLr(hr: tf.Tensor4D, kind: Kind, index: number): tf.Tensor4D {
  if (kind === 'bicubic-x4') {
    const r = bicubicDegrade(hr, 4);
    r.u.dispose();
    return r.lq;
  }
  const params = sampleDegradationParams(1, [hr.shape[1], hr.shape[2]], REAL_ESRGAN_TEST_OPTIONS, index);
  const r = realEsrganDegrade(hr, params);
  r.u.dispose();
  return r.lq;
}

interface Row {
  method: string;
  kind: Kind;
  psnrY: number;
  ssimY: number;
  msPerImage: number;
}

const main = async () => {
  const sr = await CTMSR.load({ model: values.model, backend: values.backend, log: (l) => console.error(l) });
  const valDir = resolve(values.val!);
  let files = (await readdir(valDir)).filter((f) => /\.(png|jpe?g|webp)$/i.test(f)).sort();
  if (values.limit) files = files.slice(0, Number(values.limit));
  // --skip-upscalerjs: only bicubic and CTMSR (quick comparisons of checkpoints).
  const upscalers: UpscalerModelName[] = values['skip-upscalerjs']
    ? []
    : ['esrgan-slim', 'esrgan-medium', ...(values.thick ? ['esrgan-thick' as const] : [])];
  const models = await Promise.all(upscalers.map((n) => loadUpscalerModel(n, 4)));
  const methods: { name: string; run: (lq: tf.Tensor4D) => Promise<tf.Tensor4D> }[] = [
    {
      name: 'bicubic',
      run: async (lq) => tf.tidy(() => tf.clipByValue(bicubicUpsample(lq, 4), 0, 1) as tf.Tensor4D),
    },
    ...models.map((m) => ({
      name: `UpscalerJS ${m.name}`,
      run: async (lq: tf.Tensor4D) => tf.tidy(() => tf.clipByValue(m.predict(lq), 0, 1) as tf.Tensor4D),
    })),
    {
      name: `CTMSR ${sr.model.name} (${values.steps} step)`,
      run: async (lq) =>
        (await sr.upscale(lq, { seed: 0, steps: Number(values.steps), output: 'tensor' })) as tf.Tensor4D,
    },
  ];
  const sums = new Map<string, Row>();
  for (const [index, file] of files.entries()) {
    const hr = await loadHr(join(valDir, file));
    for (const kind of KINDS) {
      const lq = makeLr(hr, kind, index);
      for (const m of methods) {
        const t0 = performance.now();
        const out = await m.run(lq);
        const pred = out.rank === 3 ? tf.expandDims(out, 0) : out;
        await pred.data();
        const ms = performance.now() - t0;
        const p = await psnr(pred, hr, { yChannel: true, crop: 4 });
        const s = await ssim(pred, hr, { yChannel: true, crop: 4 });
        tf.dispose([out, pred]);
        const key = `${m.name}|${kind}`;
        const row = sums.get(key) ?? { method: m.name, kind, psnrY: 0, ssimY: 0, msPerImage: 0 };
        row.psnrY += p / files.length;
        row.ssimY += s / files.length;
        row.msPerImage += ms / files.length;
        sums.set(key, row);
        console.error(
          `${file} ${kind} ${m.name}: ${p.toFixed(3)} dB / ${s.toFixed(4)} (${ms.toFixed(0)} ms)`,
        );
      }
      lq.dispose();
    }
    hr.dispose();
  }
  const rows = [...sums.values()];
  console.log(
    `\n${files.length} held-out photos (${valDir}); PSNR/SSIM on Y, 4-px border; backend ${sr.backend.name}\n`,
  );
  for (const kind of KINDS) {
    console.log(`\nInputs: ${kind}\n\n| method | PSNR-Y (dB) | SSIM-Y | ms / image |\n|---|---|---|---|`);
    for (const r of rows.filter((x) => x.kind === kind)) {
      console.log(
        `| ${r.method} | ${r.psnrY.toFixed(3)} | ${r.ssimY.toFixed(4)} | ${r.msPerImage.toFixed(0)} |`,
      );
    }
  }
  if (values.json) {
    const { writeFile } = await import('node:fs/promises');
    await writeFile(
      values.json,
      JSON.stringify(
        { date: new Date().toISOString(), images: files, backend: sr.backend.name, rows },
        null,
        2,
      ),
    );
  }
  for (const m of models) m.dispose();
  sr.dispose();
};

await main();
