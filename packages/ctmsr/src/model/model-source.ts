/**
 * Where a CTMSR model comes from, and how it is loaded.
 *
 * A model is an SrUnet weights file pair in @ctmsr/sr-unet's format (`model.json` manifest +
 * binary shard). Accepted sources:
 * - a string or URL: in Node a path to `model.json` or to a folder holding one; in browsers a URL
 *   of `model.json` or of a folder (ending in `/`) holding one;
 * - `{ manifest, weights }`: the two files' contents, already in memory;
 * - `{ network }`: a live `SrUnet` (not disposed by `CTMSR.dispose()`: the caller owns it).
 */
import { isNode } from '@ctmsr/backends';
import { decodeSrUnet, type SrUnet } from '@ctmsr/sr-unet';

export type ModelSource =
  | { network: SrUnet; name?: string }
  | { manifest: string | object; weights: Uint8Array | ArrayBuffer; name?: string }
  | { url: string | URL; name?: string };

/** A loaded network and what to call it. */
export interface LoadedNetwork {
  network: SrUnet;
  /** Whether CTMSR created it (and so disposes it). */
  owned: boolean;
  /** Where it came from (path, URL or 'memory'). */
  location: string;
  name: string;
  /** sigma_max the weights were trained with (manifest metadata.trainConfig.ct.sigmaMax), if recorded. */
  sigmaMax?: number;
  /** The preconditioning's sigma rescaling they were trained with (metadata.trainConfig.ct.sigmaScale). */
  sigmaScale?: number;
}

/**
 * A training setting of a model, from its manifest's `metadata.trainConfig.ct[key]` (written by
 * `ctmsr train`'s export); undefined when absent or not a positive finite number.
 */
export function trainedCtValue(
  manifest: string | object,
  key: 'sigmaMax' | 'sigmaScale',
): number | undefined {
  let m: unknown = manifest;
  if (typeof manifest === 'string') {
    try {
      m = JSON.parse(manifest);
    } catch {
      return undefined;
    }
  }
  const v = (m as { metadata?: { trainConfig?: { ct?: Record<string, unknown> } } })?.metadata?.trainConfig
    ?.ct?.[key];
  return typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : undefined;
}

async function loadFromPath(path: string, name?: string): Promise<LoadedNetwork> {
  const fs = await import('node:fs/promises');
  const nodePath = await import('node:path');
  let file = path;
  const stat = await fs.stat(path).catch(() => null);
  if (stat == null) throw new Error(`CTMSR.load: model not found: ${path}`);
  if (stat.isDirectory()) file = nodePath.join(path, 'model.json');
  const json = await fs.readFile(file, 'utf8').catch(() => {
    throw new Error(`CTMSR.load: cannot read the model manifest ${file}`);
  });
  const shard = (JSON.parse(json) as { weightsManifest?: { paths?: string[] }[] }).weightsManifest?.[0]
    ?.paths?.[0];
  if (typeof shard !== 'string') throw new Error(`CTMSR.load: ${file} names no weights shard`);
  const binPath = nodePath.join(nodePath.dirname(file), shard);
  const data = await fs.readFile(binPath).catch(() => {
    throw new Error(`CTMSR.load: cannot read the weights shard ${binPath}`);
  });
  const network = await decodeSrUnet(json, new Uint8Array(data));
  return {
    network,
    owned: true,
    location: file,
    name: name ?? nodePath.basename(nodePath.dirname(file)),
    sigmaMax: trainedCtValue(json, 'sigmaMax'),
    sigmaScale: trainedCtValue(json, 'sigmaScale'),
  };
}

async function loadFromUrl(url: URL, name?: string): Promise<LoadedNetwork> {
  const manifestUrl = url.pathname.endsWith('/') ? new URL('model.json', url) : url;
  const res = await fetch(manifestUrl);
  if (!res.ok) throw new Error(`CTMSR.load: fetching ${manifestUrl} failed: HTTP ${res.status}`);
  const json = await res.text();
  const shard = (JSON.parse(json) as { weightsManifest?: { paths?: string[] }[] }).weightsManifest?.[0]
    ?.paths?.[0];
  if (typeof shard !== 'string') throw new Error(`CTMSR.load: ${manifestUrl} names no weights shard`);
  const binUrl = new URL(shard, manifestUrl);
  const bin = await fetch(binUrl);
  if (!bin.ok) throw new Error(`CTMSR.load: fetching ${binUrl} failed: HTTP ${bin.status}`);
  const network = await decodeSrUnet(json, new Uint8Array(await bin.arrayBuffer()));
  return {
    network,
    owned: true,
    location: manifestUrl.href,
    name: name ?? manifestUrl.href,
    sigmaMax: trainedCtValue(json, 'sigmaMax'),
    sigmaScale: trainedCtValue(json, 'sigmaScale'),
  };
}

function isUrlLike(s: string): boolean {
  return /^(https?|file|blob|data):/i.test(s);
}

/** Loads a model from any accepted source (see file doc). */
export async function loadNetwork(source: string | URL | ModelSource): Promise<LoadedNetwork> {
  if (source instanceof URL) {
    if (source.protocol === 'file:' && isNode()) {
      const { fileURLToPath } = await import('node:url');
      return loadFromPath(fileURLToPath(source));
    }
    return loadFromUrl(source);
  }
  if (typeof source === 'string') {
    if (isNode() && !isUrlLike(source)) return loadFromPath(source);
    return loadFromUrl(new URL(source, typeof location === 'undefined' ? undefined : location.href));
  }
  if (source == null || typeof source !== 'object') {
    throw new Error(
      `CTMSR.load: 'model' must be a path, a URL or a ModelSource object, got ${String(source)}`,
    );
  }
  if ('network' in source) {
    return {
      network: source.network,
      owned: false,
      location: 'memory',
      name: source.name ?? 'in-memory network',
    };
  }
  if ('manifest' in source) {
    const network = await decodeSrUnet(source.manifest, source.weights);
    return {
      network,
      owned: true,
      location: 'memory',
      name: source.name ?? 'in-memory weights',
      sigmaMax: trainedCtValue(source.manifest as string | object, 'sigmaMax'),
      sigmaScale: trainedCtValue(source.manifest as string | object, 'sigmaScale'),
    };
  }
  if ('url' in source) return loadNetwork(source.url instanceof URL ? source.url : new URL(source.url));
  throw new Error(`CTMSR.load: unrecognised model source with keys ${Object.keys(source).join(', ')}`);
}
