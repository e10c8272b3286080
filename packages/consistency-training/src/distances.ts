/**
 * Per-sample distances d(a, b) -> [B] used by the CT and DTM objectives (method.md §2.2 step 6).
 * Each returns one value per batch element; objectives take the batch mean.
 *
 * - Charbonnier: mean_{hwc} sqrt((a - b)^2 + eps), eps = 1e-12 (the reference's CharbonnierLoss).
 * - L1: mean |a - b|.  L2: mean (a - b)^2.
 * - Pseudo-Huber (Song & Dhariwal 2023, iCT §3.3): mean sqrt((a - b)^2 + c^2) - c. The reference
 *   imports it but does not use it.
 * LPIPS is a `Distance` too (see lpips.ts when available); it needs user-supplied weights.
 */
import * as tf from '@tensorflow/tfjs-core';

/** A per-sample distance: [B,H,W,C] x [B,H,W,C] -> [B]. */
export type Distance = (a: tf.Tensor4D, b: tf.Tensor4D) => tf.Tensor1D;

function checkPair(fn: string, a: tf.Tensor, b: tf.Tensor): void {
  if (a.rank !== 4) throw new Error(`${fn}: 'a' must have rank 4, got rank ${a.rank} (shape [${a.shape}])`);
  if (a.shape.some((d, i) => d !== b.shape[i]) || b.rank !== 4) {
    throw new Error(`${fn}: 'a' [${a.shape}] and 'b' [${b.shape}] must have the same shape`);
  }
}

/** Charbonnier distance, per sample: mean sqrt((a-b)^2 + eps). */
export function charbonnier(eps = 1e-12): Distance {
  return (a, b) => {
    checkPair('charbonnier', a, b);
    return tf.tidy(() => tf.mean(tf.sqrt(tf.add(tf.squaredDifference(a, b), eps)), [1, 2, 3]) as tf.Tensor1D);
  };
}

/** L1 distance, per sample: mean |a - b|. */
export function l1(): Distance {
  return (a, b) => {
    checkPair('l1', a, b);
    return tf.tidy(() => tf.mean(tf.abs(tf.sub(a, b)), [1, 2, 3]) as tf.Tensor1D);
  };
}

/** Squared L2 distance, per sample: mean (a - b)^2. */
export function l2(): Distance {
  return (a, b) => {
    checkPair('l2', a, b);
    return tf.tidy(() => tf.mean(tf.squaredDifference(a, b), [1, 2, 3]) as tf.Tensor1D);
  };
}

/**
 * Pseudo-Huber distance, per sample: mean sqrt((a-b)^2 + c^2) - c.
 * iCT's choice c = 0.00054 * sqrt(d) (d = H*W*C) is used when `c` is omitted.
 */
export function pseudoHuber(c?: number): Distance {
  return (a, b) => {
    checkPair('pseudoHuber', a, b);
    const cc = c ?? 0.00054 * Math.sqrt(a.shape[1] * a.shape[2] * a.shape[3]);
    return tf.tidy(
      () =>
        tf.sub(tf.mean(tf.sqrt(tf.add(tf.squaredDifference(a, b), cc * cc)), [1, 2, 3]), cc) as tf.Tensor1D,
    );
  };
}

/** Distance names accepted in configs. */
export type DistanceName = 'charbonnier' | 'l1' | 'l2' | 'pseudo-huber';

/** Builds a named distance (LPIPS is built separately because it needs weights). */
export function distanceByName(name: DistanceName): Distance {
  switch (name) {
    case 'charbonnier':
      return charbonnier();
    case 'l1':
      return l1();
    case 'l2':
      return l2();
    case 'pseudo-huber':
      return pseudoHuber();
    default:
      throw new Error(
        `distanceByName: unknown distance '${String(name)}'; expected charbonnier, l1, l2 or pseudo-huber`,
      );
  }
}
