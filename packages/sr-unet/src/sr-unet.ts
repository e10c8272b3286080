/**
 * `SrUnet`: the CTMSR raw network F with its weights held in tf.Variables (method.md §4).
 * Wrap `rawNetwork()` with `precondition()` from @ctmsr/pf-ode to get the denoiser D (§2.1).
 */
import type { RawNetwork } from '@ctmsr/pf-ode';
import * as tf from '@tensorflow/tfjs-core';
import { type PresetName, resolveSrUnetConfig, type SrUnetConfig } from './config.js';
import { type ForwardOptions, rawForward } from './forward.js';
import { initialValues } from './init.js';
import { buildLayout, type Layout, requiredMultiple } from './layout.js';

export interface NamedVariable {
  name: string;
  variable: tf.Variable;
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

export class SrUnet {
  readonly config: SrUnetConfig;
  /** All parameters in layout order, with the stable names documented in layout.ts. */
  readonly variables: ReadonlyArray<NamedVariable>;
  private readonly layout: Layout;
  private readonly byName: Map<string, tf.Variable>;
  private disposed = false;

  private constructor(config: SrUnetConfig, values: (name: string, index: number) => tf.Tensor) {
    this.config = config;
    this.layout = buildLayout(config);
    const vars: NamedVariable[] = [];
    this.byName = new Map();
    this.layout.params.forEach((spec, i) => {
      const t = values(spec.name, i);
      const variable = tf.variable(t, true);
      t.dispose();
      vars.push({ name: spec.name, variable });
      this.byName.set(spec.name, variable);
    });
    this.variables = Object.freeze(vars);
  }

  /**
   * A new network with seeded initial weights (method.md §4.2), identical on every backend.
   * @param config a preset name or a config (validated by `resolveSrUnetConfig`).
   * @param seed integer seed of the initialisation (default 0).
   */
  static create(config: SrUnetConfig | PresetName, seed = 0): SrUnet {
    const cfg = resolveSrUnetConfig(config);
    const layout = buildLayout(cfg);
    return new SrUnet(cfg, (name, i) => {
      const spec = layout.params[i];
      const size = spec.shape.reduce((a, b) => a * b, 1);
      return tf.tensor(initialValues(name, size, spec.init, seed), spec.shape, 'float32');
    });
  }

  private check(fn: string): void {
    if (this.disposed) throw new Error(`SrUnet.${fn}: the network has been disposed`);
  }

  private param = (name: string): tf.Tensor => {
    const v = this.byName.get(name);
    if (!v) throw new Error(`SrUnet: no parameter named '${name}'`);
    return v;
  };

  /**
   * F(x_in, c_noise, l): x_in [B, s*h, s*w, 3], cNoise [B], lq [B, h, w, 3] -> [B, s*h, s*w, 3].
   * h and w must be multiples of `requiredMultiple()`.
   */
  forward(xIn: tf.Tensor4D, cNoise: tf.Tensor1D, lq: tf.Tensor4D, options: ForwardOptions = {}): tf.Tensor4D {
    this.check('forward');
    return rawForward(this.config, this.layout, this.param, xIn, cNoise, lq, options);
  }

  /** F as a closure, for `precondition()` of @ctmsr/pf-ode. */
  rawNetwork(options: ForwardOptions = {}): RawNetwork {
    return (xIn, cNoise, lq, cond) =>
      this.forward(xIn, cNoise, lq, cond?.u ? { ...options, bicubic: cond.u } : options);
  }

  /** Total number of scalar parameters. */
  parameterCount(): number {
    return this.variables.reduce((n, v) => n + v.variable.size, 0);
  }

  /** LR height and width must be multiples of this. */
  requiredMultiple(): number {
    return requiredMultiple(this.config);
  }

  /** Copies of all weights by name (the caller disposes them). */
  getWeights(): Record<string, tf.Tensor> {
    this.check('getWeights');
    const out: Record<string, tf.Tensor> = {};
    for (const { name, variable } of this.variables) out[name] = tf.clone(variable);
    return out;
  }

  /**
   * Assigns all weights. The names must be exactly this network's names and the shapes must match;
   * the error names the first mismatch. Nothing is assigned when any check fails.
   */
  setWeights(w: Record<string, tf.Tensor>): void {
    this.check('setWeights');
    for (const { name, variable } of this.variables) {
      const t = w[name];
      if (!t)
        throw new Error(`SrUnet.setWeights: missing tensor '${name}' (expected shape [${variable.shape}])`);
      if (!sameShape(t.shape, variable.shape)) {
        throw new Error(
          `SrUnet.setWeights: tensor '${name}' has shape [${t.shape}], expected [${variable.shape}]`,
        );
      }
      if (t.dtype !== 'float32')
        throw new Error(`SrUnet.setWeights: tensor '${name}' has dtype ${t.dtype}, expected float32`);
    }
    const extra = Object.keys(w).find((k) => !this.byName.has(k));
    if (extra !== undefined)
      throw new Error(`SrUnet.setWeights: unexpected tensor '${extra}' (not a parameter of this config)`);
    for (const { name, variable } of this.variables) variable.assign(w[name]);
  }

  /** Assigns `other`'s weights in place (same config); creates no variables. */
  copyWeightsFrom(other: SrUnet): void {
    this.check('copyWeightsFrom');
    other.check('copyWeightsFrom');
    if (other.variables.length !== this.variables.length) {
      throw new Error(
        `SrUnet.copyWeightsFrom: other has ${other.variables.length} parameters, this has ${this.variables.length}`,
      );
    }
    this.variables.forEach(({ name, variable }, i) => {
      const o = other.variables[i];
      if (o.name !== name || !sameShape(o.variable.shape, variable.shape)) {
        throw new Error(
          `SrUnet.copyWeightsFrom: parameter '${name}' [${variable.shape}] vs other '${o.name}' [${o.variable.shape}]`,
        );
      }
    });
    this.variables.forEach(({ variable }, i) => {
      variable.assign(other.variables[i].variable);
    });
  }

  /** A deep copy with new variables. */
  clone(): SrUnet {
    this.check('clone');
    return new SrUnet(this.config, (_name, i) => tf.clone(this.variables[i].variable));
  }

  /** Frees all variables. */
  dispose(): void {
    if (this.disposed) return;
    for (const { variable } of this.variables) variable.dispose();
    this.disposed = true;
  }
}
