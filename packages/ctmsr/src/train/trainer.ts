/**
 * The CTMSR trainer: consistency training (then CT + DTM) of an `SrUnet` on photographs.
 *
 * One iteration k (method.md §2.2, §3):
 *   hr = crops(k); (y, u, l) = degrade(hr, k); plan = planCtStep(k)   [all seeded by (seed, k)]
 *   target = sg(D_target(x_n, sigma_n, l))                            [outside the gradient tape]
 *   loss = L_CT(D_online(x_n+1, sigma_n+1, l), target) (+ L_DTM when k >= ct.iterations)
 *   AdamW step (lr from MultiStepLR, optional clipping / accumulation), then EMA update.
 * Every random choice is a function of (seed, k), so resuming from a checkpoint reproduces the
 * uninterrupted run's losses exactly.
 */
import {
  AdamW,
  type CtBatch,
  clipByGlobalNorm,
  ctLoss,
  ctTarget,
  type DistanceName,
  distanceByName,
  Ema,
  GradientAccumulator,
  learningRateAt,
  planCtStep,
  type WeightedDistance,
} from '@ctmsr/consistency-training';
import { dtmLoss, dtmOutput, FrozenModelSchedule, planDtmStep } from '@ctmsr/dtm-loss';
import { type Denoiser, precondition } from '@ctmsr/pf-ode';
import { SrUnet, type SrUnetConfig } from '@ctmsr/sr-unet';
import * as tf from '@tensorflow/tfjs-core';
import { type TrainConfig, totalIterations } from './config.js';
import { makePairs } from './pairs.js';
import type { PhotoDataset } from './photo-dataset.js';

export interface StepRecord {
  step: number;
  loss: number;
  terms: Record<string, number>;
  lr: number;
  n: number;
  sigma: number;
  degradation: string;
  gradNorm?: number;
  /** Wall time of the phases, ms. */
  ms: { data: number; target: number; onlineFwdBwd: number; optimizer: number; total: number };
}

/** Serializable trainer counters stored in checkpoints. */
export interface TrainerState {
  step: number;
  emaUpdates: number;
  optimizerStep: number;
  config: TrainConfig;
  frozenRefreshedAt: number | null;
}

/** Raised when a loss or gradient is NaN/Inf; nothing was applied for that step. */
export class NonFiniteLossError extends Error {
  constructor(readonly step: number) {
    super(`training stopped: non-finite loss at step ${step}; the weights of this step were not updated`);
  }
}

/** The sr-unet config a train config describes (preset plus overrides). */
export function modelConfig(config: TrainConfig): SrUnetConfig | 'tiny' | 'small' | 'official' {
  const o = config.model.overrides;
  return Object.keys(o).length === 0
    ? config.model.preset
    : ({ preset: config.model.preset, ...o } as unknown as SrUnetConfig);
}

function weightedDistances(list: { name: string; weight: number }[]): WeightedDistance[] {
  return list.map(({ name, weight }) => ({ name, weight, distance: distanceByName(name as DistanceName) }));
}

export class Trainer {
  readonly net: SrUnet;
  readonly ema: Ema;
  readonly optimizer: AdamW;
  /** Frozen DTM copy (null until the DTM stage starts). */
  frozen: SrUnet | null = null;
  frozenRefreshedAt: number | null = null;
  step = 0;
  private evalNet: SrUnet | null = null;
  private readonly tfNameToParam: Map<string, string>;
  private readonly ctDistances: WeightedDistance[];
  private readonly dtmDistances: WeightedDistance[];
  private readonly dtmSchedule: FrozenModelSchedule;

  constructor(
    readonly config: TrainConfig,
    readonly dataset: PhotoDataset,
  ) {
    this.net = SrUnet.create(modelConfig(config), config.seed);
    this.ema = new Ema(this.net.variables, config.ema);
    this.optimizer = new AdamW({
      lr: config.optim.lr,
      beta1: config.optim.beta1,
      beta2: config.optim.beta2,
      eps: config.optim.eps,
      weightDecay: config.optim.weightDecay,
    });
    this.tfNameToParam = new Map(this.net.variables.map((v) => [v.variable.name, v.name]));
    this.ctDistances = weightedDistances(config.ct.distances);
    this.dtmDistances = weightedDistances(config.dtm.distances);
    this.dtmSchedule = new FrozenModelSchedule({
      ctIterations: config.ct.iterations,
      refreshEvery: config.dtm.refreshEvery,
    });
  }

  /** Options of the DTM objective from the config. */
  private get dtmOptions() {
    const d = this.config.dtm;
    return {
      weight: d.weight,
      numSteps: d.numSteps,
      tMin: d.tMin,
      tMax: d.tMax,
      refreshEvery: d.refreshEvery,
      weighting: d.weighting,
      input: d.input,
      sigmaMax: this.config.ct.sigmaMax,
    };
  }

  /**
   * Before iteration k (1-based, as the reference counts): create the frozen DTM model from the
   * EMA weights when DTM starts (reference: loaded from the CT checkpoint's `params_ema`), and
   * replace it by the online weights every `refreshEvery` iterations (self-iterative, §3.2).
   */
  private prepareFrozen(k: number): void {
    if (!this.dtmSchedule.isActive(k)) return;
    if (this.frozen == null) {
      this.frozen = this.net.clone();
      const w = this.ema.getWeights();
      this.frozen.setWeights(w);
      tf.dispose(Object.values(w));
    }
    if (this.dtmSchedule.shouldRefresh(k)) {
      this.frozen.copyWeightsFrom(this.net);
      this.frozenRefreshedAt = k;
    }
  }

  /** The learning rate used by the next step. */
  get learningRate(): number {
    const o = this.config.optim;
    return learningRateAt(this.step, {
      lr: o.lr,
      milestones: o.milestones,
      gamma: o.gamma,
      warmupSteps: o.warmupSteps,
    });
  }

  private denoiser(net: SrUnet, training: boolean, dropoutSeed: number): Denoiser {
    return precondition(net.rawNetwork({ training, dropoutSeed }), { sigmaScale: this.config.ct.sigmaScale });
  }

  /** One micro-batch: returns gradients keyed by parameter name and the loss terms. */
  private async microStep(k: number, micro: number) {
    const c = this.config;
    const t0 = performance.now();
    // Draw index of this micro-batch; k is the 1-based iteration of the reference.
    const draw = (k - 1) * c.optim.accumulate + micro;
    const hr = this.dataset.batch(draw, c.seed, c.data.batchSize, c.data.hrCrop, c.data.augment);
    const batch: CtBatch & { degradation: string } = makePairs(
      hr,
      c.data.scale,
      c.data.degradation,
      c.data.bicubicFraction,
      c.seed,
      draw,
    );
    hr.dispose();
    const plan = planCtStep(k, c.seed + micro, batch.y.shape as [number, number, number, number], {
      schedule: {
        sigmaMin: c.ct.sigmaMin,
        sigmaMax: c.ct.sigmaMax,
        noiseRho: c.ct.noiseRho,
        resMin: 0,
        resMax: 1,
        resRho: c.ct.resRho,
      },
      curriculum: { s0: c.ct.s0, s1: c.ct.s1, totalIterations: totalIterations(c) },
    });
    await batch.y.data(); // settle the data phase for timing
    const t1 = performance.now();
    const targetNet = c.ct.target === 'ema' ? this.emaNetwork() : this.net;
    const target = ctTarget(
      this.denoiser(targetNet, c.ct.target === 'online', plan.dropoutSeeds.target),
      batch,
      plan,
    );
    await target.data();
    const t2 = performance.now();
    const online = this.denoiser(this.net, true, plan.dropoutSeeds.online);
    const dtmOn = this.frozen != null && this.dtmSchedule.isActive(k);
    const shape = batch.y.shape as [number, number, number, number];
    const dplan = dtmOn ? planDtmStep(k, c.seed + micro, shape, plan.levels, this.dtmOptions) : null;
    const frozen = dtmOn && this.frozen ? this.denoiser(this.frozen, false, 0) : null;
    const termTensors: Record<string, tf.Scalar> = {};
    const { value, grads } = tf.variableGrads(
      () => {
        const r = ctLoss(online, batch, plan, target, {
          distances: this.ctDistances,
          pixelWeight: c.ct.pixelWeight,
        });
        for (const [name, t] of Object.entries(r.terms)) termTensors[name] = t;
        if (dplan == null || frozen == null) {
          r.output.dispose();
          return r.loss;
        }
        // DTM (method.md §3): pull the output toward sg(output - g); one backward pass for both.
        const out = dtmOutput(dplan, online, batch, r.output);
        const d = dtmLoss(frozen, out, batch, dplan, this.dtmDistances, this.dtmOptions);
        for (const [name, t] of Object.entries(d.terms)) termTensors[name] = t;
        return tf.add(r.loss, d.loss) as tf.Scalar;
      },
      this.net.variables.map((v) => v.variable),
    );
    dplan?.eps.dispose();
    const loss = (await value.data())[0];
    const terms: Record<string, number> = {};
    for (const [name, t] of Object.entries(termTensors)) terms[name] = (await t.data())[0];
    const named: Record<string, tf.Tensor> = {};
    for (const [tfName, g] of Object.entries(grads)) named[this.tfNameToParam.get(tfName) ?? tfName] = g;
    const t3 = performance.now();
    const level = plan.levels[plan.n + 1];
    tf.dispose([value, target, plan.eps, batch.y, batch.u, batch.lq, ...Object.values(termTensors)]);
    return {
      loss,
      terms,
      grads: named,
      n: plan.n,
      sigma: level.sigma,
      degradation: batch.degradation,
      ms: [t1 - t0, t2 - t1, t3 - t2],
    };
  }

  /** Runs iteration `this.step` and advances it. Throws NonFiniteLossError without updating on NaN/Inf. */
  async trainStep(): Promise<StepRecord> {
    const c = this.config;
    const k = this.step + 1; // the reference counts iterations from 1
    const start = performance.now();
    this.prepareFrozen(k);
    const lr = this.learningRate;
    const acc = new GradientAccumulator();
    let loss = 0;
    const terms: Record<string, number> = {};
    const ms = { data: 0, target: 0, onlineFwdBwd: 0, optimizer: 0, total: 0 };
    let last = { n: 0, sigma: 0, degradation: '' };
    try {
      for (let m = 0; m < c.optim.accumulate; m++) {
        const r = await this.microStep(k, m);
        acc.add(r.grads);
        tf.dispose(Object.values(r.grads));
        loss += r.loss / c.optim.accumulate;
        for (const [name, v] of Object.entries(r.terms))
          terms[name] = (terms[name] ?? 0) + v / c.optim.accumulate;
        ms.data += r.ms[0];
        ms.target += r.ms[1];
        ms.onlineFwdBwd += r.ms[2];
        last = r;
      }
      if (!Number.isFinite(loss)) throw new NonFiniteLossError(this.step);
      const t0 = performance.now();
      let grads = acc.takeMean();
      let gradNorm: number | undefined;
      if (c.optim.clipGradNorm > 0) {
        const clipped = await clipByGlobalNorm(grads, c.optim.clipGradNorm);
        tf.dispose(Object.values(grads));
        grads = clipped.grads;
        gradNorm = clipped.norm;
        if (!Number.isFinite(gradNorm)) {
          tf.dispose(Object.values(grads));
          throw new NonFiniteLossError(this.step);
        }
      }
      this.optimizer.apply(this.net.variables, grads, lr);
      tf.dispose(Object.values(grads));
      this.ema.update(this.net.variables);
      await this.net.variables[0].variable.data();
      ms.optimizer = performance.now() - t0;
      ms.total = performance.now() - start;
      this.step++;
      return {
        step: k,
        loss,
        terms,
        lr,
        n: last.n,
        sigma: last.sigma,
        degradation: last.degradation,
        gradNorm,
        ms,
      };
    } finally {
      acc.dispose();
    }
  }

  /** A network holding the current EMA weights (reused between calls). */
  emaNetwork(): SrUnet {
    if (this.evalNet == null) this.evalNet = this.net.clone();
    const w = this.ema.getWeights();
    this.evalNet.setWeights(w);
    tf.dispose(Object.values(w));
    return this.evalNet;
  }

  /** Counters and config for a checkpoint. */
  state(): TrainerState {
    return {
      step: this.step,
      emaUpdates: this.ema.updates,
      optimizerStep: this.optimizer.step,
      config: this.config,
      frozenRefreshedAt: this.frozenRefreshedAt,
    };
  }

  /** Named tensor groups for a checkpoint (clones; the caller disposes them). */
  tensorGroups(): Record<string, Record<string, tf.Tensor>> {
    const opt = this.optimizer.getState();
    const groups: Record<string, Record<string, tf.Tensor>> = {
      online: this.net.getWeights(),
      ema: this.ema.getWeights(),
      adamM: opt.m,
      adamV: opt.v,
    };
    if (this.frozen) groups.frozen = this.frozen.getWeights();
    return groups;
  }

  /** Restores a checkpoint's state and tensors (the tensors stay owned by the caller). */
  restore(state: TrainerState, groups: Record<string, Record<string, tf.Tensor>>): void {
    this.net.setWeights(groups.online);
    this.ema.setWeights(groups.ema, state.emaUpdates);
    this.optimizer.setState({ step: state.optimizerStep, m: groups.adamM ?? {}, v: groups.adamV ?? {} });
    if (groups.frozen) {
      this.frozen ??= this.net.clone();
      this.frozen.setWeights(groups.frozen);
    }
    this.frozenRefreshedAt = state.frozenRefreshedAt;
    this.step = state.step;
  }

  /**
   * Starts this (step-0) trainer from another run's checkpoint, as the reference's DTM fine-tune
   * does (method.md §2.4, C4a): the online network from the checkpoint's online weights, the EMA
   * from its EMA weights (DTM's frozen model is then taken from the EMA when DTM starts). The
   * optimiser state, the step counter and any frozen copy are not carried: the fine-tune counts
   * its own iterations from 1 with a fresh AdamW. Deviation: the EMA keeps the source's update
   * count, so an EMA warm-up does not restart (the reference's EMA has no warm-up). The tensors
   * stay owned by the caller; a weight missing or of another shape throws, naming it.
   */
  initFrom(state: Pick<TrainerState, 'emaUpdates'>, groups: Record<string, Record<string, tf.Tensor>>): void {
    if (this.step !== 0)
      throw new Error(
        `Trainer.initFrom: only a new trainer (step 0) can be initialised, this one is at step ${this.step}`,
      );
    if (!groups.online || !groups.ema) {
      throw new Error("Trainer.initFrom: the checkpoint lacks its 'online' or 'ema' weights");
    }
    this.net.setWeights(groups.online);
    this.ema.setWeights(groups.ema, state.emaUpdates);
  }

  dispose(): void {
    this.net.dispose();
    this.ema.dispose();
    this.optimizer.dispose();
    this.frozen?.dispose();
    this.evalNet?.dispose();
  }
}
