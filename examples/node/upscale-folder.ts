/**
 * Upscale every image of a folder 4x with the `ctmsr` umbrella and its default model.
 *
 *   npx tsx examples/node/upscale-folder.ts examples/images out/upscaled [--steps 2] [--seed 3]
 *
 * What it shows: `CTMSR.load()` (backend choice + bundled model), `sr.upscale(path)` (decode,
 * tile, one network call per tile, encode) and `sr.dispose()`.
 */
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { extname, join, parse } from 'node:path';
import { parseArgs } from 'node:util';
import { CTMSR } from 'ctmsr';
import sharp from 'sharp';
import { isMain } from './image-files.js';

export interface UpscaleFolderOptions {
  /** Folder of input images (png, jpg, jpeg, webp). */
  input: string;
  /** Output folder (created); each input becomes `<name>-x4.png`. */
  output: string;
  /** Network evaluations per tile: 1 (one-step, default), 2 or 4. */
  steps?: number;
  /** Noise seed: the same seed gives the same pixels. */
  seed?: number;
  /** Backend name or 'auto' (default). */
  backend?: string;
  /** A model.json path; default: the bundled default model. */
  model?: string;
  log?: (line: string) => void;
}

export interface UpscaledFile {
  input: string;
  output: string;
  width: number;
  height: number;
}

const IMAGE_EXTENSIONS = new Set(['.png', '.jpg', '.jpeg', '.webp']);

export async function upscaleFolder(options: UpscaleFolderOptions): Promise<UpscaledFile[]> {
  const log = options.log ?? (() => {});
  const names = (await readdir(options.input)).filter((n) => IMAGE_EXTENSIONS.has(extname(n).toLowerCase()));
  names.sort();
  await mkdir(options.output, { recursive: true });
  const sr = await CTMSR.load({ backend: options.backend, model: options.model, log });
  const done: UpscaledFile[] = [];
  try {
    log(`model ${sr.model.name}: ${sr.model.parameterCount} parameters, x${sr.model.scale}`);
    for (const name of names) {
      const input = join(options.input, name);
      const start = performance.now();
      const png = await sr.upscale(input, { steps: options.steps, seed: options.seed });
      const output = join(options.output, `${parse(name).name}-x4.png`);
      await writeFile(output, png);
      const { width = 0, height = 0 } = await sharp(png).metadata();
      log(`${input} -> ${output} (${width}x${height}, ${Math.round(performance.now() - start)} ms)`);
      done.push({ input, output, width, height });
    }
  } finally {
    sr.dispose();
  }
  return done;
}

if (isMain(import.meta.url)) {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      steps: { type: 'string' },
      seed: { type: 'string' },
      backend: { type: 'string' },
      model: { type: 'string' },
    },
  });
  const [input = 'examples/images', output = 'out/upscaled'] = positionals;
  await upscaleFolder({
    input,
    output,
    steps: values.steps ? Number(values.steps) : undefined,
    seed: values.seed ? Number(values.seed) : undefined,
    backend: values.backend,
    model: values.model,
    log: console.log,
  });
}
