import * as tf from '@tensorflow/tfjs-core';
const tslab = { display: { html: (_: string) => {}, png: (_: Uint8Array) => {} } };
import { ensureGradients, selectBackend } from '@ctmsr/backends';
import { AdamW, charbonnier, ctLoss, ctTarget, Ema, planCtStep } from '@ctmsr/consistency-training';
import { bicubicDegrade } from '@ctmsr/degradations';
import { dtmLoss, dtmOutput, planDtmStep } from '@ctmsr/dtm-loss';
import { deriveSeed, fromUnitRange, initialState, precondition, seededNormal, toUnitRange } from '@ctmsr/pf-ode';
import { resolveSrUnetConfig, SrUnet } from '@ctmsr/sr-unet';
import { psnr } from 'ctmsr';
import { imageRow, linePlot, type Panel, readImage } from '../examples/notebooks/show';

await ensureGradients(); // tfjs-core's Node bundle registers no gradient functions
const backend = await selectBackend({ backend: 'wasm' }); // wasm + fast conv-gradient kernels
console.log(`backend ${backend.name}`);

const CT_STEPS = 10, DTM_STEPS = 10, BATCH = 4, CROP = 32, SEED = 0;
const net = SrUnet.create(
  resolveSrUnetConfig({ preset: 'tiny', modelChannels: 8, channelMult: [1, 2], numBlocks: 1, embChannels: 8, attnLevels: [] }),
  SEED,
);
console.log(`network: ${net.parameterCount()} parameters`);
const photo = await readImage('examples/notebooks/images/chelsea-hr.png'); // [1, 256, 256, 3]
const trainPart = tf.slice(photo, [0, 0, 0, 0], [1, 256, 160, 3]);
const heldOutHr = tf.slice(photo, [0, 96, 176, 0], [1, 64, 64, 3]);

/** The batch of iteration k: B seeded crops, degraded, in [-1, 1]. */
function batchAt(k: number) {
  return tf.tidy(() => {
    const crops = Array.from({ length: BATCH }, (_, b) => {
      const y0 = deriveSeed(SEED, k, 1, b) % (256 - CROP + 1);
      const x0 = deriveSeed(SEED, k, 2, b) % (160 - CROP + 1);
      return tf.slice(trainPart, [0, y0, x0, 0], [1, CROP, CROP, 3]);
    });
    const hr = tf.concat(crops, 0) as tf.Tensor4D;
    const { lq, u } = bicubicDegrade(hr, 4);
    return { y: fromUnitRange(hr), u: fromUnitRange(u), lq: fromUnitRange(lq) };
  });
}

const heldOut = (() => {
  const { lq, u } = bicubicDegrade(heldOutHr, 4);
  const r = { y: fromUnitRange(heldOutHr), u: fromUnitRange(u), lq: fromUnitRange(lq), lq01: lq, u01: u };
  return r;
})();
console.log(`bicubic PSNR on the held-out patch: ${(await psnr(heldOut.u01, heldOutHr, { crop: 4 })).toFixed(2)} dB`);
const opt = new AdamW({ lr: 1e-3, beta1: 0.9, beta2: 0.99 });
const ema = new Ema(net.variables, { decay: 0.99, warmup: true });
const distances = [{ name: 'charbonnier', distance: charbonnier(), weight: 1 }];
const curriculum = { s0: 3, s1: 3, totalIterations: CT_STEPS + DTM_STEPS }; // 3 intervals: s = 0, 1/3, 2/3, 1
const denoiser = (n: SrUnet, training: boolean) => precondition(n.rawNetwork({ training }));
const paramName = new Map(net.variables.map((v) => [v.variable.name, v.name]));
let frozen: SrUnet | null = null; // f_phi, created from the EMA weights when DTM starts

async function trainStep(k: number): Promise<{ ct: number; dtm: number | null }> {
  if (k === CT_STEPS + 1) {
    // DTM starts: the frozen model is a copy of the CT model's EMA weights (the reference loads
    // the CT checkpoint's EMA; it also refreshes the copy every 1000 iterations, not needed here).
    frozen = net.clone();
    const w = ema.getWeights();
    frozen.setWeights(w);
    tf.dispose(Object.values(w));
  }
  const batch = batchAt(k);
  const shape = batch.y.shape as [number, number, number, number];
  const plan = planCtStep(k, SEED, shape, { curriculum });
  const target = ctTarget(denoiser(net, false), batch, plan); // sg(D(x_n, sigma_n, l))
  const dplan = frozen ? planDtmStep(k, SEED, shape, plan.levels) : null;
  const terms: tf.Scalar[] = [];
  const { value, grads } = tf.variableGrads(() => {
    const ct = ctLoss(denoiser(net, true), batch, plan, target, { distances });
    terms.push(...Object.values(ct.terms));
    if (dplan == null || frozen == null) return ct.loss;
    const out = dtmOutput(dplan, denoiser(net, true), batch, ct.output);
    const dtm = dtmLoss(denoiser(frozen, false), out, batch, dplan, distances);
    terms.push(...Object.values(dtm.terms)); // kept scalars, like ct.terms
    return tf.add(ct.loss, dtm.loss) as tf.Scalar;
  }, net.variables.map((v) => v.variable));
  const named: Record<string, tf.Tensor> = {};
  for (const [tfName, g] of Object.entries(grads)) named[paramName.get(tfName) ?? tfName] = g;
  opt.apply(net.variables, named);
  ema.update(net.variables);
  const [ct, dtm] = await Promise.all(terms.map(async (t) => (await t.data())[0]));
  tf.dispose([value, target, plan.eps, dplan?.eps, batch.y, batch.u, batch.lq, ...Object.values(grads), ...terms]);
  return { ct, dtm: dtm ?? null };
}

/** One-step SR of the held-out patch with the EMA weights: x_T = u + eps, y_hat = D(x_T, 1, l). */
const evalNet = net.clone();
async function evaluate(): Promise<{ psnr: number; image: tf.Tensor4D }> {
  const w = ema.getWeights();
  evalNet.setWeights(w);
  tf.dispose(Object.values(w));
  const image = tf.tidy(() => {
    const xT = initialState(heldOut.u, 1, seededNormal(heldOut.u.shape, 99) as tf.Tensor4D);
    return toUnitRange(denoiser(evalNet, false)(xT, heldOut.lq, 1));
  });
  return { psnr: await psnr(image, heldOutHr, { crop: 4 }), image };
}
// (Defined here: a later cell sees this cell's variables as they were when it ran.)
function disposeTraining() {
  for (const n of [net, evalNet, frozen]) n?.dispose();
  ema.dispose();
  opt.dispose();
}
const before = await evaluate();
console.log(`before training: ${before.psnr.toFixed(2)} dB`);
const ctLosses: number[] = [], dtmLosses: number[] = [], psnrs: number[] = [];
const shown: Panel[] = [{ image: heldOut.lq01, label: 'LR' }, { image: heldOut.u01, label: 'bicubic' }, { image: before.image, label: 'step 0' }];
const start = performance.now();
for (let k = 1; k <= CT_STEPS + DTM_STEPS; k++) {
  const r = await trainStep(k); console.log('mem', k, tf.memory().numTensors);
  ctLosses.push(r.ct);
  if (r.dtm != null) dtmLosses.push(r.dtm);
  if (k % 10 === 0) {
    const e = await evaluate();
    psnrs.push(e.psnr);
    if (k === CT_STEPS || k === CT_STEPS + DTM_STEPS) shown.push({ image: e.image, label: `step ${k}${k === CT_STEPS ? ' (CT)' : ' (CT + DTM)'}` });
    else e.image.dispose();
    console.log(`step ${k}: L_CT ${r.ct.toFixed(4)}${r.dtm != null ? `, L_DTM ${r.dtm.toFixed(4)}` : ''}, held-out ${e.psnr.toFixed(2)} dB`);
  }
}
console.log(`${CT_STEPS + DTM_STEPS} steps in ${((performance.now() - start) / 1000).toFixed(1)} s`);
const smooth = (v: number[], w = 9) => v.map((_, i) => { const s = v.slice(Math.max(0, i - w + 1), i + 1); return s.reduce((a, b) => a + b, 0) / s.length; });
tslab.display.html(
  linePlot(
    [
      { name: 'L_CT', values: ctLosses, color: '#9ecae1' },
      { name: 'L_CT (mean of 9)', values: smooth(ctLosses), color: '#1f77b4' },
      { name: 'L_DTM', values: dtmLosses, x0: CT_STEPS + 1, color: '#d62728' },
    ],
    { title: 'training losses', xLabel: 'iteration', yLabel: 'loss', logY: true },
  ),
);
tslab.display.html(
  linePlot([{ name: 'held-out PSNR (EMA, one step)', values: psnrs.map((p) => Number(p.toFixed(3))), x0: 10 }], {
    title: 'held-out PSNR, every 10 iterations (x = index)', xLabel: 'evaluation', yLabel: 'dB', height: 220,
  }),
);
tslab.display.html(await imageRow(shown, 128));
tf.dispose([photo, trainPart, heldOutHr, heldOut.y, heldOut.u, heldOut.lq, ...shown.map((p) => p.image)]);
console.log('before dispose', tf.memory().numTensors); disposeTraining();
console.log(`tensors left: ${tf.memory().numTensors}`);