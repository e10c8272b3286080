/**
 * The network as data: which blocks exist, in which order, with which widths (method.md §4.3),
 * and every parameter's name, shape and initialiser (method.md §4.2). Nothing is allocated here,
 * so parameter counts of any preset (the 148.6 M official one included) are exact and cheap.
 *
 * Parameter names (stable; conv kernels HWIO [kh, kw, in, out], linear weights [in, out]):
 * - `map.layer0.{weight,bias}`, `map.layer1.{weight,bias}`: the noise-embedding MLP.
 * - `enc.l0.conv.{weight,bias}`: the input conv (3*s*s + 3 -> modelChannels).
 * - `enc.l{L}.down.*`, `enc.l{L}.block{i}.*`, `dec.l{L}.in0.*`, `dec.l{L}.in1.*`, `dec.l{L}.up.*`,
 *   `dec.l{L}.block{i}.*`: UNetBlocks with `norm0.{gamma,beta}`, `conv0.*`, `affine.*`,
 *   `norm1.*`, `conv1.*`, optional `skip.*` (1x1) and optional `attn.*` (window attention:
 *   `conv_in`, `norm1`, `qkv`, `rel_bias` [(2w-1)^2, heads], `proj`, `norm2`, `fc1`, `fc2`, `conv_out`).
 * - `head.norm.*`, `head.conv0.*`, `head.up{k}.*`, `head.out.*` ('nearest-conv') or
 *   `head.norm.*`, `head.conv.*` ('pixel-shuffle').
 */
import { levelChannels, type SrUnetConfig } from './config.js';

export type Init =
  | { kind: 'xavier'; fanIn: number; fanOut: number; gain: number }
  | { kind: 'zeros' }
  | { kind: 'ones' }
  /** PyTorch nn.Conv2d default: U(-1/sqrt(fanIn), 1/sqrt(fanIn)) for weight and bias. */
  | { kind: 'torch-default'; fanIn: number }
  | { kind: 'trunc-normal'; std: number };

export interface ParamSpec {
  name: string;
  shape: number[];
  init: Init;
}

export interface BlockSpec {
  name: string;
  cin: number;
  cout: number;
  resample: 'none' | 'down' | 'up';
  attn: boolean;
  /** Index of this block among all blocks (dropout stream id). */
  index: number;
}

export type EncoderStep =
  | { kind: 'conv'; name: string; cin: number; cout: number }
  | { kind: 'block'; block: BlockSpec };

export interface Layout {
  encoder: EncoderStep[];
  decoder: BlockSpec[];
  /** Width entering the head. */
  headIn: number;
  params: ParamSpec[];
}

function xavier(fanIn: number, fanOut: number, gain = 1): Init {
  return { kind: 'xavier', fanIn, fanOut, gain };
}

function convParams(out: ParamSpec[], name: string, k: number, cin: number, cout: number, gain = 1): void {
  out.push({
    name: `${name}.weight`,
    shape: [k, k, cin, cout],
    init: xavier(cin * k * k, cout * k * k, gain),
  });
  out.push({ name: `${name}.bias`, shape: [cout], init: { kind: 'zeros' } });
}

function torchConvParams(out: ParamSpec[], name: string, k: number, cin: number, cout: number): void {
  const init: Init = { kind: 'torch-default', fanIn: cin * k * k };
  out.push({ name: `${name}.weight`, shape: [k, k, cin, cout], init });
  out.push({ name: `${name}.bias`, shape: [cout], init });
}

function linearParams(out: ParamSpec[], name: string, cin: number, cout: number): void {
  out.push({ name: `${name}.weight`, shape: [cin, cout], init: xavier(cin, cout) });
  out.push({ name: `${name}.bias`, shape: [cout], init: { kind: 'zeros' } });
}

function normParams(out: ParamSpec[], name: string, c: number): void {
  out.push({ name: `${name}.gamma`, shape: [c], init: { kind: 'ones' } });
  out.push({ name: `${name}.beta`, shape: [c], init: { kind: 'zeros' } });
}

/** Width of the swin layers. */
export function attnWidth(c: SrUnetConfig): number {
  return c.attnChannels ?? c.modelChannels;
}

/** MLP width of the noise embedding: 4 * embChannels (`channel_mult_emb` 4). */
export function embMlpWidth(c: SrUnetConfig): number {
  return 4 * c.embChannels;
}

function attnParams(out: ParamSpec[], p: string, c: number, cfg: SrUnetConfig): void {
  const a = attnWidth(cfg);
  const hidden = cfg.mlpRatio * a;
  const w = cfg.windowSize;
  convParams(out, `${p}.conv_in`, 1, c, a);
  normParams(out, `${p}.norm1`, a);
  linearParams(out, `${p}.qkv`, a, 3 * a);
  out.push({
    name: `${p}.rel_bias`,
    shape: [(2 * w - 1) * (2 * w - 1), cfg.numHeads],
    init: { kind: 'trunc-normal', std: 0.02 },
  });
  linearParams(out, `${p}.proj`, a, a);
  normParams(out, `${p}.norm2`, a);
  linearParams(out, `${p}.fc1`, a, hidden);
  linearParams(out, `${p}.fc2`, hidden, a);
  convParams(out, `${p}.conv_out`, 1, a, c);
}

/** Whether a block needs the 1x1 skip conv (EDM, resample_proj=True). */
export function hasSkipConv(b: BlockSpec): boolean {
  return b.cin !== b.cout || b.resample !== 'none';
}

function blockParams(out: ParamSpec[], b: BlockSpec, cfg: SrUnetConfig): void {
  const p = b.name;
  normParams(out, `${p}.norm0`, b.cin);
  convParams(out, `${p}.conv0`, 3, b.cin, b.cout);
  linearParams(out, `${p}.affine`, embMlpWidth(cfg), b.cout);
  normParams(out, `${p}.norm1`, b.cout);
  convParams(out, `${p}.conv1`, 3, b.cout, b.cout, 1e-5);
  if (hasSkipConv(b)) convParams(out, `${p}.skip`, 1, b.cin, b.cout);
  if (b.attn) attnParams(out, `${p}.attn`, b.cout, cfg);
}

/** Builds the layout of method.md §4.3 for any config. */
export function buildLayout(cfg: SrUnetConfig): Layout {
  const params: ParamSpec[] = [];
  const e = cfg.embChannels;
  linearParams(params, 'map.layer0', e, embMlpWidth(cfg));
  linearParams(params, 'map.layer1', embMlpWidth(cfg), embMlpWidth(cfg));

  const levels = cfg.channelMult.length;
  const attn = new Set(cfg.attnLevels);
  const encoder: EncoderStep[] = [];
  const skips: number[] = [];
  let index = 0;
  let cout = 3 * cfg.scale * cfg.scale + 3;
  const block = (
    name: string,
    cin: number,
    co: number,
    resample: BlockSpec['resample'],
    a: boolean,
  ): BlockSpec => ({
    name,
    cin,
    cout: co,
    resample,
    attn: a,
    index: index++,
  });
  for (let level = 0; level < levels; level++) {
    if (level === 0) {
      const cin = cout;
      cout = cfg.modelChannels;
      encoder.push({ kind: 'conv', name: 'enc.l0.conv', cin, cout });
      convParams(params, 'enc.l0.conv', 3, cin, cout);
    } else {
      const b = block(`enc.l${level}.down`, cout, cout, 'down', false);
      encoder.push({ kind: 'block', block: b });
    }
    skips.push(cout);
    for (let i = 0; i < cfg.numBlocks; i++) {
      const cin = cout;
      cout = levelChannels(cfg, level);
      encoder.push({
        kind: 'block',
        block: block(`enc.l${level}.block${i}`, cin, cout, 'none', attn.has(level)),
      });
      skips.push(cout);
    }
  }
  for (const s of encoder) if (s.kind === 'block') blockParams(params, s.block, cfg);

  const decoder: BlockSpec[] = [];
  for (let level = levels - 1; level >= 0; level--) {
    if (level === levels - 1) {
      decoder.push(block(`dec.l${level}.in0`, cout, cout, 'none', true && attn.has(level)));
      decoder.push(block(`dec.l${level}.in1`, cout, cout, 'none', false));
    } else {
      decoder.push(block(`dec.l${level}.up`, cout, cout, 'up', false));
    }
    for (let i = 0; i <= cfg.numBlocks; i++) {
      const skip = skips.pop();
      if (skip === undefined) throw new Error('buildLayout: internal error, skip stack empty');
      const cin = cout + skip;
      cout = levelChannels(cfg, level);
      decoder.push(
        block(`dec.l${level}.block${i}`, cin, cout, 'none', i === cfg.numBlocks && attn.has(level)),
      );
    }
  }
  for (const b of decoder) blockParams(params, b, cfg);

  const c0 = cout;
  normParams(params, 'head.norm', c0);
  if (cfg.head === 'nearest-conv') {
    const hc = cfg.headChannels ?? cfg.modelChannels;
    convParams(params, 'head.conv0', 3, c0, c0, 1e-5);
    let cin = c0;
    for (let k = 0; 2 ** k < cfg.scale; k++) {
      torchConvParams(params, `head.up${k}`, 3, cin, hc);
      cin = hc;
    }
    torchConvParams(params, 'head.out', 3, cin, 3);
  } else {
    convParams(params, 'head.conv', 3, c0, 3 * cfg.scale * cfg.scale, 1e-5);
  }
  return { encoder, decoder, headIn: c0, params };
}

/** Number of scalar parameters of a config (analytic; nothing is allocated). */
export function countParameters(cfg: SrUnetConfig): number {
  return buildLayout(cfg).params.reduce((n, p) => n + p.shape.reduce((a, b) => a * b, 1), 0);
}

/**
 * The LR side length must be a multiple of this: 2^(levels-1) for the pooling, and
 * 2^level * windowSize for every level with window attention.
 */
export function requiredMultiple(cfg: SrUnetConfig): number {
  let m = 2 ** (cfg.channelMult.length - 1);
  for (const l of cfg.attnLevels) m = lcm(m, 2 ** l * cfg.windowSize);
  return m;
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

function lcm(a: number, b: number): number {
  return (a / gcd(a, b)) * b;
}
