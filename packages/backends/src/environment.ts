/** Runtime detection shared by the backend helpers. */

/** True when running under Node.js (not in a browser or a web worker). */
export function isNode(): boolean {
  return typeof process !== 'undefined' && process.versions != null && process.versions.node != null;
}

/**
 * Dynamic import that bundlers leave alone, for optional Node-only peers
 * (`webgpu`, `@tensorflow/tfjs-node`). Returns null when the module is not installed.
 */
export async function importOptional<T = unknown>(specifier: string): Promise<T | null> {
  try {
    return (await import(/* @vite-ignore */ specifier)) as T;
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') return null;
    // Bundlers and vite-node report a missing module without Node's error code.
    const message = String((err as Error)?.message ?? err);
    if (
      message.includes(specifier) &&
      /cannot find|could not resolve|failed to (resolve|load)/i.test(message)
    )
      return null;
    throw err;
  }
}
