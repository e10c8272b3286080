/**
 * WebGPU in Node.js through Dawn (the `webgpu` npm package).
 *
 * On machines without a GPU, Dawn can run on the SwiftShader Vulkan driver that Debian's
 * `chromium` package ships (`/usr/lib/chromium/vk_swiftshader_icd.json`; also needs
 * `libvulkan1`). SwiftShader is a CPU implementation: good for correctness tests, not speed.
 */
import { importOptional, isNode } from './environment.js';

/** Where Debian's chromium package puts its SwiftShader Vulkan ICD. */
export const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';

/** A short description of a WebGPU adapter. */
export interface AdapterDescription {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  /** True for software adapters (SwiftShader, WARP, lavapipe). */
  isFallback: boolean;
}

interface WebgpuModule {
  create(flags: string[]): GPU;
  globals: Record<string, unknown>;
}

let installed: Promise<boolean> | null = null;

/**
 * Installs `navigator.gpu` (and the WebGPU globals) in Node from the `webgpu` package.
 * Returns false when the package is not installed. In browsers it does nothing and returns
 * whether `navigator.gpu` exists.
 *
 * @param options.swiftshader when true and no `VK_ICD_FILENAMES` is set, point Vulkan at
 *   Debian chromium's SwiftShader ICD if that file exists (software rendering for tests).
 */
export function installNodeWebGPU(options: { swiftshader?: boolean } = {}): Promise<boolean> {
  if (!isNode()) {
    return Promise.resolve(typeof navigator !== 'undefined' && 'gpu' in navigator);
  }
  if (installed) return installed;
  installed = (async () => {
    if (options.swiftshader && process.env.VK_ICD_FILENAMES == null) {
      const fs = await import('node:fs');
      if (fs.existsSync(SWIFTSHADER_ICD)) process.env.VK_ICD_FILENAMES = SWIFTSHADER_ICD;
    }
    const mod = await importOptional<WebgpuModule>('webgpu');
    if (mod == null) return false;
    const g = globalThis as Record<string, unknown>;
    Object.assign(g, mod.globals);
    const gpu = mod.create([]);
    if (g.navigator == null) {
      g.navigator = { gpu };
    } else {
      Object.defineProperty(g.navigator, 'gpu', { value: gpu, configurable: true });
    }
    return true;
  })();
  return installed;
}

/** Requests the default adapter and describes it, or returns null when there is none. */
export async function describeWebGPUAdapter(): Promise<AdapterDescription | null> {
  const gpu = (globalThis as { navigator?: { gpu?: GPU } }).navigator?.gpu;
  if (gpu == null) return null;
  const adapter = await gpu.requestAdapter();
  if (adapter == null) return null;
  const info = (adapter as GPUAdapter & { info: GPUAdapterInfo }).info as GPUAdapterInfo & {
    isFallbackAdapter?: boolean;
    device?: string;
    description?: string;
  };
  const device = `${info.device ?? ''}`;
  const description = `${info.description ?? ''}`;
  const text = `${info.vendor} ${info.architecture} ${device} ${description}`.toLowerCase();
  const software = /swiftshader|llvmpipe|lavapipe|warp|software/.test(text);
  return {
    vendor: `${info.vendor ?? ''}`,
    architecture: `${info.architecture ?? ''}`,
    device,
    description,
    isFallback: Boolean(info.isFallbackAdapter) || software,
  };
}
