/**
 * UpscalerJS esrgan-slim (MIT, weights shipped in the npm package) loaded from disk: the speed
 * baseline of the benchmarks. The loader itself is shared dev tooling in tools/bench/upscalerjs.ts.
 */
import type * as tfl from '@tensorflow/tfjs';
import { loadUpscalerLayersModel } from '../../../tools/bench/upscalerjs.js';

/** The esrgan-slim model of the given scale, loaded on the current backend. */
export function loadEsrganSlim(scale: 2 | 3 | 4 | 8 = 4): Promise<tfl.LayersModel> {
  return loadUpscalerLayersModel('esrgan-slim', scale);
}
