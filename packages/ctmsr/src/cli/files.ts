/**
 * File handling for the CLI: expanding inputs (files and folders), planning output paths, and
 * writing outputs atomically (temporary file in the same folder, then a link or rename, so a
 * failed or interrupted run never leaves a half-written output).
 */
import { randomBytes } from 'node:crypto';
import { link, mkdir, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, extname, join, resolve } from 'node:path';
import type { EncodedFormat } from '../image/encode-node.js';

/** Extensions read from folders (any file named explicitly is tried regardless). */
export const IMAGE_EXTENSIONS = [
  '.png',
  '.jpg',
  '.jpeg',
  '.webp',
  '.tif',
  '.tiff',
  '.gif',
  '.avif',
  '.heic',
  '.bmp',
];

/** File extension written for each format. */
export const FORMAT_EXTENSION: Record<EncodedFormat, string> = { png: '.png', jpeg: '.jpg', webp: '.webp' };

/** One input to process, or an input that already failed (e.g. a folder that could not be read). */
export interface InputEntry {
  path: string;
  /** True when it came from expanding a folder. */
  fromFolder: boolean;
  error?: string;
}

export function isImageName(name: string): boolean {
  return IMAGE_EXTENSIONS.includes(extname(name).toLowerCase());
}

/** File name without its extension. */
export function stemOf(path: string): string {
  const b = basename(path);
  const e = extname(b);
  return e ? b.slice(0, -e.length) : b;
}

/** Expands folders (non-recursively, image files only, sorted); keeps files; records unreadable paths. */
export async function collectInputs(paths: string[]): Promise<InputEntry[]> {
  const out: InputEntry[] = [];
  for (const p of paths) {
    const s = await stat(p).catch((e: NodeJS.ErrnoException) => e);
    if (s instanceof Error) {
      out.push({
        path: p,
        fromFolder: false,
        error: s.code === 'ENOENT' ? 'no such file or folder' : s.message,
      });
      continue;
    }
    if (s.isDirectory()) {
      const names = (await readdir(p)).filter(isImageName).sort();
      if (names.length === 0) out.push({ path: p, fromFolder: false, error: 'folder contains no images' });
      for (const n of names) out.push({ path: join(p, n), fromFolder: true });
    } else {
      out.push({ path: p, fromFolder: false });
    }
  }
  return out;
}

/** The format implied by an output file name, if any. */
export function formatFromExtension(path: string): EncodedFormat | undefined {
  const e = extname(path).toLowerCase();
  if (e === '.png') return 'png';
  if (e === '.jpg' || e === '.jpeg') return 'jpeg';
  if (e === '.webp') return 'webp';
  return undefined;
}

/**
 * Whether `-o` names a folder: several inputs, a folder input, an existing folder, a trailing
 * slash, or a name without an image extension.
 */
export async function outputIsFolder(
  output: string,
  inputs: InputEntry[],
  anyFolderInput: boolean,
): Promise<boolean> {
  if (inputs.length > 1 || anyFolderInput || /[/\\]$/.test(output)) return true;
  const s = await stat(output).catch(() => null);
  if (s?.isDirectory()) return true;
  return formatFromExtension(output) === undefined;
}

/** Where the output of `input` goes in folder mode. */
export function outputPathInFolder(folder: string, input: string, format: EncodedFormat): string {
  return join(folder, stemOf(input) + FORMAT_EXTENSION[format]);
}

/** True when the path exists (file or folder). */
export async function exists(path: string): Promise<boolean> {
  return (await stat(path).catch(() => null)) != null;
}

/** Same file system object (compares resolved paths). */
export function samePath(a: string, b: string): boolean {
  return resolve(a) === resolve(b);
}

/** Temporary files not yet renamed into place (removed on interruption). */
export const pendingTempFiles = new Set<string>();

/**
 * Writes `data` to `path` atomically. Without `overwrite`, an existing file is never replaced
 * (the final step is a hard link, which fails if the name exists); with it, a rename.
 * @throws Error('output exists: ...') when the file exists and overwrite is false.
 */
export async function writeOutputAtomic(path: string, data: Uint8Array, overwrite: boolean): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  pendingTempFiles.add(tmp);
  try {
    await writeFile(tmp, data);
    if (overwrite) {
      await rename(tmp, path);
      return;
    }
    try {
      await link(tmp, path);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') throw new Error(`output exists: ${path} (use --force to overwrite)`);
      // File systems without hard links: check, then rename (a small race, documented).
      if (await exists(path)) throw new Error(`output exists: ${path} (use --force to overwrite)`);
      await rename(tmp, path);
    }
  } finally {
    await rm(tmp, { force: true });
    pendingTempFiles.delete(tmp);
  }
}
