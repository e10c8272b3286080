/**
 * AdamW (Loshchilov & Hutter, "Decoupled Weight Decay Regularization", ICLR 2019), written to
 * match PyTorch's `torch.optim.AdamW` step for step (tfjs has no AdamW):
 *
 *   theta <- theta * (1 - lr * wd)
 *   m <- b1 m + (1 - b1) g;   v <- b2 v + (1 - b2) g^2
 *   theta <- theta - (lr / (1 - b1^t)) * m / (sqrt(v) / sqrt(1 - b2^t) + eps)
 *
 * Reference defaults (method.md §2.3): lr 5e-5, betas (0.9, 0.9), weight decay 0, eps 1e-8.
 */
import * as tf from '@tensorflow/tfjs-core';
import { ownedVariable } from './owned-variable.js';

export interface AdamWOptions {
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
  weightDecay: number;
}

export const DEFAULT_ADAMW_OPTIONS: AdamWOptions = {
  lr: 5e-5,
  beta1: 0.9,
  beta2: 0.9,
  eps: 1e-8,
  weightDecay: 0,
};

export type NamedVariables = ReadonlyArray<{ name: string; variable: tf.Variable }>;

/** Serializable optimiser state: step count and the two moments by parameter name. */
export interface AdamWState {
  step: number;
  m: Record<string, tf.Tensor>;
  v: Record<string, tf.Tensor>;
}

export class AdamW {
  readonly options: AdamWOptions;
  /** Number of steps taken (t). */
  step = 0;
  private readonly m = new Map<string, tf.Variable>();
  private readonly v = new Map<string, tf.Variable>();

  constructor(options: Partial<AdamWOptions> = {}) {
    this.options = { ...DEFAULT_ADAMW_OPTIONS, ...options };
    const o = this.options;
    const check = (name: string, value: number, lo: number, hi: number) => {
      if (!(Number.isFinite(value) && value >= lo && value < hi)) {
        throw new Error(`AdamW: '${name}' must be in [${lo}, ${hi}), got ${value}`);
      }
    };
    check('lr', o.lr, 0, Number.POSITIVE_INFINITY);
    check('beta1', o.beta1, 0, 1);
    check('beta2', o.beta2, 0, 1);
    check('eps', o.eps, 0, Number.POSITIVE_INFINITY);
    check('weightDecay', o.weightDecay, 0, Number.POSITIVE_INFINITY);
  }

  private moments(name: string, like: tf.Tensor): [tf.Variable, tf.Variable] {
    let m = this.m.get(name);
    let v = this.v.get(name);
    if (m == null || v == null) {
      m = ownedVariable(() => tf.zerosLike(like));
      v = ownedVariable(() => tf.zerosLike(like));
      this.m.set(name, m);
      this.v.set(name, v);
    }
    return [m, v];
  }

  /**
   * One update of every variable that has a gradient in `grads` (keyed by parameter name).
   * @param lr the learning rate for this step (from a schedule); defaults to options.lr.
   */
  apply(params: NamedVariables, grads: Record<string, tf.Tensor>, lr = this.options.lr): void {
    const { beta1, beta2, eps, weightDecay } = this.options;
    this.step++;
    const t = this.step;
    const stepSize = lr / (1 - beta1 ** t);
    const bc2Sqrt = Math.sqrt(1 - beta2 ** t);
    tf.tidy(() => {
      for (const { name, variable } of params) {
        const g = grads[name];
        if (g == null) continue;
        if (g.shape.join(',') !== variable.shape.join(',')) {
          throw new Error(
            `AdamW.apply: gradient of '${name}' has shape [${g.shape}], expected [${variable.shape}]`,
          );
        }
        const [m, v] = this.moments(name, variable);
        const theta = weightDecay > 0 ? tf.mul(variable, 1 - lr * weightDecay) : variable;
        m.assign(tf.add(tf.mul(m, beta1), tf.mul(g, 1 - beta1)));
        v.assign(tf.add(tf.mul(v, beta2), tf.mul(tf.square(g), 1 - beta2)));
        const denom = tf.add(tf.div(tf.sqrt(v), bc2Sqrt), eps);
        variable.assign(tf.sub(theta, tf.mul(tf.div(m, denom), stepSize)));
      }
    });
  }

  /** Clones of the state (the caller disposes the tensors). */
  getState(): AdamWState {
    const m: Record<string, tf.Tensor> = {};
    const v: Record<string, tf.Tensor> = {};
    for (const [k, t] of this.m) m[k] = tf.clone(t);
    for (const [k, t] of this.v) v[k] = tf.clone(t);
    return { step: this.step, m, v };
  }

  /** Restores a state saved by `getState` (copies the tensors). */
  setState(state: AdamWState): void {
    this.disposeMoments();
    for (const [k, t] of Object.entries(state.m))
      this.m.set(
        k,
        ownedVariable(() => tf.clone(t)),
      );
    for (const [k, t] of Object.entries(state.v))
      this.v.set(
        k,
        ownedVariable(() => tf.clone(t)),
      );
    this.step = state.step;
  }

  private disposeMoments(): void {
    for (const t of this.m.values()) t.dispose();
    for (const t of this.v.values()) t.dispose();
    this.m.clear();
    this.v.clear();
  }

  dispose(): void {
    this.disposeMoments();
  }
}
