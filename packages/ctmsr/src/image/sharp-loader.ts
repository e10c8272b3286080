/**
 * Lazy access to `sharp` (an optional dependency, Node only), so that importing this package in
 * a browser or without sharp installed works until a file is actually read or written.
 */
import type sharpType from 'sharp';

export type SharpModule = typeof sharpType;

let cached: Promise<SharpModule> | null = null;

/** The sharp module; throws a clear error when it is not installed. */
export function loadSharp(): Promise<SharpModule> {
  if (cached) return cached;
  const specifier = 'sharp';
  cached = import(/* @vite-ignore */ specifier)
    .then((m: { default?: SharpModule }) => (m.default ?? m) as SharpModule)
    .catch((err: unknown) => {
      cached = null;
      const code = (err as { code?: string }).code;
      if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') {
        throw new Error(
          "ctmsr: reading and writing image files needs the optional dependency 'sharp' (npm i sharp)",
        );
      }
      throw err;
    });
  return cached;
}
