/**
 * Training checkpoints, written atomically.
 *
 * Layout of a run directory:
 *   checkpoints/step-000123/state.json     step, config, counters (JSON)
 *   checkpoints/step-000123/tensors.json   manifest: groups -> [{name, shape, offset, length}]
 *   checkpoints/step-000123/tensors.bin    float32 little-endian data
 *   checkpoints/latest.json                {"step": 123, "dir": "step-000123"}
 * A checkpoint is written into `step-N.tmp-<pid>`, fsynced, then renamed; `latest.json` is
 * replaced by rename afterwards. A crash at any point leaves the previous latest checkpoint intact.
 */
import { mkdir, open, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';

export type TensorGroups = Record<string, Record<string, tf.Tensor>>;

interface ManifestEntry {
  name: string;
  shape: number[];
  offset: number;
  length: number;
}

export interface CheckpointContents<S> {
  state: S;
  groups: TensorGroups;
}

async function writeDurable(path: string, data: string | Uint8Array): Promise<void> {
  const fh = await open(path, 'w');
  try {
    await fh.writeFile(data);
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** Atomically replaces `path` with `data` (temp file + fsync + rename). */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const tmp = `${path}.tmp-${process.pid}`;
  await writeDurable(tmp, data);
  await rename(tmp, path);
}

const dirName = (step: number) => `step-${String(step).padStart(6, '0')}`;

/** Writes a checkpoint for `step` and points latest.json at it; keeps the newest `keep`. */
export async function saveCheckpoint<S>(
  runDir: string,
  step: number,
  contents: CheckpointContents<S>,
  keep = 2,
): Promise<string> {
  const root = join(runDir, 'checkpoints');
  await mkdir(root, { recursive: true });
  const final = join(root, dirName(step));
  const tmp = `${final}.tmp-${process.pid}`;
  await rm(tmp, { recursive: true, force: true });
  await mkdir(tmp);
  const manifest: Record<string, ManifestEntry[]> = {};
  const parts: Float32Array[] = [];
  let offset = 0;
  for (const [group, tensors] of Object.entries(contents.groups)) {
    manifest[group] = [];
    for (const [name, t] of Object.entries(tensors)) {
      const data = (await t.data()) as Float32Array;
      manifest[group].push({ name, shape: t.shape, offset, length: data.length });
      parts.push(data);
      offset += data.length;
    }
  }
  const bin = new Float32Array(offset);
  let o = 0;
  for (const p of parts) {
    bin.set(p, o);
    o += p.length;
  }
  await writeDurable(join(tmp, 'tensors.bin'), new Uint8Array(bin.buffer));
  await writeDurable(join(tmp, 'tensors.json'), JSON.stringify(manifest));
  await writeDurable(join(tmp, 'state.json'), JSON.stringify(contents.state, null, 2));
  await rm(final, { recursive: true, force: true });
  await rename(tmp, final);
  await writeFileAtomic(join(root, 'latest.json'), JSON.stringify({ step, dir: dirName(step) }));
  // Prune older checkpoints.
  const all = (await readdir(root)).filter((d) => /^step-\d+$/.test(d)).sort();
  for (const d of all.slice(0, Math.max(0, all.length - keep)))
    await rm(join(root, d), { recursive: true, force: true });
  return final;
}

/** The step of the latest complete checkpoint, or null when there is none. */
export async function latestCheckpointStep(runDir: string): Promise<number | null> {
  try {
    const latest = JSON.parse(await readFile(join(runDir, 'checkpoints', 'latest.json'), 'utf8')) as {
      step: number;
    };
    return latest.step;
  } catch {
    return null;
  }
}

/** Reads the latest checkpoint (tensors are new; the caller disposes them). */
export async function loadLatestCheckpoint<S>(runDir: string): Promise<CheckpointContents<S> | null> {
  const root = join(runDir, 'checkpoints');
  let latest: { step: number; dir: string };
  try {
    latest = JSON.parse(await readFile(join(root, 'latest.json'), 'utf8'));
  } catch {
    return null;
  }
  const dir = join(root, latest.dir);
  const state = JSON.parse(await readFile(join(dir, 'state.json'), 'utf8')) as S;
  const manifest = JSON.parse(await readFile(join(dir, 'tensors.json'), 'utf8')) as Record<
    string,
    ManifestEntry[]
  >;
  const raw = await readFile(join(dir, 'tensors.bin'));
  const bin = new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));
  const groups: TensorGroups = {};
  for (const [group, entries] of Object.entries(manifest)) {
    groups[group] = {};
    for (const e of entries) {
      if (e.offset + e.length > bin.length) {
        throw new Error(
          `loadLatestCheckpoint: ${dir}: tensor '${group}/${e.name}' lies outside tensors.bin (truncated file?)`,
        );
      }
      groups[group][e.name] = tf.tensor(bin.subarray(e.offset, e.offset + e.length), e.shape, 'float32');
    }
  }
  return { state, groups };
}

/** Appends one JSON line to a log file. */
export async function appendJsonl(path: string, record: unknown): Promise<void> {
  await writeFile(path, `${JSON.stringify(record)}\n`, { flag: 'a' });
}
