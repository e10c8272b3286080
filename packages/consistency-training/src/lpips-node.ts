/**
 * Node helpers to read and write LPIPS weights files (lpips-weights.ts). The Node modules are
 * imported lazily through a computed specifier, so browser bundlers neither resolve nor bundle
 * them and importing this package in a browser costs nothing; in a browser, fetch the manifest
 * and the blob yourself and call `parseLpipsWeights`.
 */
import {
  type LpipsManifest,
  type LpipsWeights,
  parseLpipsWeights,
  serializeLpipsWeights,
} from './lpips-weights.js';

type Fs = typeof import('node:fs/promises');
type Path = typeof import('node:path');

async function nodeModules(): Promise<{ fs: Fs; path: Path }> {
  const names = ['node:fs/promises', 'node:path'];
  const [fs, path] = await Promise.all(
    names.map((n) => import(/* webpackIgnore: true */ /* @vite-ignore */ n)),
  );
  return { fs: fs as Fs, path: path as Path };
}

const blobName = (path: Path, manifestPath: string) =>
  `${path.basename(manifestPath).replace(/\.json$/i, '')}.bin`;

/**
 * Reads a weights manifest and its blob (`manifest.dataFile`, next to the manifest; default: the
 * manifest's name with `.bin` instead of `.json`). Node only.
 */
export async function loadLpipsWeightsFile(manifestPath: string): Promise<LpipsWeights> {
  const { fs, path } = await nodeModules();
  const manifest = JSON.parse(await fs.readFile(manifestPath, 'utf8')) as LpipsManifest;
  const dataFile = manifest.dataFile ?? blobName(path, manifestPath);
  const data = await fs.readFile(path.join(path.dirname(manifestPath), dataFile));
  return parseLpipsWeights(manifest, data);
}

/** Writes weights as `manifestPath` plus a `.bin` blob next to it. Node only. */
export async function saveLpipsWeightsFile(manifestPath: string, weights: LpipsWeights): Promise<void> {
  const { fs, path } = await nodeModules();
  const dataFile = blobName(path, manifestPath);
  const { manifest, data } = serializeLpipsWeights(weights, dataFile);
  await fs.writeFile(path.join(path.dirname(manifestPath), dataFile), data);
  await fs.writeFile(manifestPath, JSON.stringify(manifest, null, 1));
}
