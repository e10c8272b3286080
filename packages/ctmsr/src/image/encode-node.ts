/**
 * Encoding Pixels to PNG, JPEG or WebP in Node with sharp: 16-bit PNG for 16-bit sources, gray
 * stays gray, alpha kept (JPEG has none: flattened on white), and the source's ICC profile
 * re-attached where the encoder allows (pixels are converted from sRGB back to that profile).
 */
import type { Pixels } from './pixels.js';
import { loadSharp } from './sharp-loader.js';

export const ENCODED_FORMATS = ['png', 'jpeg', 'webp'] as const;
export type EncodedFormat = (typeof ENCODED_FORMATS)[number];

export interface EncodeOptions {
  format?: EncodedFormat;
  /** JPEG/WebP quality 1..100 (default 92). */
  quality?: number;
  /** ICC profile to convert to and attach. */
  icc?: Uint8Array;
}

export const DEFAULT_ENCODE_QUALITY = 92;

function quantise(p: Pixels, deep: boolean): Uint8Array | Uint16Array {
  const max = deep ? 65535 : 255;
  const out = deep ? new Uint16Array(p.data.length) : new Uint8Array(p.data.length);
  for (let i = 0; i < p.data.length; i++) {
    const v = p.data[i];
    out[i] = Number.isNaN(v) ? 0 : Math.round(Math.min(1, Math.max(0, v)) * max);
  }
  return out;
}

async function encodeOnce(
  p: Pixels,
  format: EncodedFormat,
  quality: number,
  iccPath?: string,
): Promise<Buffer> {
  const sharp = await loadSharp();
  const deep = format === 'png' && p.bitDepth === 16;
  const gray = p.channels <= 2;
  let img = sharp(quantise(p, deep), { raw: { width: p.width, height: p.height, channels: p.channels } });
  if (gray) img = img.toColourspace(deep ? 'grey16' : 'b-w');
  else if (deep) img = img.toColourspace('rgb16');
  if (iccPath) img = img.withIccProfile(iccPath);
  if (format === 'png') return img.png().toBuffer();
  if (format === 'jpeg') {
    if (p.channels === 2 || p.channels === 4) img = img.flatten({ background: '#ffffff' });
    return img.jpeg({ quality }).toBuffer();
  }
  return img.webp({ quality }).toBuffer();
}

/** Encodes `p` (values in [0, 1]) as an image file in memory (see file doc). */
export async function encodeImageNode(p: Pixels, options: EncodeOptions = {}): Promise<Buffer> {
  const format = options.format ?? 'png';
  if (!(ENCODED_FORMATS as readonly string[]).includes(format)) {
    throw new Error(
      `encodeImageNode: 'format' must be one of ${ENCODED_FORMATS.join(', ')}, got '${format}'`,
    );
  }
  const quality = options.quality ?? DEFAULT_ENCODE_QUALITY;
  if (!Number.isInteger(quality) || quality < 1 || quality > 100) {
    throw new Error(`encodeImageNode: 'quality' must be an integer in 1..100, got ${quality}`);
  }
  if (!options.icc) return encodeOnce(p, format, quality);
  // sharp takes an ICC profile as a file path: write it to a private temporary folder.
  const fs = await import('node:fs/promises');
  const os = await import('node:os');
  const path = await import('node:path');
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'ctmsr-icc-'));
  try {
    const iccPath = path.join(dir, 'profile.icc');
    await fs.writeFile(iccPath, options.icc);
    try {
      return await encodeOnce(p, format, quality, iccPath);
    } catch {
      // A profile the encoder cannot use (e.g. a gray profile on an RGB output): keep the pixels.
      return encodeOnce(p, format, quality);
    }
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}
