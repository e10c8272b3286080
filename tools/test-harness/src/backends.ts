/**
 * Runs one vitest suite on several TensorFlow.js backends.
 *
 * Which backends: `CTMSR_TEST_BACKENDS` (comma-separated) when set; otherwise cpu and wasm,
 * plus webgpu for suites that opt in, when a Vulkan ICD for Dawn exists on this machine
 * (Debian chromium's SwiftShader). In CI (`CI=true`) an unavailable webgpu is an error, not a skip.
 */
import { existsSync } from 'node:fs';
import { ensureGradients, SWIFTSHADER_ICD, selectBackend } from '@ctmsr/backends';
import * as tf from '@tensorflow/tfjs-core';
import { afterEach, beforeAll, describe } from 'vitest';
import { flushPendingAssertions } from './assertions.js';

export type TestBackend = 'cpu' | 'wasm' | 'webgpu';

/** Relative tolerance appropriate for cross-backend float32 comparisons. */
export const BACKEND_RTOL: Record<TestBackend, number> = { cpu: 1e-5, wasm: 1e-4, webgpu: 2e-4 };

function webgpuPossible(): boolean {
  if (process.env.VK_ICD_FILENAMES) return true;
  return existsSync(SWIFTSHADER_ICD);
}

function configured(): TestBackend[] | null {
  const v = process.env.CTMSR_TEST_BACKENDS;
  if (!v) return null;
  return v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean) as TestBackend[];
}

/** The backends a suite runs on. */
export function testBackends(options: { webgpu?: boolean } = {}): TestBackend[] {
  const env = configured();
  if (env) return options.webgpu ? env : env.filter((b) => b !== 'webgpu');
  const list: TestBackend[] = ['cpu', 'wasm'];
  if (options.webgpu && (webgpuPossible() || process.env.CI === 'true')) list.push('webgpu');
  return list;
}

export interface BackendContext {
  backend: TestBackend;
  rtol: number;
}

/** Initialises a backend for tests (gradients registered, wasm training kernels on). */
export async function useBackend(backend: TestBackend): Promise<void> {
  tf.env().set('PROD', true); // silences tfjs's "install tfjs-node" banner in test logs
  await ensureGradients();
  // Tests measure correctness, not speed: single-threaded wasm starts ~3 s faster per test file
  // (the threaded module has its own tests in @ctmsr/backends).
  await selectBackend({ backend, wasmThreads: false });
  if (tf.getBackend() !== backend) {
    throw new Error(`test harness: could not switch to backend ${backend}`);
  }
}

/**
 * Declares `fn`'s tests once per backend, as `name [backend]`.
 * @param options.webgpu also run on webgpu (Node, Dawn) where this machine has it.
 * @param options.backends an explicit list (overrides the defaults, not the env variable).
 */
export function describeBackends(
  name: string,
  fn: (ctx: BackendContext) => void,
  options: { webgpu?: boolean; backends?: TestBackend[] } = {},
): void {
  const list = options.backends
    ? options.backends.filter((b) => testBackends({ webgpu: true }).includes(b) || b !== 'webgpu')
    : testBackends(options);
  for (const backend of list) {
    describe(`${name} [${backend}]`, () => {
      beforeAll(async () => {
        await useBackend(backend);
      }, 120_000);
      afterEach(flushPendingAssertions);
      fn({ backend, rtol: BACKEND_RTOL[backend] });
    });
  }
}
