/**
 * Loads UpscalerJS ESRGAN models (MIT; weights ship inside the npm packages) from disk with
 * `tf.loadLayersModel` and a file IO handler, as baselines for evaluations and benchmarks.
 * Dev-only (not part of the published package): install the model packages with
 * `npm i -D @upscalerjs/esrgan-slim @upscalerjs/esrgan-medium @upscalerjs/esrgan-thick --legacy-peer-deps`.
 *
 * Value ranges follow UpscalerJS's model definitions: 'rdn' models (slim, medium) take and return
 * [0, 255]; 'rrdn' models (thick) take and return [0, 1] and need two custom layers
 * (MultiplyBeta = x * 0.2, PixelShuffle = depth-to-space), re-implemented here.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import * as tfl from '@tensorflow/tfjs';

export type UpscalerModelName = 'esrgan-slim' | 'esrgan-medium' | 'esrgan-thick';

export interface UpscalerModel {
  name: string;
  /** [1,h,w,3] in [0,1] -> [1,4h,4w,3] in [0,1] (not clamped). */
  predict(lq01: tfl.Tensor4D): tfl.Tensor4D;
  dispose(): void;
}

function packageDir(name: UpscalerModelName): string {
  const require = createRequire(import.meta.url);
  const dir = (require.resolve.paths(`@upscalerjs/${name}`) ?? [])
    .map((p) => join(p, '@upscalerjs', name))
    .find((p) => existsSync(join(p, 'models')));
  if (!dir) throw new Error(`loadUpscalerModel: @upscalerjs/${name} is not installed`);
  return dir;
}

let registered = false;
function registerRrdnLayers(scale: number): void {
  if (registered) return;
  registered = true;
  class MultiplyBeta extends tfl.layers.Layer {
    static className = 'MultiplyBeta';
    override call(inputs: tfl.Tensor | tfl.Tensor[]): tfl.Tensor {
      return tfl.mul(Array.isArray(inputs) ? inputs[0] : inputs, 0.2);
    }
  }
  class PixelShuffle extends tfl.layers.Layer {
    static className = `PixelShuffle${scale}x`;
    override computeOutputShape(s: tfl.Shape): tfl.Shape {
      return [s[0], s[1], s[2], 3];
    }
    override call(inputs: tfl.Tensor | tfl.Tensor[]): tfl.Tensor {
      return tfl.depthToSpace((Array.isArray(inputs) ? inputs[0] : inputs) as tfl.Tensor4D, scale, 'NHWC');
    }
  }
  tfl.serialization.registerClass(MultiplyBeta);
  tfl.serialization.registerClass(PixelShuffle);
}

/** The raw tfjs LayersModel of `@upscalerjs/<name>` x`scale` (inputs in the model's own range). */
export async function loadUpscalerLayersModel(name: UpscalerModelName, scale = 4): Promise<tfl.LayersModel> {
  const dir = join(packageDir(name), 'models', `x${scale}`);
  const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
  const rrdn = name === 'esrgan-thick';
  if (rrdn) registerRrdnLayers(scale);
  const handler: tfl.io.IOHandler = {
    load: async () => {
      const weightSpecs: tfl.io.WeightsManifestEntry[] = [];
      const buffers: Uint8Array[] = [];
      for (const group of json.weightsManifest) {
        weightSpecs.push(...group.weights);
        for (const p of group.paths) buffers.push(readFileSync(join(dir, p)));
      }
      const data = new Uint8Array(buffers.reduce((n, b) => n + b.byteLength, 0));
      let o = 0;
      for (const b of buffers) {
        data.set(b, o);
        o += b.byteLength;
      }
      return { modelTopology: json.modelTopology, format: json.format, weightSpecs, weightData: data.buffer };
    },
  };
  return tfl.loadLayersModel(handler);
}

/** Loads `@upscalerjs/<name>` x`scale` on the current backend, wrapped to take and return [0,1]. */
export async function loadUpscalerModel(name: UpscalerModelName, scale = 4): Promise<UpscalerModel> {
  const model = await loadUpscalerLayersModel(name, scale);
  const range = name === 'esrgan-thick' ? 1 : 255;
  return {
    name: `${name} x${scale}`,
    predict: (lq01) =>
      tfl.tidy(() => tfl.div(model.predict(tfl.mul(lq01, range)) as tfl.Tensor4D, range) as tfl.Tensor4D),
    dispose: () => model.dispose(),
  };
}
