/**
 * Options of `upscale` (all optional) and their defaults, declared once.
 */

/** Progress of one upscale call: tiles done out of all tiles (ensemble members and alpha included). */
export interface UpscaleProgress {
  completed: number;
  total: number;
}

export interface UpscaleOptions {
  /**
   * Network evaluations: 1 (the paper's one-step sampler, method.md §5.1) or more (the
   * consistency multi-step sampler of @ctmsr/pf-ode; 2 and 4 are the useful values).
   */
  steps?: number;
  /** Seed of the global noise field: the same seed gives the same pixels. */
  seed?: number;
  /** Tile side in LR pixels (rounded down to the network's required multiple). Default: from the backend. */
  tileSize?: number;
  /** Overlap between neighbouring tiles in LR pixels (at most half a tile). */
  overlap?: number;
  /** Called after each tile. Calling `abort()` on the signal from here stops the run. */
  onProgress?: (progress: UpscaleProgress) => void;
  /** Aborting it makes `upscale` reject with the signal's reason (an AbortError); no tensors leak. */
  signal?: AbortSignal;
  /**
   * sigma_max, the noise level the sampler starts from (x_T = u + sigma_max * eps). Defaults to
   * the value the model was trained with (`CTMSR.model.sigmaMax`: its manifest's training config,
   * else 1); smaller values stay closer to the input, a fidelity/realism dial.
   */
  sigmaMax?: number;
  /** Average the results of the 8 flips/transposes (x8 slower; smoother, less noise). */
  selfEnsemble?: boolean;
}

/** Defaults of the numeric options. `tileSize` has none: it comes from the backend (auto-tile-size.ts). */
export const DEFAULT_UPSCALE_OPTIONS = {
  steps: 1,
  seed: 0,
  overlap: 16,
  sigmaMax: 1,
  selfEnsemble: false,
} as const;

/** Options after defaults and validation; `tileSize` is undefined when automatic. */
export interface ResolvedUpscaleOptions {
  steps: number;
  seed: number;
  tileSize: number | undefined;
  overlap: number;
  sigmaMax: number;
  selfEnsemble: boolean;
  onProgress: ((progress: UpscaleProgress) => void) | undefined;
  signal: AbortSignal | undefined;
}

function intOption(name: string, v: unknown, min: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) {
    throw new Error(`upscale: option '${name}' must be an integer >= ${min}, got ${JSON.stringify(v)}`);
  }
  return v;
}

const KNOWN = new Set([
  'steps',
  'seed',
  'tileSize',
  'overlap',
  'onProgress',
  'signal',
  'sigmaMax',
  'selfEnsemble',
  'output',
  'quality',
]);

/** Applies defaults and validates; errors name the option, the expectation and the value. */
export function resolveUpscaleOptions(options: UpscaleOptions = {}): ResolvedUpscaleOptions {
  const unknown = Object.keys(options).filter((k) => !KNOWN.has(k));
  if (unknown.length > 0) {
    throw new Error(`upscale: unknown option(s) ${unknown.map((k) => `'${k}'`).join(', ')}`);
  }
  const d = DEFAULT_UPSCALE_OPTIONS;
  const steps = intOption('steps', options.steps ?? d.steps, 1);
  const seed = options.seed ?? d.seed;
  if (typeof seed !== 'number' || !Number.isSafeInteger(seed)) {
    throw new Error(`upscale: option 'seed' must be an integer, got ${JSON.stringify(seed)}`);
  }
  const tileSize = options.tileSize == null ? undefined : intOption('tileSize', options.tileSize, 1);
  const overlap = intOption('overlap', options.overlap ?? d.overlap, 0);
  const sigmaMax = options.sigmaMax ?? d.sigmaMax;
  if (typeof sigmaMax !== 'number' || !Number.isFinite(sigmaMax) || sigmaMax <= 0) {
    throw new Error(
      `upscale: option 'sigmaMax' must be a finite number > 0, got ${JSON.stringify(sigmaMax)}`,
    );
  }
  const selfEnsemble = options.selfEnsemble ?? d.selfEnsemble;
  if (typeof selfEnsemble !== 'boolean') {
    throw new Error(`upscale: option 'selfEnsemble' must be a boolean, got ${JSON.stringify(selfEnsemble)}`);
  }
  if (options.onProgress != null && typeof options.onProgress !== 'function') {
    throw new Error(`upscale: option 'onProgress' must be a function`);
  }
  return {
    steps,
    seed,
    tileSize,
    overlap,
    sigmaMax,
    selfEnsemble,
    onProgress: options.onProgress,
    signal: options.signal,
  };
}
