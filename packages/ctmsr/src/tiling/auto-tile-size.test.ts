import { SR_UNET_PRESETS } from '@ctmsr/sr-unet';
import { describe, expect, it } from 'vitest';
import { estimateMemory } from '../model/memory-estimate.js';
import { autoTileSize, DEFAULT_MAX_TILE } from './auto-tile-size.js';

describe('autoTileSize', () => {
  const tiny = estimateMemory(SR_UNET_PRESETS.tiny);

  it('fits the largest buffer in half the WebGPU binding limit, as a multiple of the network multiple', () => {
    const limit = 128 * 1024 * 1024; // the WebGPU default maxStorageBufferBindingSize
    const t = autoTileSize({ backend: 'webgpu', multiple: 32, webgpuMaxBinding: limit, ...tiny });
    expect(t % 32).toBe(0);
    expect(t * t * tiny.largestBufferBytesPerLrPixel).toBeLessThanOrEqual(limit / 2);
    expect((t + 32) ** 2 * tiny.largestBufferBytesPerLrPixel > limit / 2 || t === DEFAULT_MAX_TILE).toBe(
      true,
    );
  });

  it('uses the memory budget on wasm/cpu and clamps to [multiple, DEFAULT_MAX_TILE]', () => {
    const t = autoTileSize({ backend: 'wasm', multiple: 32, memoryBudget: 64 * 1024 * 1024, ...tiny });
    expect(t * t * tiny.liveBytesPerLrPixel).toBeLessThanOrEqual(64 * 1024 * 1024);
    expect(autoTileSize({ backend: 'cpu', multiple: 32, memoryBudget: 1, ...tiny })).toBe(32);
    expect(autoTileSize({ backend: 'cpu', multiple: 32, memoryBudget: 1e15, ...tiny })).toBe(
      DEFAULT_MAX_TILE,
    );
  });

  it('estimates more memory for bigger networks', () => {
    const official = estimateMemory(SR_UNET_PRESETS.official);
    expect(official.liveBytesPerLrPixel).toBeGreaterThan(tiny.liveBytesPerLrPixel);
    expect(official.largestBufferBytesPerLrPixel).toBeGreaterThan(tiny.largestBufferBytesPerLrPixel);
  });
});
