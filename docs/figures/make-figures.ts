/**
 * Renders the figures of docs/concepts.md with the project's own code (and the default model):
 *
 *   npm run docs:figures          # = node --import tsx docs/figures/make-figures.ts
 *
 * trajectory.png   x_s = y + s (u - y) + s eps for s = 0 .. 1 (pf-ode: trajectoryLevels, forwardProcess)
 * sampling.png     one-step and 4-step sampling from x_T = u + eps (pf-ode samplers, default model)
 * ct-pair.png      one consistency-training pair: x_n, x_{n+1}, target D(x_n), prediction D(x_{n+1})
 * dtm.png          the DTM terms: output, z_t, x_t, g = f(z_t) - f(x_t), target output - g
 * degradations.png the Real-ESRGAN second-order pipeline stage by stage (degradations)
 *
 * Rerun it when the default model changes; each PNG is palette-quantised to stay under 300 KB.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { selectBackend } from '@ctmsr/backends';
import { ctPoint, planCtStep } from '@ctmsr/consistency-training';
import {
  addNoise,
  bicubicDegrade,
  filter2d,
  jpegCompress,
  quantize8bit,
  type ResizeParams,
  realEsrganDegrade,
  renderKernel,
  resize,
  sampleDegradationParams,
} from '@ctmsr/degradations';
import { dtmTarget, planDtmStep } from '@ctmsr/dtm-loss';
import {
  forwardProcess,
  fromUnitRange,
  initialState,
  precondition,
  sampleConsistency,
  samplingLevels,
  seededNormal,
  toUnitRange,
  trajectoryLevels,
} from '@ctmsr/pf-ode';
import * as tf from '@tensorflow/tfjs-core';
import { CTMSR } from 'ctmsr';
import sharp from 'sharp';

const here = dirname(fileURLToPath(import.meta.url));
const photoPath = join(here, '../../examples/notebooks/images/chelsea-hr.png');
const MAX_BYTES = 300 * 1024;

interface Panel {
  /** [1, H, W, 3] or [H, W, 3] in [0, 1]. */
  image: tf.Tensor;
  label: string;
}

/** PNG of a row of panels, each `height` px high, with its label underneath. */
async function strip(panels: Panel[], height: number): Promise<Buffer> {
  const gap = 8;
  const labelH = 18;
  const parts: { input: Buffer; left: number; top: number }[] = [];
  let left = 0;
  const labels: string[] = [];
  for (const { image, label } of panels) {
    const t = tf.tidy(() => {
      const x = image.rank === 4 ? tf.squeeze(image, [0]) : image;
      return tf.cast(tf.round(tf.mul(tf.clipByValue(x, 0, 1), 255)), 'int32');
    });
    const [h, w] = t.shape;
    const raw = Uint8Array.from(await t.data());
    t.dispose();
    const width = Math.round((w * height) / h);
    const png = await sharp(raw, { raw: { width: w, height: h, channels: 3 } })
      .resize({ width, height, kernel: height > h ? 'nearest' : 'lanczos3' })
      .png()
      .toBuffer();
    parts.push({ input: png, left, top: 0 });
    const esc = label.replace(/&/g, '&amp;').replace(/</g, '&lt;');
    labels.push(
      `<text x="${left + width / 2}" y="${height + 13}" text-anchor="middle" font-family="sans-serif" font-size="11">${esc}</text>`,
    );
    left += width + gap;
  }
  const total = left - gap;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${total}" height="${height + labelH}">${labels.join('')}</svg>`;
  parts.push({ input: Buffer.from(svg), left: 0, top: 0 });
  return sharp({ create: { width: total, height: height + labelH, channels: 3, background: 'white' } })
    .composite(parts)
    .png({ palette: true, quality: 90, compressionLevel: 9 })
    .toBuffer();
}

async function save(name: string, png: Buffer): Promise<void> {
  if (png.length > MAX_BYTES)
    throw new Error(`make-figures: ${name} is ${png.length} bytes, over ${MAX_BYTES}`);
  await writeFile(join(here, name), png);
  console.log(`docs/figures/${name}: ${(png.length / 1024).toFixed(0)} KB`);
}

async function readPhoto(): Promise<tf.Tensor4D> {
  const { data, info } = await sharp(photoPath).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return tf.tidy(
    () =>
      tf.div(tf.tensor4d(new Uint8Array(data), [1, info.height, info.width, 3], 'int32'), 255) as tf.Tensor4D,
  );
}

const show = (x: tf.Tensor4D) => toUnitRange(x); // [-1, 1] -> [0, 1], clamped
const signed = (x: tf.Tensor4D, gain: number) =>
  tf.tidy(() => tf.clipByValue(tf.add(tf.mul(x, gain / 2), 0.5), 0, 1));

async function main(): Promise<void> {
  await mkdir(here, { recursive: true });
  const sr = await CTMSR.load({ backend: 'wasm' });
  const D = precondition(sr.network.rawNetwork({ training: false }));
  const side = 4 * sr.model.requiredMultiple * Math.max(1, Math.round(32 / sr.model.requiredMultiple));
  const photo = await readPhoto();
  const hr = tf.slice(photo, [0, (256 - side) >> 1, (256 - side) >> 1, 0], [1, side, side, 3]);
  const { lq, u } = bicubicDegrade(hr, 4);
  const [y, uu, l] = [fromUnitRange(hr), fromUnitRange(u), fromUnitRange(lq)];
  const eps = seededNormal(y.shape, 7) as tf.Tensor4D;
  const keep: tf.Tensor[] = [photo, hr, lq, u, y, uu, l, eps];

  // 1. The trajectory.
  const levels = trajectoryLevels(6);
  const xs = levels.map(({ alpha, sigma }) => forwardProcess(y, uu, alpha, sigma, eps));
  const shownXs = xs.map((x, i) => ({ image: show(x), label: `s = ${levels[i].sigma.toFixed(1)}` }));
  shownXs[0].label = 's = 0: HR y';
  shownXs[5].label = 's = 1: u + eps';
  await save('trajectory.png', await strip(shownXs, 112));
  keep.push(...xs, ...shownXs.map((p) => p.image));

  // 2. Sampling: one step and four steps.
  const steps = samplingLevels(4);
  const noise = (k: number) => seededNormal(y.shape, 100 + k) as tf.Tensor4D;
  const xT = initialState(uu, 1, eps);
  const one = D(xT, l, 1);
  const four = sampleConsistency(D, xT, steps, { lq: l, u: uu, noise });
  await save(
    'sampling.png',
    await strip(
      [
        { image: lq, label: 'LR l' },
        { image: u, label: 'u = bicubic x4' },
        { image: show(xT), label: 'x_T = u + eps' },
        { image: show(one), label: 'D(x_T): 1 step' },
        { image: show(four), label: '4 steps' },
        { image: hr, label: 'HR y' },
      ],
      112,
    ),
  );
  keep.push(xT, one, four);

  // 3. A consistency-training pair (grid of 3 intervals, n = 1).
  const plan = planCtStep(1, 3, y.shape as [number, number, number, number], {
    curriculum: { s0: 3, s1: 3, totalIterations: 1 },
    indexOverride: 1,
  });
  const batch = { y, u: uu, lq: l };
  const xn = ctPoint(batch, plan, plan.n);
  const xn1 = ctPoint(batch, plan, plan.n + 1);
  const target = D(xn, l, plan.levels[plan.n].sigma);
  const pred = D(xn1, l, plan.levels[plan.n + 1].sigma);
  const diff = tf.sub(pred, target) as tf.Tensor4D;
  await save(
    'ct-pair.png',
    await strip(
      [
        { image: show(xn), label: `x_n (s = ${plan.levels[plan.n].sigma.toFixed(2)})` },
        { image: show(xn1), label: `x_n+1 (s = ${plan.levels[plan.n + 1].sigma.toFixed(2)})` },
        { image: show(target), label: 'target sg(D(x_n))' },
        { image: show(pred), label: 'prediction D(x_n+1)' },
        { image: signed(diff, 8), label: 'difference (x8)' },
      ],
      112,
    ),
  );
  keep.push(plan.eps, xn, xn1, target, pred, diff);

  // 4. DTM terms at level t = 1 of the 3-interval grid, with the default model as f_phi.
  const dplan = planDtmStep(1, 3, y.shape as [number, number, number, number], plan.levels, {
    indexOverride: 1,
  });
  const { alpha, sigma } = dplan.level;
  const zt = forwardProcess(one, uu, alpha, sigma, dplan.eps);
  const xt = forwardProcess(y, uu, alpha, sigma, dplan.eps);
  const g = tf.tidy(() => tf.sub(D(zt, l, sigma), D(xt, l, sigma))) as tf.Tensor4D;
  const dtarget = dtmTarget(D, one, batch, dplan);
  await save(
    'dtm.png',
    await strip(
      [
        { image: show(one), label: 'output (1 step)' },
        { image: show(zt), label: `z_t (s = ${sigma.toFixed(2)})` },
        { image: show(xt), label: 'x_t (same eps)' },
        { image: signed(g, 32), label: 'g = f(z_t) - f(x_t) (x32)' },
        { image: show(dtarget), label: 'target sg(output - g)' },
        { image: hr, label: 'HR y' },
      ],
      112,
    ),
  );
  keep.push(dplan.eps, zt, xt, g, dtarget);

  // 5. The degradation pipeline, stage by stage (as realEsrganDegrade applies it).
  const hr128 = tf.slice(photo, [0, 64, 64, 0], [1, 128, 128, 3]);
  const p = sampleDegradationParams(1, [128, 128], { scale: 4 }, 27);
  const stages: Panel[] = [{ image: hr128, label: 'HR' }];
  const step = (x: tf.Tensor4D, label: string) => {
    stages.push({ image: x, label });
    return x;
  };
  const applyResize = (x: tf.Tensor4D, r: ResizeParams) =>
    r.scaleFactor != null
      ? resize(x, { scaleFactor: r.scaleFactor }, r.mode)
      : resize(x, { size: r.size }, r.mode);
  const jpeg = (x: tf.Tensor4D, q: number[]) =>
    tf.tidy(() => jpegCompress(tf.clipByValue(x, 0, 1) as tf.Tensor4D, q, p.jpeg));
  let x = step(filter2d(hr128, p.stage1.kernels.map(renderKernel)), 'blur');
  x = step(applyResize(x, p.stage1.resize), 'resize');
  x = step(addNoise(x, p.stage1.noise), `${p.stage1.noise.type} noise`);
  x = step(jpeg(x, p.stage1.jpegQuality), `JPEG q${Math.round(p.stage1.jpegQuality[0])}`);
  if (p.stage2) {
    if (p.stage2.kernels) x = step(filter2d(x, p.stage2.kernels.map(renderKernel)), 'blur 2');
    x = step(applyResize(x, p.stage2.resize), 'resize 2');
    x = step(addNoise(x, p.stage2.noise), 'noise 2');
  }
  const sinc = p.final.sincKernels.map(renderKernel);
  if (p.final.order === 'resize-sinc-jpeg') {
    x = step(resize(x, { size: [32, 32] }, p.final.resizeMode), 'resize to 32');
    x = step(filter2d(x, sinc), 'sinc filter');
    x = step(jpeg(x, p.final.jpegQuality), `JPEG q${Math.round(p.final.jpegQuality[0])}`);
  } else {
    x = step(jpeg(x, p.final.jpegQuality), `JPEG q${Math.round(p.final.jpegQuality[0])}`);
    x = step(resize(x, { size: [32, 32] }, p.final.resizeMode), 'resize to 32');
    x = step(filter2d(x, sinc), 'sinc filter');
  }
  const lr = quantize8bit(x) as tf.Tensor4D;
  const reference = realEsrganDegrade(hr128, p);
  const maxDiff = (await tf.max(tf.abs(tf.sub(reference.lq, lr))).data())[0];
  if (maxDiff > 1e-6) throw new Error(`make-figures: stages differ from realEsrganDegrade by ${maxDiff}`);
  stages.push({ image: lr, label: 'LR (8 bit)' });
  await save('degradations.png', await strip(stages, 84));

  tf.dispose([...keep, ...stages.map((s) => s.image), reference.lq, reference.u]);
  sr.dispose();
}

await selectBackend({ backend: 'wasm' });
await main();
