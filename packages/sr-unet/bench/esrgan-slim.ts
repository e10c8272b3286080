/**
 * Loads UpscalerJS esrgan-slim (x2/x3/x4/x8, MIT, weights shipped in the npm package) from disk
 * with tf.loadLayersModel and a custom IO handler: the speed baseline of the benchmarks.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import * as tfl from '@tensorflow/tfjs';

interface ModelJson {
  modelTopology: object;
  format?: string;
  generatedBy?: string;
  convertedBy?: string;
  weightsManifest: { paths: string[]; weights: tfl.io.WeightsManifestEntry[] }[];
}

/** The esrgan-slim model of the given scale, loaded on the current backend. */
export async function loadEsrganSlim(scale: 2 | 3 | 4 | 8 = 4): Promise<tfl.LayersModel> {
  const require = createRequire(import.meta.url);
  // The package's exports map hides package.json: look for its folder on the resolution paths.
  const pkgDir = (require.resolve.paths('@upscalerjs/esrgan-slim') ?? [])
    .map((p) => join(p, '@upscalerjs', 'esrgan-slim'))
    .find((p) => existsSync(join(p, 'models')));
  if (!pkgDir) throw new Error('loadEsrganSlim: @upscalerjs/esrgan-slim is not installed');
  const dir = join(pkgDir, 'models', `x${scale}`);
  const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')) as ModelJson;
  const handler: tfl.io.IOHandler = {
    load: async () => {
      const weightSpecs: tfl.io.WeightsManifestEntry[] = [];
      const buffers: Uint8Array[] = [];
      for (const group of json.weightsManifest) {
        weightSpecs.push(...group.weights);
        for (const p of group.paths) buffers.push(readFileSync(join(dir, p)));
      }
      const total = buffers.reduce((n, b) => n + b.byteLength, 0);
      const data = new Uint8Array(total);
      let o = 0;
      for (const b of buffers) {
        data.set(b, o);
        o += b.byteLength;
      }
      return {
        modelTopology: json.modelTopology,
        format: json.format,
        generatedBy: json.generatedBy,
        convertedBy: json.convertedBy,
        weightSpecs,
        weightData: data.buffer,
      };
    },
  };
  return tfl.loadLayersModel(handler);
}
