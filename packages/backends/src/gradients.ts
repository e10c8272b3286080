/**
 * Gradient registration. `@tensorflow/tfjs-core`'s Node bundle registers no gradient
 * functions; the union package `@tensorflow/tfjs` does, for the shared tfjs-core instance.
 * Every entry point that trains (or takes gradients) must call this once.
 */
let done: Promise<void> | null = null;

/** Registers tfjs's gradient functions (idempotent). */
export function ensureGradients(): Promise<void> {
  if (done == null) {
    done = import('@tensorflow/tfjs').then(() => undefined);
  }
  return done;
}
