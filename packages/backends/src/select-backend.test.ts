import { describeBackend, parseBackendChoice, selectBackend } from '@ctmsr/backends';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';

it('parseBackendChoice accepts the known names and names a wrong one', () => {
  expect(parseBackendChoice(undefined)).toBe('auto');
  expect(parseBackendChoice('wasm')).toBe('wasm');
  expect(() => parseBackendChoice('cuda')).toThrow(
    /selectBackend: unknown backend 'cuda'; expected one of auto, tensorflow, webgpu, webgl, wasm, cpu/,
  );
});

it('auto picks a working backend in Node and says why (never a software WebGPU adapter)', async () => {
  const chosen = await selectBackend({ backend: 'auto' });
  expect(['tensorflow', 'webgpu', 'wasm', 'cpu']).toContain(chosen.name);
  expect(tf.getBackend()).toBe(chosen.name);
  if (chosen.name === 'webgpu') expect(chosen.adapter?.isFallback).toBe(false);
  expect(describeBackend(chosen)).toMatch(new RegExp(`^backend ${chosen.name}.*\\(auto: `));
});

it('a named backend that cannot run here fails with a clear message', async () => {
  await expect(selectBackend({ backend: 'webgl' })).rejects.toThrow(
    /backend 'webgl' could not be initialised/,
  );
});
