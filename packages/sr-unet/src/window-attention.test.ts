import { describeBackends, expectClose, expectNoLeaks } from '@ctmsr/test-harness';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { uniformAt } from './ops.js';
import { swinLayer } from './window-attention.js';

/** erf by Abramowitz & Stegun 7.1.26 (|error| < 1.5e-7). */
function erf(x: number): number {
  const s = Math.sign(x);
  const a = Math.abs(x);
  const t = 1 / (1 + 0.3275911 * a);
  const y =
    1 -
    ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) *
      t *
      Math.exp(-a * a);
  return s * y;
}

type Mat = number[][]; // [tokens][channels]

function dense(x: Mat, w: Float32Array, b: Float32Array, cin: number, cout: number): Mat {
  return x.map((row) => {
    const out = Array.from(b);
    for (let o = 0; o < cout; o++) for (let i = 0; i < cin; i++) out[o] += row[i] * w[i * cout + o];
    return out;
  });
}

function groupNorm(x: Mat, gamma: Float32Array, beta: Float32Array, groups: number): Mat {
  const c = x[0].length;
  const per = c / groups;
  const out = x.map((r) => [...r]);
  for (let g = 0; g < groups; g++) {
    const vals: number[] = [];
    for (const r of x) for (let k = 0; k < per; k++) vals.push(r[g * per + k]);
    const mean = vals.reduce((s, v) => s + v, 0) / vals.length;
    const variance = vals.reduce((s, v) => s + (v - mean) ** 2, 0) / vals.length;
    for (const r of out)
      for (let k = 0; k < per; k++) {
        const ch = g * per + k;
        r[ch] = ((r[ch] - mean) / Math.sqrt(variance + 1e-5)) * gamma[ch] + beta[ch];
      }
  }
  return out;
}

/** Direct Swin layer on one image, tokens in row-major order (method.md §4.4). */
function reference(
  x: Mat,
  h: number,
  w: number,
  win: number,
  heads: number,
  p: Record<string, Float32Array>,
  c: number,
  a: number,
  hidden: number,
): Mat {
  const a0 = dense(x, p['L.conv_in.weight'], p['L.conv_in.bias'], c, a);
  const n1 = groupNorm(a0, p['L.norm1.gamma'], p['L.norm1.beta'], a / 4);
  const qkv = dense(n1, p['L.qkv.weight'], p['L.qkv.bias'], a, 3 * a);
  const d = a / heads;
  const attnOut: Mat = a0.map(() => new Array(a).fill(0));
  for (let wy = 0; wy < h / win; wy++)
    for (let wx = 0; wx < w / win; wx++) {
      const tok = (i: number) => (wy * win + Math.floor(i / win)) * w + wx * win + (i % win);
      for (let hd = 0; hd < heads; hd++)
        for (let pi = 0; pi < win * win; pi++) {
          const logits: number[] = [];
          for (let qi = 0; qi < win * win; qi++) {
            let dot = 0;
            for (let k = 0; k < d; k++) dot += qkv[tok(pi)][hd * d + k] * qkv[tok(qi)][a + hd * d + k];
            const rel =
              (Math.floor(pi / win) - Math.floor(qi / win) + win - 1) * (2 * win - 1) +
              ((pi % win) - (qi % win) + win - 1);
            logits.push(dot / Math.sqrt(d) + p['L.rel_bias'][rel * heads + hd]);
          }
          const m = Math.max(...logits);
          const e = logits.map((l) => Math.exp(l - m));
          const z = e.reduce((s, v) => s + v, 0);
          for (let qi = 0; qi < win * win; qi++)
            for (let k = 0; k < d; k++)
              attnOut[tok(pi)][hd * d + k] += (e[qi] / z) * qkv[tok(qi)][2 * a + hd * d + k];
        }
    }
  const proj = dense(attnOut, p['L.proj.weight'], p['L.proj.bias'], a, a);
  const a1 = a0.map((r, i) => r.map((v, k) => v + proj[i][k]));
  const n2 = groupNorm(a1, p['L.norm2.gamma'], p['L.norm2.beta'], a / 4);
  const f1 = dense(n2, p['L.fc1.weight'], p['L.fc1.bias'], a, hidden).map((r) =>
    r.map((v) => 0.5 * v * (1 + erf(v / Math.SQRT2))),
  );
  const f2 = dense(f1, p['L.fc2.weight'], p['L.fc2.bias'], hidden, a);
  const a2 = a1.map((r, i) => r.map((v, k) => v + f2[i][k]));
  return dense(a2, p['L.conv_out.weight'], p['L.conv_out.bias'], a, c);
}

describeBackends(
  'swin window attention',
  ({ rtol }) => {
    it('matches a direct per-window computation (2 windows x 2 windows, 2 heads)', async () => {
      const [h, w, c, a, hidden, win, heads] = [4, 4, 6, 8, 16, 2, 2];
      const shapes: Record<string, number[]> = {
        'L.conv_in.weight': [1, 1, c, a],
        'L.conv_in.bias': [a],
        'L.norm1.gamma': [a],
        'L.norm1.beta': [a],
        'L.qkv.weight': [a, 3 * a],
        'L.qkv.bias': [3 * a],
        'L.rel_bias': [(2 * win - 1) ** 2, heads],
        'L.proj.weight': [a, a],
        'L.proj.bias': [a],
        'L.norm2.gamma': [a],
        'L.norm2.beta': [a],
        'L.fc1.weight': [a, hidden],
        'L.fc1.bias': [hidden],
        'L.fc2.weight': [hidden, a],
        'L.fc2.bias': [a],
        'L.conv_out.weight': [1, 1, a, c],
        'L.conv_out.bias': [c],
      };
      const raw: Record<string, Float32Array> = {};
      const tensors: Record<string, tf.Tensor> = {};
      Object.entries(shapes).forEach(([name, shape], s) => {
        const n = shape.reduce((p, q) => p * q, 1);
        const v = new Float32Array(n);
        for (let i = 0; i < n; i++)
          v[i] =
            (2 * uniformAt(s + 100, i) - 1) * (name.includes('gamma') ? 0.5 : 1) +
            (name.includes('gamma') ? 1 : 0);
        raw[name] = v;
        tensors[name] = tf.tensor(v, shape);
      });
      const xv = new Float32Array(h * w * c);
      for (let i = 0; i < xv.length; i++) xv[i] = 2 * uniformAt(7, i) - 1;
      const x = tf.tensor4d(xv, [1, h, w, c]);
      const y = await expectNoLeaks(
        () => swinLayer(x, (n) => tensors[n], 'L', { windowSize: win, numHeads: heads }),
        1,
      );
      expect(y.shape).toEqual([1, h, w, c]);
      const tokens: Mat = [];
      for (let t = 0; t < h * w; t++) tokens.push(Array.from(xv.slice(t * c, (t + 1) * c)));
      const want = reference(tokens, h, w, win, heads, raw, c, a, hidden).flat();
      expectClose(await y.data(), want, { rtol: Math.max(rtol, 1e-4), atol: 1e-4, what: 'swinLayer' });
      tf.dispose([x, y, ...Object.values(tensors)]);
    });
  },
  { webgpu: true },
);
