/**
 * Exponential moving average of weights (method.md §2.3; BasicSR `model_ema`):
 *   ema <- d_k * ema + (1 - d_k) * theta,   after each optimiser step
 * with the warm-up d_k = min(decay, (1 + k) / (10 + k)) when `warmup` is on (calibration.md:
 * without it early evaluations only measure the initial weights).
 * Deviations: the reference uses a constant 0.999 (no warm-up); warm-up is our default because
 * short CPU runs need it. `warmup: false` gives the reference behaviour.
 */
import * as tf from '@tensorflow/tfjs-core';
import { ownedVariable } from './owned-variable.js';

export interface EmaOptions {
  decay: number;
  warmup: boolean;
}

export const DEFAULT_EMA_OPTIONS: EmaOptions = { decay: 0.999, warmup: true };

/** The decay used at update number k (k = 0 for the first update). */
export function emaDecay(k: number, options: Partial<EmaOptions> = {}): number {
  const { decay, warmup } = { ...DEFAULT_EMA_OPTIONS, ...options };
  return warmup ? Math.min(decay, (1 + k) / (10 + k)) : decay;
}

/** Named EMA shadow weights of a set of variables. */
export class Ema {
  readonly options: EmaOptions;
  private readonly shadow = new Map<string, tf.Variable>();
  /** Number of updates applied so far. */
  updates = 0;

  constructor(
    params: ReadonlyArray<{ name: string; variable: tf.Variable }>,
    options: Partial<EmaOptions> = {},
  ) {
    this.options = { ...DEFAULT_EMA_OPTIONS, ...options };
    if (!(this.options.decay >= 0 && this.options.decay < 1)) {
      throw new Error(`Ema: 'decay' must be in [0, 1), got ${this.options.decay}`);
    }
    for (const { name, variable } of params) {
      if (this.shadow.has(name)) throw new Error(`Ema: duplicate parameter name '${name}'`);
      this.shadow.set(
        name,
        ownedVariable(() => tf.clone(variable)),
      );
    }
  }

  /** ema <- d ema + (1 - d) theta for every parameter. */
  update(params: ReadonlyArray<{ name: string; variable: tf.Variable }>): void {
    const d = emaDecay(this.updates, this.options);
    tf.tidy(() => {
      for (const { name, variable } of params) {
        const s = this.shadow.get(name);
        if (s == null) throw new Error(`Ema.update: unknown parameter '${name}'`);
        s.assign(tf.add(tf.mul(s, d), tf.mul(variable, 1 - d)));
      }
    });
    this.updates++;
  }

  /** Clones of the shadow weights by name (the caller disposes them). */
  getWeights(): Record<string, tf.Tensor> {
    const out: Record<string, tf.Tensor> = {};
    for (const [name, v] of this.shadow) out[name] = tf.clone(v);
    return out;
  }

  /** Overwrites the shadow weights (e.g. on resume); names and shapes must match. */
  setWeights(weights: Record<string, tf.Tensor>, updates: number): void {
    for (const [name, v] of this.shadow) {
      const w = weights[name];
      if (w == null) throw new Error(`Ema.setWeights: missing '${name}'`);
      if (w.shape.join(',') !== v.shape.join(',')) {
        throw new Error(`Ema.setWeights: '${name}' has shape [${w.shape}], expected [${v.shape}]`);
      }
      v.assign(w);
    }
    this.updates = updates;
  }

  dispose(): void {
    for (const v of this.shadow.values()) v.dispose();
    this.shadow.clear();
  }
}
