/**
 * Training configuration: defaults declared once, user files validated up front (an unknown key
 * or a wrong type is an error that names it).
 *
 * Defaults are this project's CPU recipe for the `tiny` preset; `configs/paper.json` holds the
 * paper's recipe (method.md §2.3, §3). Deviations of the default from the paper, each one line:
 * - `model.overrides.resCon = true` (tiny preset): F predicts a residual on bicubic(l), the
 *   reference's `res_con` option; the paper's config has it off (calibration.md: +3.9 dB at 10 min).
 * - `optim.lr = 5e-4`, betas (0.9, 0.99): calibration.md (paper: 5e-5, (0.9, 0.9)).
 * - `ema.warmup = true` (paper: constant 0.999).
 * - `data.hrCrop = 128`, `batchSize = 8`, flips/rotations on (paper: 256, 32, no augmentation).
 * - `ct.distances`: Charbonnier only (paper: 0.5 LPIPS-VGG + 0.5 Charbonnier; no LPIPS weights
 *   can be shipped).
 * - `dtm.distances`: squared L2 (paper: LPIPS-VGG only). L2 is DMD's form: the gradient of
 *   0.5 * mean((out - sg(out - g))^2) is g itself. Charbonnier, the other stand-in, has a gradient of
 *   unit size per pixel whatever |g| is; times the 'improved' weight 1/mean|y_hat - y| (~25 for a
 *   model near the data) it diverged when measured (docs/training.md, 2026-11-27).
 * - `data.degradation = 'mixed'`: half the batches clean bicubic x4, half Real-ESRGAN test-set
 *   degradations (§6.3) (paper: Real-ESRGAN training degradations §6.2 only).
 */

export type DegradationMode = 'bicubic' | 'real-esrgan' | 'real-esrgan-test' | 'mixed';

export interface TrainConfig {
  seed: number;
  model: { preset: 'tiny' | 'small' | 'official'; overrides: Record<string, unknown> };
  data: {
    scale: number;
    hrCrop: number;
    batchSize: number;
    augment: boolean;
    degradation: DegradationMode;
    /** With 'mixed': the fraction of batches degraded by clean bicubic x4. */
    bicubicFraction: number;
  };
  ct: {
    iterations: number;
    s0: number;
    s1: number;
    sigmaMin: number;
    sigmaMax: number;
    /**
     * The sigma rescaling of EDM's preconditioning (method.md §2.1: sigma/0.1 with the reference's
     * use_skip=True, sigma/0.001 without). Recorded in exported models; CTMSR uses it.
     */
    sigmaScale: number;
    noiseRho: number;
    resRho: number;
    pixelWeight: number;
    distances: { name: string; weight: number }[];
    /** 'online': a copy of the online weights each step (the reference); 'ema': the EMA weights. */
    target: 'online' | 'ema';
  };
  dtm: {
    iterations: number;
    weight: number;
    numSteps: number;
    tMin: number;
    tMax: number;
    refreshEvery: number;
    weighting: 'improved' | 'simple';
    input: 'ct-output' | 'one-step';
    distances: { name: string; weight: number }[];
  };
  optim: {
    lr: number;
    beta1: number;
    beta2: number;
    eps: number;
    weightDecay: number;
    milestones: number[];
    gamma: number;
    warmupSteps: number;
    clipGradNorm: number;
    accumulate: number;
  };
  ema: { decay: number; warmup: boolean };
  log: { every: number };
  checkpoint: { every: number; keep: number };
  validation: { every: number; maxImages: number; crop: number; seed: number };
}

export const DEFAULT_TRAIN_CONFIG: TrainConfig = {
  seed: 0,
  model: { preset: 'tiny', overrides: {} },
  data: { scale: 4, hrCrop: 128, batchSize: 8, augment: true, degradation: 'mixed', bicubicFraction: 0.5 },
  ct: {
    iterations: 20_000,
    s0: 3,
    s1: 3,
    sigmaMin: 0,
    sigmaMax: 1,
    sigmaScale: 0.1,
    noiseRho: 1,
    resRho: 1,
    pixelWeight: 1,
    distances: [{ name: 'charbonnier', weight: 1 }],
    target: 'online',
  },
  dtm: {
    iterations: 0,
    weight: 1.6,
    numSteps: 3,
    tMin: 0.1,
    tMax: 0.5,
    refreshEvery: 1000,
    weighting: 'improved',
    input: 'ct-output',
    distances: [{ name: 'l2', weight: 1 }],
  },
  optim: {
    lr: 5e-4,
    beta1: 0.9,
    beta2: 0.99,
    eps: 1e-8,
    weightDecay: 0,
    milestones: [],
    gamma: 0.5,
    warmupSteps: 0,
    clipGradNorm: 0,
    accumulate: 1,
  },
  ema: { decay: 0.999, warmup: true },
  log: { every: 10 },
  checkpoint: { every: 200, keep: 2 },
  validation: { every: 1000, maxImages: 6, crop: 256, seed: 1234 },
};

/** Keys whose values are free-form maps (checked elsewhere). */
const OPEN_MAPS = new Set(['model.overrides']);

function typeName(v: unknown): string {
  return Array.isArray(v) ? 'array' : v === null ? 'null' : typeof v;
}

function mergeChecked(def: unknown, user: unknown, path: string): unknown {
  if (user === undefined) return structuredClone(def);
  if (OPEN_MAPS.has(path)) {
    if (typeName(user) !== 'object')
      throw new Error(`train config: '${path}' must be an object, got ${typeName(user)}`);
    return structuredClone(user);
  }
  const dt = typeName(def);
  const ut = typeName(user);
  if (dt !== ut)
    throw new Error(
      `train config: '${path}' must be ${dt === 'object' ? 'an object' : `a ${dt}`}, got ${ut}`,
    );
  if (dt === 'object') {
    const d = def as Record<string, unknown>;
    const u = user as Record<string, unknown>;
    for (const key of Object.keys(u)) {
      if (!(key in d)) {
        throw new Error(
          `train config: unknown key '${path ? `${path}.` : ''}${key}' (known: ${Object.keys(d).join(', ')})`,
        );
      }
    }
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(d)) out[key] = mergeChecked(d[key], u[key], path ? `${path}.${key}` : key);
    return out;
  }
  return structuredClone(user);
}

function oneOf(path: string, v: string, allowed: string[]): void {
  if (!allowed.includes(v))
    throw new Error(`train config: '${path}' must be one of ${allowed.join(', ')}, got '${v}'`);
}

function positiveInt(path: string, v: number, min = 1): void {
  if (!Number.isInteger(v) || v < min)
    throw new Error(`train config: '${path}' must be an integer >= ${min}, got ${v}`);
}

/** Merges a user config (parsed JSON) over the defaults and validates it. */
export function resolveTrainConfig(user: unknown = {}): TrainConfig {
  const c = mergeChecked(DEFAULT_TRAIN_CONFIG, user, '') as TrainConfig;
  oneOf('model.preset', c.model.preset, ['tiny', 'small', 'official']);
  oneOf('data.degradation', c.data.degradation, ['bicubic', 'real-esrgan', 'real-esrgan-test', 'mixed']);
  oneOf('ct.target', c.ct.target, ['online', 'ema']);
  oneOf('dtm.weighting', c.dtm.weighting, ['improved', 'simple']);
  oneOf('dtm.input', c.dtm.input, ['ct-output', 'one-step']);
  positiveInt('data.scale', c.data.scale, 2);
  positiveInt('data.batchSize', c.data.batchSize);
  positiveInt('data.hrCrop', c.data.hrCrop, 8);
  if (c.data.hrCrop % c.data.scale !== 0) {
    throw new Error(
      `train config: 'data.hrCrop' (${c.data.hrCrop}) must be a multiple of 'data.scale' (${c.data.scale})`,
    );
  }
  positiveInt('ct.iterations', c.ct.iterations, 0);
  positiveInt('dtm.iterations', c.dtm.iterations, 0);
  positiveInt('optim.accumulate', c.optim.accumulate);
  positiveInt('log.every', c.log.every);
  positiveInt('checkpoint.every', c.checkpoint.every);
  positiveInt('checkpoint.keep', c.checkpoint.keep);
  positiveInt('validation.every', c.validation.every);
  if (!(c.data.bicubicFraction >= 0 && c.data.bicubicFraction <= 1)) {
    throw new Error(`train config: 'data.bicubicFraction' must be in [0, 1], got ${c.data.bicubicFraction}`);
  }
  for (const key of ['sigmaMax', 'sigmaScale'] as const) {
    const v = c.ct[key];
    if (!(Number.isFinite(v) && v > 0))
      throw new Error(`train config: 'ct.${key}' must be a number > 0, got ${v}`);
  }
  if (c.ct.iterations + c.dtm.iterations < 1)
    throw new Error(`train config: 'ct.iterations' + 'dtm.iterations' must be >= 1`);
  for (const [i, d] of c.ct.distances.entries()) {
    if (typeof d?.name !== 'string' || typeof d?.weight !== 'number') {
      throw new Error(`train config: 'ct.distances[${i}]' must be {name: string, weight: number}`);
    }
  }
  return c;
}

/** Total iterations K = ct + dtm (the curriculum's horizon, as the reference's C6). */
export function totalIterations(c: TrainConfig): number {
  return c.ct.iterations + c.dtm.iterations;
}
