/**
 * Node helpers for SrUnet weight files (`<path>.json` + `<path>.bin`, format in weights-format.ts).
 * Writes are atomic: each file goes to a temporary name in the same folder, then is renamed.
 * `node:fs` is imported lazily so that browser bundles of this package do not need it.
 */

import type { SrUnet } from './sr-unet.js';
import type { EncodeWeightsOptions } from './weights-format.js';
import { decodeSrUnet, encodeWeights, loadWeightsInto } from './weights-format.js';

async function fsp() {
  return import('node:fs/promises');
}

async function pathLib() {
  return import('node:path');
}

/** Writes `data` to `file` through a temporary file and a rename. */
export async function writeFileAtomic(file: string, data: Uint8Array | string): Promise<void> {
  const fs = await fsp();
  const tmp = `${file}.tmp-${process.pid}-${Date.now().toString(36)}`;
  try {
    await fs.writeFile(tmp, data);
    await fs.rename(tmp, file);
  } catch (e) {
    await fs.rm(tmp, { force: true });
    throw e;
  }
}

function stem(jsonPath: string): string {
  return jsonPath.endsWith('.json') ? jsonPath.slice(0, -5) : jsonPath;
}

/**
 * Saves `net` as `<stem>.json` + `<stem>.bin` (the .bin first, so a manifest never points to a
 * missing shard). Returns the two paths.
 */
export async function saveSrUnetFiles(
  net: SrUnet,
  jsonPath: string,
  options: Partial<Omit<EncodeWeightsOptions, 'shardName'>> = {},
): Promise<{ json: string; bin: string }> {
  const path = await pathLib();
  const base = stem(jsonPath);
  const bin = `${base}.bin`;
  const { manifest, data } = await encodeWeights(net, { ...options, shardName: path.basename(bin) });
  await writeFileAtomic(bin, data);
  await writeFileAtomic(`${base}.json`, `${JSON.stringify(manifest, null, 1)}\n`);
  return { json: `${base}.json`, bin };
}

async function readPair(jsonPath: string): Promise<{ json: string; data: Uint8Array }> {
  const fs = await fsp();
  const path = await pathLib();
  const json = await fs.readFile(jsonPath, 'utf8');
  const shard = (JSON.parse(json) as { weightsManifest?: { paths?: string[] }[] }).weightsManifest?.[0]
    ?.paths?.[0];
  if (typeof shard !== 'string') throw new Error(`loadSrUnetFile: ${jsonPath} names no binary shard`);
  const data = new Uint8Array(await fs.readFile(path.join(path.dirname(jsonPath), shard)));
  return { json, data };
}

/** Builds a network from `<stem>.json` and the shard it names (same folder). */
export async function loadSrUnetFile(jsonPath: string): Promise<SrUnet> {
  const { json, data } = await readPair(jsonPath);
  return decodeSrUnet(json, data);
}

/** Loads `<stem>.json` + shard into an existing network of the same config. */
export async function loadSrUnetFileInto(net: SrUnet, jsonPath: string): Promise<void> {
  const { json, data } = await readPair(jsonPath);
  await loadWeightsInto(net, json, data);
}
