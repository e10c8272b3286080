/**
 * Configuration of the CTMSR raw network F (method.md §4.1) and its presets.
 *
 * - `official`: the paper's SongUNet configuration (C3/C4 in method.md), ~148.6 M parameters
 *   without the unresolved swin `use_conv` conv (method.md §4.4, §8.4).
 * - `small`: ~1.3 M parameters (32/64/64 channels), a little larger than the calibration network
 *   (calibration.md, 0.99 M).
 * - `tiny`: this project's default model (16/32/64 channels, ~0.75 M), sized by measurement on wasm.
 */

export type PresetName = 'tiny' | 'small' | 'official';

export interface SrUnetConfig {
  /** Super-resolution factor s (x is [B, s*h, s*w, 3], lq is [B, h, w, 3]). 4 in the paper. */
  scale: number;
  /** Base channel count of level 0 (`model_channels`). 192 in the paper. */
  modelChannels: number;
  /** Channel multiplier per U-Net level (`channel_mult`). [1, 2, 2, 2] in the paper. */
  channelMult: number[];
  /** UNetBlocks per level in the encoder (`num_blocks`); the decoder has one more. 4 in the paper. */
  numBlocks: number;
  /** Level indices (0 = LR resolution) whose blocks carry a window-attention layer. */
  attnLevels: number[];
  /** Side of the square attention windows (LR-level pixels). 8 in the paper. */
  windowSize: number;
  /** Attention heads per swin layer. 6 in the paper. */
  numHeads: number;
  /** Swin MLP hidden width = mlpRatio * attention width. 4 in the paper. */
  mlpRatio: number;
  /** Dropout probability before each block's second conv. 0.13 in the paper. */
  dropout: number;
  /** Width of the sinusoidal noise embedding; the embedding MLP is 4x as wide. 192 in the paper. */
  embChannels: number;
  /** 'nearest-conv': the paper's nearest-up conv head; 'pixel-shuffle': one conv + pixel shuffle. */
  head: 'nearest-conv' | 'pixel-shuffle';
  /** Add bicubic_up(lq) to F's output (the reference's `res_con`; false in the paper's config). */
  resCon: boolean;
  /** Width of the nearest-conv head's convs (default modelChannels). Unused by 'pixel-shuffle'. */
  headChannels?: number;
  /** Inner width of the swin layers (`embed_dim`; default modelChannels = 192 in the paper). */
  attnChannels?: number;
}

const OFFICIAL: SrUnetConfig = {
  scale: 4,
  modelChannels: 192,
  channelMult: [1, 2, 2, 2],
  numBlocks: 4,
  attnLevels: [0, 1, 2, 3],
  windowSize: 8,
  numHeads: 6,
  mlpRatio: 4,
  dropout: 0.13,
  embChannels: 192,
  head: 'nearest-conv',
  resCon: false,
  headChannels: 192,
  attnChannels: 192,
};

const SMALL: SrUnetConfig = {
  scale: 4,
  modelChannels: 32,
  channelMult: [1, 2, 2],
  numBlocks: 1,
  attnLevels: [2],
  windowSize: 8,
  numHeads: 2,
  mlpRatio: 2,
  dropout: 0,
  embChannels: 32,
  head: 'pixel-shuffle',
  resCon: true,
  attnChannels: 32,
};

// Chosen by measurement (bench/forward.bench.ts, wasm, 2026-11-26): 3 levels 16/32/64, one block
// per level, window attention only at the lowest level (8x8 windows there), pixel-shuffle head.
// ~0.75 M parameters; 64x64 -> 256x256 forward faster than UpscalerJS esrgan-slim x4 in the same run.
const TINY: SrUnetConfig = {
  scale: 4,
  modelChannels: 16,
  channelMult: [1, 2, 4],
  numBlocks: 1,
  attnLevels: [2],
  windowSize: 8,
  numHeads: 2,
  mlpRatio: 2,
  dropout: 0,
  embChannels: 16,
  head: 'pixel-shuffle',
  resCon: true,
  attnChannels: 32,
};

/** The named configurations. Treat as read-only (use `resolveSrUnetConfig` for copies). */
export const SR_UNET_PRESETS: { official: SrUnetConfig; small: SrUnetConfig; tiny: SrUnetConfig } = {
  official: OFFICIAL,
  small: SMALL,
  tiny: TINY,
};

const KEYS: ReadonlyArray<keyof SrUnetConfig> = [
  'scale',
  'modelChannels',
  'channelMult',
  'numBlocks',
  'attnLevels',
  'windowSize',
  'numHeads',
  'mlpRatio',
  'dropout',
  'embChannels',
  'head',
  'resCon',
  'headChannels',
  'attnChannels',
];

const REQUIRED_KEYS = KEYS.filter((k) => k !== 'headChannels' && k !== 'attnChannels');

function fail(arg: string, expected: string, actual: unknown): never {
  throw new Error(`resolveSrUnetConfig: '${arg}' must be ${expected}, got ${JSON.stringify(actual)}`);
}

function posInt(name: string, v: unknown): void {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) fail(name, 'an integer >= 1', v);
}

/** GroupNorm group count used for a width C: min(32, C/4) (EDM). C must be divisible by 4. */
export function groupsFor(channels: number): number {
  return Math.min(32, Math.floor(channels / 4));
}

function checkNormWidth(name: string, c: number): void {
  const g = groupsFor(c);
  if (c % 4 !== 0 || g < 1 || c % g !== 0) fail(name, 'divisible by 4 and by min(32, C/4) (GroupNorm)', c);
}

/** Throws a message naming the first invalid field; returns a frozen deep copy otherwise. */
function validate(c: SrUnetConfig): SrUnetConfig {
  posInt('scale', c.scale);
  posInt('modelChannels', c.modelChannels);
  if (!Array.isArray(c.channelMult) || c.channelMult.length < 1)
    fail('channelMult', 'a non-empty array', c.channelMult);
  c.channelMult.forEach((m, i) => {
    posInt(`channelMult[${i}]`, m);
    checkNormWidth(`channelMult[${i}] * modelChannels`, m * c.modelChannels);
  });
  posInt('numBlocks', c.numBlocks);
  if (!Array.isArray(c.attnLevels)) fail('attnLevels', 'an array of level indices', c.attnLevels);
  for (const l of c.attnLevels) {
    if (!Number.isInteger(l) || l < 0 || l >= c.channelMult.length) {
      fail('attnLevels', `level indices in [0, ${c.channelMult.length - 1}]`, c.attnLevels);
    }
  }
  posInt('windowSize', c.windowSize);
  posInt('numHeads', c.numHeads);
  posInt('mlpRatio', c.mlpRatio);
  if (typeof c.dropout !== 'number' || !(c.dropout >= 0 && c.dropout < 1))
    fail('dropout', 'a number in [0, 1)', c.dropout);
  posInt('embChannels', c.embChannels);
  if (c.embChannels % 2 !== 0 || c.embChannels < 4) fail('embChannels', 'even and >= 4', c.embChannels);
  if (c.head !== 'nearest-conv' && c.head !== 'pixel-shuffle')
    fail('head', "'nearest-conv' or 'pixel-shuffle'", c.head);
  if (c.head === 'nearest-conv' && (c.scale & (c.scale - 1)) !== 0) {
    fail('scale', "a power of 2 for head 'nearest-conv'", c.scale);
  }
  if (typeof c.resCon !== 'boolean') fail('resCon', 'a boolean', c.resCon);
  if (c.headChannels !== undefined) posInt('headChannels', c.headChannels);
  const attnC = c.attnChannels ?? c.modelChannels;
  if (c.attnChannels !== undefined) posInt('attnChannels', c.attnChannels);
  if (c.attnLevels.length > 0) {
    checkNormWidth('attnChannels', attnC);
    if (attnC % c.numHeads !== 0) fail('numHeads', `a divisor of the attention width ${attnC}`, c.numHeads);
  }
  const copy: SrUnetConfig = { ...c, channelMult: [...c.channelMult], attnLevels: [...c.attnLevels] };
  return copy;
}

/**
 * A complete, validated config from a preset name, a full config, or a partial config on top of
 * a preset (`{ preset: 'tiny', modelChannels: 48 }`). Without `preset`, an object that has every
 * required field is taken as it is; otherwise its fields are laid over `tiny`.
 * Unknown keys are an error that names them.
 */
export function resolveSrUnetConfig(
  c: PresetName | SrUnetConfig | (Partial<SrUnetConfig> & { preset?: PresetName }),
): SrUnetConfig {
  if (typeof c === 'string') {
    if (!(c in SR_UNET_PRESETS)) fail('preset', "'tiny', 'small' or 'official'", c);
    return validate(SR_UNET_PRESETS[c]);
  }
  if (c == null || typeof c !== 'object') fail('config', 'a preset name or an object', c);
  const { preset, ...rest } = c as Partial<SrUnetConfig> & { preset?: PresetName };
  const bad = Object.keys(rest).filter((k) => !(KEYS as readonly string[]).includes(k));
  if (bad.length > 0) {
    throw new Error(
      `resolveSrUnetConfig: unknown key(s) ${bad.map((k) => `'${k}'`).join(', ')}; known: ${KEYS.join(', ')}`,
    );
  }
  // A complete config without `preset` stands alone: optional fields of a preset must not leak in.
  const complete = REQUIRED_KEYS.every((k) => k in rest);
  if (preset !== undefined && !(preset in SR_UNET_PRESETS))
    fail('preset', "'tiny', 'small' or 'official'", preset);
  const base = preset === undefined && complete ? {} : SR_UNET_PRESETS[preset ?? 'tiny'];
  const merged = { ...base, ...rest } as SrUnetConfig;
  for (const k of Object.keys(rest) as (keyof SrUnetConfig)[]) {
    if (rest[k] === undefined && k !== 'headChannels' && k !== 'attnChannels') fail(k, 'defined', undefined);
  }
  return validate(merged);
}

/** Width of level `level`: modelChannels * channelMult[level]. */
export function levelChannels(c: SrUnetConfig, level: number): number {
  return c.modelChannels * c.channelMult[level];
}
