/**
 * Name and layout mapping from the reference implementation's PyTorch state-dict keys to our
 * parameter names (layout.ts). The reference is CTMSR's `EDMUNet` wrapper (`model.`) around EDM's
 * `SongUNet` (LabShuHangGU/CTMSR basicsr/archs/edm_unet_arch.py, NVlabs/edm naming) with
 * ResShift's conv-style swin `BasicLayer` (method.md §4.4):
 *
 *   ours                       reference (R = resolution >> level, R0 = resolution)
 *   map.layer{0,1}.*           model.map_layer{0,1}.*
 *   enc.l0.conv.*              model.enc.{R0}x{R0}_conv.*
 *   enc.l{L}.down|block{i}.*   model.enc.{R}x{R}_down|block{i}.*
 *   dec.l{L}.in0|in1|up|block{i}.*  model.dec.{R}x{R}_in0|in1|up|block{i}.*
 *   <block>.norm0|conv0|affine|norm1|conv1|skip.*   the same names
 *   <block>.attn.conv_in       swin_layer.patch_embed.proj        (1x1 conv)
 *   <block>.attn.norm1|norm2   swin_layer.blocks.0.norm1|norm2
 *   <block>.attn.qkv|proj      swin_layer.blocks.0.attn.qkv|proj  (Linear)
 *   <block>.attn.rel_bias      swin_layer.blocks.0.attn.relative_position_bias_table
 *   <block>.attn.fc1|fc2       swin_layer.blocks.0.mlp.fc1|fc2    (1x1 convs)
 *   <block>.attn.conv_out      swin_layer.patch_unembed.proj      (1x1 conv)
 *   head.norm, head.conv0      model.dec.{R0}x{R0}_aux_norm, _aux_conv   ('nearest-conv')
 *   head.up{k}, head.out       model.conv_up{k+1}, model.conv_last
 *   head.norm, head.conv       model.dec.{R0}x{R0}_aux_norm, _aux_conv   ('pixel-shuffle', ours)
 *   GroupNorm gamma|beta       weight|bias
 *
 * Layouts: conv OIHW -> HWIO; Linear [out, in] -> [in, out]; 1x1-conv MLP [out, in, 1, 1] ->
 * [in, out]. The relative-position-bias table has the same layout on both sides
 * ([(2w-1)^2, heads], row (qi-ki+w-1)(2w-1) + (qj-kj+w-1)), checked against the checkpoint's
 * `relative_position_index` buffer when present. The first conv needs no channel permutation:
 * our pixelUnshuffle already emits PyTorch's order c*s*s + i*s + j (ops.ts).
 *
 * Deviations: the swin names are ResShift's; CTMSR's own swin file is not public and its
 * `use_conv` adds an unknown layer (method.md §8.4), so the official checkpoint is expected to
 * have extra keys there (reported as unused keys by the importer).
 */
import type { SrUnetConfig } from '../config.js';
import { buildLayout } from '../layout.js';

/** conv: OIHW -> HWIO; linear: [O, I] -> [I, O]; conv1x1Linear: [O, I, 1, 1] -> [I, O]. */
export type LayoutTransform = 'conv' | 'linear' | 'conv1x1Linear' | 'copy';

export interface KeyMapping {
  /** Our parameter name (layout.ts). */
  ours: string;
  /** The reference's state-dict key, prefix included. */
  theirs: string;
  transform: LayoutTransform;
  ourShape: number[];
  theirShape: number[];
}

export interface PytorchNamingOptions {
  /** Prefix of every key: 'model.' for the reference's EDMUNet wrapper. */
  prefix: string;
  /** The LR training resolution that names the levels (`img_resolution`, 64 in the paper). */
  resolution: number;
}

export const DEFAULT_PYTORCH_NAMING: PytorchNamingOptions = { prefix: 'model.', resolution: 64 };

/** State-dict buffers that are no parameters of ours (EDM resample filters, swin index/mask). */
export const IGNORED_BUFFER = /(^|\.)(resample_filter|relative_position_index|attn_mask)$/;

const SWIN: Readonly<Record<string, string>> = {
  conv_in: 'swin_layer.patch_embed.proj',
  norm1: 'swin_layer.blocks.0.norm1',
  qkv: 'swin_layer.blocks.0.attn.qkv',
  proj: 'swin_layer.blocks.0.attn.proj',
  norm2: 'swin_layer.blocks.0.norm2',
  fc1: 'swin_layer.blocks.0.mlp.fc1',
  fc2: 'swin_layer.blocks.0.mlp.fc2',
  conv_out: 'swin_layer.patch_unembed.proj',
};

const LEAF: Readonly<Record<string, string>> = {
  gamma: 'weight',
  beta: 'bias',
  weight: 'weight',
  bias: 'bias',
};

function res(resolution: number, level: number): string {
  const r = resolution >> level;
  return `${r}x${r}`;
}

/** Reference module path of our block-internal module path (e.g. 'attn.qkv' -> '...attn.qkv'). */
function blockPart(part: string): { path: string; conv1x1: boolean } | null {
  if (/^(norm0|conv0|affine|norm1|conv1|skip)$/.test(part)) return { path: part, conv1x1: false };
  const m = /^attn\.(\w+)$/.exec(part);
  if (m && SWIN[m[1]]) return { path: SWIN[m[1]], conv1x1: m[1] === 'fc1' || m[1] === 'fc2' };
  return null;
}

function translate(ours: string, o: PytorchNamingOptions): { theirs: string; conv1x1: boolean } {
  const fail = (): never => {
    throw new Error(`pytorchKeyMap: no reference name known for our parameter '${ours}'`);
  };
  const r0 = res(o.resolution, 0);
  const rb = /^(enc|dec)\.l(\d+)\.(down|up|in0|in1|block\d+)\.attn\.rel_bias$/.exec(ours);
  if (rb) {
    const block = `${rb[1]}.${res(o.resolution, Number(rb[2]))}_${rb[3]}`;
    return { theirs: `${block}.swin_layer.blocks.0.attn.relative_position_bias_table`, conv1x1: false };
  }
  const dot = ours.lastIndexOf('.');
  const leaf = LEAF[ours.slice(dot + 1)] ?? fail();
  const mod = ours.slice(0, dot);
  let m = /^map\.layer([01])$/.exec(mod);
  if (m) return { theirs: `map_layer${m[1]}.${leaf}`, conv1x1: false };
  if (mod === 'enc.l0.conv') return { theirs: `enc.${r0}_conv.${leaf}`, conv1x1: false };
  m = /^(enc|dec)\.l(\d+)\.(down|up|in0|in1|block\d+)\.(.+)$/.exec(mod);
  if (m) {
    const part = blockPart(m[4]) ?? fail();
    return {
      theirs: `${m[1]}.${res(o.resolution, Number(m[2]))}_${m[3]}.${part.path}.${leaf}`,
      conv1x1: part.conv1x1,
    };
  }
  if (mod === 'head.norm') return { theirs: `dec.${r0}_aux_norm.${leaf}`, conv1x1: false };
  if (mod === 'head.conv0' || mod === 'head.conv')
    return { theirs: `dec.${r0}_aux_conv.${leaf}`, conv1x1: false };
  m = /^head\.up(\d+)$/.exec(mod);
  if (m) return { theirs: `conv_up${Number(m[1]) + 1}.${leaf}`, conv1x1: false };
  if (mod === 'head.out') return { theirs: `conv_last.${leaf}`, conv1x1: false };
  return fail();
}

function transformOf(
  shape: number[],
  conv1x1: boolean,
): { transform: LayoutTransform; theirShape: number[] } {
  if (shape.length === 4) {
    const [kh, kw, i, o] = shape;
    return { transform: 'conv', theirShape: [o, i, kh, kw] };
  }
  if (shape.length === 2 && conv1x1)
    return { transform: 'conv1x1Linear', theirShape: [shape[1], shape[0], 1, 1] };
  if (shape.length === 2) return { transform: 'linear', theirShape: [shape[1], shape[0]] };
  return { transform: 'copy', theirShape: [...shape] };
}

/** Every parameter of `config` with its reference key, layout transform and both shapes. */
export function pytorchKeyMap(
  config: SrUnetConfig,
  options: Partial<PytorchNamingOptions> = {},
): KeyMapping[] {
  const o = { ...DEFAULT_PYTORCH_NAMING, ...options };
  const levels = config.channelMult.length;
  if (!Number.isInteger(o.resolution) || o.resolution < 1 || o.resolution % 2 ** (levels - 1) !== 0) {
    throw new Error(
      `pytorchKeyMap: 'resolution' must be a positive multiple of ${2 ** (levels - 1)} (${levels} levels), got ${o.resolution}`,
    );
  }
  return buildLayout(config).params.map((p) => {
    const { theirs, conv1x1 } = translate(p.name, o);
    const isRelBias = p.name.endsWith('.rel_bias');
    const t = isRelBias
      ? { transform: 'copy' as const, theirShape: [...p.shape] }
      : transformOf(p.shape, conv1x1);
    return { ours: p.name, theirs: `${o.prefix}${theirs}`, ourShape: [...p.shape], ...t };
  });
}

/** Applies a layout transform to row-major values of shape `theirShape`. */
export function applyTransform(
  values: Float32Array,
  transform: LayoutTransform,
  theirShape: number[],
): Float32Array {
  if (transform === 'copy') return values;
  if (transform === 'conv') {
    const [co, ci, kh, kw] = theirShape;
    const out = new Float32Array(values.length);
    for (let oc = 0; oc < co; oc++)
      for (let ic = 0; ic < ci; ic++)
        for (let h = 0; h < kh; h++)
          for (let w = 0; w < kw; w++)
            out[((h * kw + w) * ci + ic) * co + oc] = values[((oc * ci + ic) * kh + h) * kw + w];
    return out;
  }
  const [co, ci] = theirShape;
  const out = new Float32Array(values.length);
  for (let oc = 0; oc < co; oc++) for (let ic = 0; ic < ci; ic++) out[ic * co + oc] = values[oc * ci + ic];
  return out;
}

/** The swin relative-position index the mapping assumes, row-major [w*w, w*w]. */
export function expectedRelativePositionIndex(w: number): Int32Array {
  const n = w * w;
  const idx = new Int32Array(n * n);
  for (let q = 0; q < n; q++)
    for (let k = 0; k < n; k++) {
      const di = Math.floor(q / w) - Math.floor(k / w) + w - 1;
      const dj = (q % w) - (k % w) + w - 1;
      idx[q * n + k] = di * (2 * w - 1) + dj;
    }
  return idx;
}
