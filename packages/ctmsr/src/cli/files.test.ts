import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { collectInputs, outputIsFolder, outputPathInFolder, stemOf, writeOutputAtomic } from './files.js';

describe('CLI file handling', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ctmsr-files-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes atomically and never replaces an existing file without overwrite', async () => {
    const p = join(dir, 'sub', 'a.png');
    await writeOutputAtomic(p, new Uint8Array([1, 2]), false);
    expect(Array.from(await readFile(p))).toEqual([1, 2]);
    await expect(writeOutputAtomic(p, new Uint8Array([3]), false)).rejects.toThrow(/output exists: .*a.png/);
    expect(Array.from(await readFile(p))).toEqual([1, 2]);
    await writeOutputAtomic(p, new Uint8Array([3]), true);
    expect(Array.from(await readFile(p))).toEqual([3]);
    expect(await readdir(join(dir, 'sub'))).toEqual(['a.png']); // no temporary files left
  });

  it('expands folders to their images (sorted) and plans output names by stem', async () => {
    await writeFile(join(dir, 'b.JPG'), '');
    await writeFile(join(dir, 'a.png'), '');
    await writeFile(join(dir, 'c.txt'), '');
    const inputs = await collectInputs([dir, join(dir, 'missing.png')]);
    expect(inputs.map((i) => [i.path.slice(dir.length + 1), i.fromFolder, i.error])).toEqual([
      ['a.png', true, undefined],
      ['b.JPG', true, undefined],
      ['missing.png', false, 'no such file or folder'],
    ]);
    expect(stemOf('/x/y/photo.final.jpeg')).toBe('photo.final');
    expect(outputPathInFolder('/out', '/in/b.JPG', 'png')).toBe('/out/b.png');
    expect(outputPathInFolder('/out', '/in/b.JPG', 'jpeg')).toBe('/out/b.jpg');
  });

  it('decides between an output file and folder', async () => {
    const one = [{ path: 'a.png', fromFolder: false }];
    expect(await outputIsFolder(join(dir, 'x.png'), one, false)).toBe(false);
    expect(await outputIsFolder(join(dir, 'x'), one, false)).toBe(true);
    expect(await outputIsFolder(join(dir, 'x.png/'), one, false)).toBe(true);
    expect(await outputIsFolder(join(dir, 'x.png'), [...one, ...one], false)).toBe(true);
    expect(await outputIsFolder(dir, one, false)).toBe(true);
  });
});
