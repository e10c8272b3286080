/**
 * Node helpers for PyTorch checkpoint files. `node:fs` is imported lazily so that browser bundles
 * of this package do not need it (browsers pass the file's bytes to the pure functions instead).
 */
import type { PresetName, SrUnetConfig } from '../config.js';
import type { SrUnet } from '../sr-unet.js';
import { type ImportPytorchOptions, loadPytorchCheckpoint } from './import-pytorch.js';
import { type ReadStateDictOptions, readPytorchStateDict } from './read-state-dict.js';
import type { StateDict } from './state-dict.js';

async function readBytes(path: string): Promise<Uint8Array> {
  const fs = await import('node:fs/promises');
  const b = await fs.readFile(path);
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}

/** Reads the state dict of a `.safetensors` or `torch.save` (`.pth`) file. */
export async function readPytorchStateDictFile(
  path: string,
  options: ReadStateDictOptions = {},
): Promise<StateDict> {
  return readPytorchStateDict(await readBytes(path), options);
}

/** A new SrUnet with the weights of a `.safetensors` or `.pth` file (see `loadPytorchCheckpoint`). */
export async function loadPytorchCheckpointFile(
  path: string,
  config: SrUnetConfig | PresetName,
  options: ImportPytorchOptions & ReadStateDictOptions = {},
): Promise<SrUnet> {
  return loadPytorchCheckpoint(await readBytes(path), config, options);
}
