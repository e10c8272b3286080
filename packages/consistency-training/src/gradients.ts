/**
 * Gradient utilities: global-norm clipping (Pascanu et al. 2013; PyTorch `clip_grad_norm_`) and
 * accumulation over micro-batches for large effective batches.
 */
import * as tf from '@tensorflow/tfjs-core';

/** sqrt(sum_i ||g_i||^2) over all gradients. */
export function globalNorm(grads: Record<string, tf.Tensor>): tf.Scalar {
  return tf.tidy(() => {
    const parts = Object.values(grads).map((g) => tf.sum(tf.square(g)));
    return tf.sqrt(parts.length ? tf.addN(parts) : tf.scalar(0)) as tf.Scalar;
  });
}

/**
 * Scales all gradients by min(1, maxNorm / (norm + 1e-6)), as PyTorch does. Returns new tensors
 * (the caller disposes both the inputs and the outputs) and the pre-clipping norm as a number.
 */
export async function clipByGlobalNorm(
  grads: Record<string, tf.Tensor>,
  maxNorm: number,
): Promise<{ grads: Record<string, tf.Tensor>; norm: number }> {
  if (!(maxNorm > 0)) throw new Error(`clipByGlobalNorm: 'maxNorm' must be > 0, got ${maxNorm}`);
  const n = globalNorm(grads);
  const norm = (await n.data())[0];
  n.dispose();
  const scale = Math.min(1, maxNorm / (norm + 1e-6));
  const out: Record<string, tf.Tensor> = {};
  for (const [k, g] of Object.entries(grads)) out[k] = scale === 1 ? tf.clone(g) : tf.mul(g, scale);
  return { grads: out, norm };
}

/** Sums gradients of several micro-batches; `mean()` divides by their count. */
export class GradientAccumulator {
  private sums: Record<string, tf.Tensor> = {};
  count = 0;

  /** Adds a micro-batch's gradients (does not take ownership of them). */
  add(grads: Record<string, tf.Tensor>): void {
    for (const [k, g] of Object.entries(grads)) {
      const prev = this.sums[k];
      this.sums[k] = prev == null ? tf.clone(g) : tf.add(prev, g);
      prev?.dispose();
    }
    this.count++;
  }

  /** The mean gradient (new tensors; the caller disposes them) and a reset. */
  takeMean(): Record<string, tf.Tensor> {
    if (this.count === 0) throw new Error('GradientAccumulator.takeMean: no gradients were added');
    const out: Record<string, tf.Tensor> = {};
    for (const [k, s] of Object.entries(this.sums)) {
      out[k] = tf.div(s, this.count);
      s.dispose();
    }
    this.sums = {};
    this.count = 0;
    return out;
  }

  dispose(): void {
    for (const s of Object.values(this.sums)) s.dispose();
    this.sums = {};
    this.count = 0;
  }
}
