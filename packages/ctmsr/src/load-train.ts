/**
 * Loads the training command (`src/train/`, bundled as `dist/train/index.js`) on demand, so that
 * upscaling never loads the trainer. This file sits at the top of `src/` so that the relative path
 * is the same from the sources and from the bundle in `dist/`.
 */

/** The trainer's entry point, or null when this build has no trainer. */
export async function loadTrainCommand(): Promise<((argv: string[]) => Promise<number>) | null> {
  const specifier = './train/index.js';
  try {
    const mod = (await import(/* @vite-ignore */ specifier)) as {
      runTrainCommand?: (argv: string[]) => Promise<number>;
    };
    return typeof mod.runTrainCommand === 'function' ? mod.runTrainCommand : null;
  } catch (err) {
    const code = (err as { code?: string }).code;
    const missing = code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND';
    if (missing && String((err as Error).message).includes('train')) return null;
    throw err;
  }
}
