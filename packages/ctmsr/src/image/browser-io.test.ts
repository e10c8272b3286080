import { describe, expect, it } from 'vitest';
import { imageDataToPixels, isDrawableImage, isImageDataLike, pixelsToImageData } from './browser-io.js';

describe('browser image conversions (ImageData-like objects; run in Node)', () => {
  it('drops alpha for opaque images and keeps it otherwise', () => {
    const opaque = { data: new Uint8ClampedArray([255, 0, 51, 255, 0, 102, 0, 255]), width: 2, height: 1 };
    expect(isImageDataLike(opaque)).toBe(true);
    const p = imageDataToPixels(opaque);
    expect(p.channels).toBe(3);
    expect(Array.from(p.data, (v) => Math.round(v * 255))).toEqual([255, 0, 51, 0, 102, 0]);
    const clear = { data: new Uint8ClampedArray([1, 2, 3, 0]), width: 1, height: 1 };
    expect(imageDataToPixels(clear).channels).toBe(4);
  });

  it('writes RGBA for every channel count (gray replicated, opaque alpha added)', () => {
    const gray = pixelsToImageData({ data: Float32Array.from([0.2, 1]), height: 1, width: 2, channels: 1 });
    expect([gray.width, gray.height]).toEqual([2, 1]);
    expect(Array.from(gray.data)).toEqual([51, 51, 51, 255, 255, 255, 255, 255]);
    const ga = pixelsToImageData({ data: Float32Array.from([0.2, 0.4]), height: 1, width: 1, channels: 2 });
    expect(Array.from(ga.data)).toEqual([51, 51, 51, 102]);
  });

  it('does not mistake other objects for browser images', () => {
    expect(isImageDataLike({ data: new Uint8Array(4), width: 1, height: 1 })).toBe(false);
    expect(isImageDataLike({ data: new Uint8ClampedArray(3), width: 1, height: 1 })).toBe(false);
    expect(isDrawableImage({ width: 3, height: 3 })).toBe(false);
  });
});
