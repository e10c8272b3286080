/**
 * The default model shipped inside the package at `models/default/model.json` (+ its shard).
 *
 * The file sits two levels above this source file (`src/model/`) and one level above the
 * bundled code (`dist/`); both places are tried. Until the trained model is committed, loading
 * without an explicit model fails with a message that says so.
 */
import { isNode } from '@ctmsr/backends';

const CANDIDATES = ['../models/default/model.json', '../../models/default/model.json'];

/** Where the default model lives, or null when this installation has none. */
export async function defaultModelLocation(): Promise<string | URL | null> {
  if (!isNode()) return new URL(CANDIDATES[0], import.meta.url);
  const { existsSync } = await import('node:fs');
  const { fileURLToPath } = await import('node:url');
  for (const c of CANDIDATES) {
    const url = new URL(c, import.meta.url);
    if (url.protocol !== 'file:') continue;
    const path = fileURLToPath(url);
    if (existsSync(path)) return path;
  }
  return null;
}

/** The error thrown when no model is given and no default model is installed. */
export function missingDefaultModelError(): Error {
  return new Error(
    "CTMSR.load: no model given and the default model (models/default/model.json in the 'ctmsr' package) " +
      "is not installed yet; pass { model: '<path or URL to model.json>' } or train one with `ctmsr train`",
  );
}
