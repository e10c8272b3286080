import {
  enableWasmThreadsInNode,
  ensureGradients,
  registerWasmTrainingKernels,
  selectBackend,
  WASM_THREADS_ENV,
  wasmThreadsBlocker,
} from '@ctmsr/backends';
import { expectClose, expectNoLeaks, seededNormal } from '@ctmsr/test-harness';
import * as tf from '@tensorflow/tfjs-core';
import { afterEach, describe, expect, it, vi } from 'vitest';

// Own process (vitest forks): here the threaded init fails, so wasm must come up single-threaded.

describe('wasmThreadsBlocker (feature check)', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.unstubAllGlobals();
  });

  it('passes in Node 20 with 2 threads requested, by option or by the environment', () => {
    expect(wasmThreadsBlocker({ enabled: true, threads: 2 })).toBeNull();
    vi.stubEnv(WASM_THREADS_ENV, '1');
    expect(wasmThreadsBlocker({ threads: 2 })).toBeNull();
  });

  it('is off by default (opt-in)', () => {
    expect(wasmThreadsBlocker({ threads: 2 })).toMatch(/threads off by default/);
  });

  it('names each reason to stay single-threaded', () => {
    expect(wasmThreadsBlocker({ threads: 2, enabled: false })).toBe('threads disabled by option');
    expect(wasmThreadsBlocker({ enabled: true, threads: 1 })).toMatch(/only 1 thread/);
    expect(wasmThreadsBlocker({ enabled: true }, 1)).toMatch(/only 1 thread/);
    vi.stubEnv(WASM_THREADS_ENV, '0');
    expect(wasmThreadsBlocker({ threads: 2 })).toBe(`threads disabled (${WASM_THREADS_ENV}=0)`);
    vi.unstubAllEnvs();
    vi.stubGlobal('SharedArrayBuffer', undefined);
    expect(wasmThreadsBlocker({ enabled: true, threads: 2 })).toBe(
      'SharedArrayBuffer / Atomics are not available',
    );
  });
});

describe('fallback to single-threaded wasm when the threaded init fails', () => {
  it('logs the reason, runs wasm with 1 thread, and conv2d + gradients still match cpu', async () => {
    tf.env().set('PROD', true);
    await ensureGradients();
    await selectBackend({ backend: 'cpu' });
    const c = { x: [2, 9, 11, 3] as const, w: [3, 3, 3, 4] as const };
    const run = () =>
      tf.tidy(() => {
        const x = seededNormal([...c.x], 1) as tf.Tensor4D;
        const w = seededNormal([...c.w], 2) as tf.Tensor4D;
        const f = (a: tf.Tensor, b: tf.Tensor) =>
          tf.sum(tf.square(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 1, 'same')));
        return [tf.conv2d(x, w, 1, 'same'), ...tf.grads(f)([x, w])];
      });
    const refT = run();
    const ref = await Promise.all(refT.map((t) => t.data()));
    tf.dispose(refT);

    registerWasmTrainingKernels();
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    // 1 ms cannot be enough to start 8 pthread workers: a real, deterministic init failure.
    const status = await enableWasmThreadsInNode({ enabled: true, threads: 2, initTimeoutMs: 1 });
    expect(status.ok).toBe(true);
    expect(status.threads).toBe(1);
    expect(status.reason).toMatch(
      /^threaded wasm failed \(threaded wasm init timed out after 1 ms\); using single-threaded wasm$/,
    );
    expect(warn).toHaveBeenCalledWith(`enableWasmThreadsInNode: ${status.reason}`);
    warn.mockRestore();
    expect(tf.getBackend()).toBe('wasm');
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    expect(wasm.getThreadsCount()).toBe(1);

    await expectNoLeaks(async () => {
      const out = run();
      for (let i = 0; i < 3; i++)
        await expectClose(out[i], ref[i], { rtol: 1e-4, atol: 1e-5, what: `output ${i}` });
      tf.dispose(out);
    });
    const again = await selectBackend({ backend: 'wasm' });
    expect(again.reason).toBe('requested; 1 thread: wasm was initialised single-threaded earlier');
  });
});
