/**
 * Browser images <-> Pixels: ImageData, and anything a 2-D canvas can draw (HTMLImageElement,
 * HTMLCanvasElement, OffscreenCanvas, ImageBitmap, HTMLVideoElement). All DOM access sits behind
 * feature detection, so this module loads in Node.
 */
import type { Pixels } from './pixels.js';

/** The fields of ImageData this package uses (a real ImageData has them). */
export interface ImageDataLike {
  data: Uint8ClampedArray;
  width: number;
  height: number;
}

/** Anything `drawImage` accepts. */
export type DrawableImage = CanvasImageSource;

export function isImageDataLike(x: unknown): x is ImageDataLike {
  if (x == null || typeof x !== 'object') return false;
  const o = x as Partial<ImageDataLike>;
  return (
    o.data instanceof Uint8ClampedArray &&
    typeof o.width === 'number' &&
    typeof o.height === 'number' &&
    o.data.length === o.width * o.height * 4
  );
}

const DRAWABLE_GLOBALS = [
  'HTMLImageElement',
  'HTMLCanvasElement',
  'OffscreenCanvas',
  'ImageBitmap',
  'HTMLVideoElement',
  'SVGImageElement',
  'VideoFrame',
];

export function isDrawableImage(x: unknown): x is DrawableImage {
  if (x == null || typeof x !== 'object') return false;
  const g = globalThis as Record<string, unknown>;
  return DRAWABLE_GLOBALS.some(
    (name) => typeof g[name] === 'function' && x instanceof (g[name] as new () => object),
  );
}

function drawableSize(img: DrawableImage): { width: number; height: number } {
  const o = img as {
    naturalWidth?: number;
    naturalHeight?: number;
    videoWidth?: number;
    videoHeight?: number;
  };
  const i = img as {
    width: number | { baseVal: { value: number } };
    height: number | { baseVal: { value: number } };
  };
  const num = (v: number | { baseVal: { value: number } }) => (typeof v === 'number' ? v : v.baseVal.value);
  return {
    width: o.naturalWidth || o.videoWidth || num(i.width),
    height: o.naturalHeight || o.videoHeight || num(i.height),
  };
}

/** Draws a browser image on a canvas and reads its RGBA pixels. */
export function drawableToImageData(img: DrawableImage): ImageDataLike {
  const { width, height } = drawableSize(img);
  if (!(width > 0 && height > 0))
    throw new Error(`upscale: the image has zero size (${width}x${height}); is it loaded?`);
  const g = globalThis as { OffscreenCanvas?: typeof OffscreenCanvas; document?: Document };
  let ctx: OffscreenCanvasRenderingContext2D | CanvasRenderingContext2D | null;
  if (typeof g.OffscreenCanvas === 'function') {
    ctx = new g.OffscreenCanvas(width, height).getContext('2d', { willReadFrequently: true });
  } else if (g.document) {
    const canvas = g.document.createElement('canvas');
    canvas.width = width;
    canvas.height = height;
    ctx = canvas.getContext('2d', { willReadFrequently: true });
  } else {
    throw new Error('upscale: no canvas available to read this image (not a browser?)');
  }
  if (!ctx) throw new Error('upscale: could not get a 2-D canvas context');
  ctx.drawImage(img, 0, 0);
  return ctx.getImageData(0, 0, width, height);
}

/** RGBA 8-bit -> Pixels; fully opaque images become 3-channel (no alpha work). */
export function imageDataToPixels(img: ImageDataLike): Pixels {
  const n = img.width * img.height;
  let opaque = true;
  for (let i = 0; i < n; i++) {
    if (img.data[4 * i + 3] !== 255) {
      opaque = false;
      break;
    }
  }
  const c = opaque ? 3 : 4;
  const data = new Float32Array(n * c);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < c; k++) data[c * i + k] = img.data[4 * i + k] / 255;
  }
  return { data, height: img.height, width: img.width, channels: c };
}

/** Pixels -> RGBA 8-bit ImageData (a real ImageData where the global exists). */
export function pixelsToImageData(p: Pixels): ImageData {
  const n = p.width * p.height;
  const out = new Uint8ClampedArray(n * 4);
  const c = p.channels;
  for (let i = 0; i < n; i++) {
    const s = c * i;
    const r = p.data[s];
    const g = c >= 3 ? p.data[s + 1] : r;
    const b = c >= 3 ? p.data[s + 2] : r;
    const a = c === 2 || c === 4 ? p.data[s + c - 1] : 1;
    out[4 * i] = Math.round(r * 255);
    out[4 * i + 1] = Math.round(g * 255);
    out[4 * i + 2] = Math.round(b * 255);
    out[4 * i + 3] = Math.round(a * 255);
  }
  const Ctor = (globalThis as { ImageData?: typeof ImageData }).ImageData;
  if (typeof Ctor === 'function') return new Ctor(out, p.width, p.height);
  return { data: out, width: p.width, height: p.height, colorSpace: 'srgb' } as ImageData;
}
