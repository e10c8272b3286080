import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { decodeImageNode } from './decode-node.js';
import { encodeImageNode } from './encode-node.js';

async function png(data: Uint8Array | Uint16Array, width: number, height: number, channels: 1 | 2 | 3 | 4) {
  const deep = data instanceof Uint16Array;
  let img = sharp(data, { raw: { width, height, channels } });
  if (channels <= 2) img = img.toColourspace(deep ? 'grey16' : 'b-w');
  else if (deep) img = img.toColourspace('rgb16');
  return img.png().toBuffer();
}

describe('decodeImageNode / encodeImageNode (sharp)', () => {
  it('decodes 8-bit RGB exactly and round-trips through PNG', async () => {
    const raw = Uint8Array.from({ length: 4 * 3 * 3 }, (_, i) => (i * 23) % 256);
    const { pixels, format } = await decodeImageNode(await png(raw, 4, 3, 3));
    expect(format).toBe('png');
    expect(pixels).toMatchObject({ height: 3, width: 4, channels: 3, bitDepth: 8 });
    expect(Array.from(pixels.data, (v) => Math.round(v * 255))).toEqual(Array.from(raw));
    const again = await decodeImageNode(await encodeImageNode(pixels));
    expect(Array.from(again.pixels.data)).toEqual(Array.from(pixels.data));
  });

  it('keeps 16-bit precision in and out (PNG)', async () => {
    const raw = Uint16Array.from({ length: 3 * 2 * 3 }, (_, i) => i * 3001 + 7);
    const { pixels } = await decodeImageNode(await png(raw, 3, 2, 3));
    expect(pixels.bitDepth).toBe(16);
    expect(Array.from(pixels.data, (v) => Math.round(v * 65535))).toEqual(Array.from(raw));
    const out = await encodeImageNode(pixels, { format: 'png' });
    const meta = await sharp(out).metadata();
    expect(meta.depth).toBe('ushort');
    const back = await decodeImageNode(out);
    expect(Array.from(back.pixels.data, (v) => Math.round(v * 65535))).toEqual(Array.from(raw));
  });

  it('keeps gray as gray, with and without alpha', async () => {
    const g = await decodeImageNode(await png(Uint8Array.from([0, 64, 128, 255]), 2, 2, 1));
    expect(g.pixels.channels).toBe(1);
    expect(Array.from(g.pixels.data, (v) => Math.round(v * 255))).toEqual([0, 64, 128, 255]);
    const ga = await decodeImageNode(await png(Uint8Array.from([10, 255, 20, 0]), 2, 1, 2));
    expect(ga.pixels.channels).toBe(2);
    expect(Array.from(ga.pixels.data, (v) => Math.round(v * 255))).toEqual([10, 255, 20, 0]);
    const meta = await sharp(await encodeImageNode(ga.pixels)).metadata();
    expect(meta.channels).toBe(2);
    const g16 = await decodeImageNode(await png(Uint16Array.from([0, 1000, 40000, 65535]), 4, 1, 1));
    expect(g16.pixels).toMatchObject({ channels: 1, bitDepth: 16 });
    expect(Array.from(g16.pixels.data, (v) => Math.round(v * 65535))).toEqual([0, 1000, 40000, 65535]);
  });

  it('keeps alpha for RGBA', async () => {
    const raw = Uint8Array.from([255, 0, 0, 255, 0, 255, 0, 0]);
    const { pixels } = await decodeImageNode(await png(raw, 2, 1, 4));
    expect(pixels.channels).toBe(4);
    expect(Array.from(pixels.data, (v) => Math.round(v * 255))).toEqual(Array.from(raw));
  });

  it('applies the EXIF orientation', async () => {
    // 4 wide x 2 high: left half red, right half blue; orientation 6 = rotate 90 degrees clockwise.
    const raw = new Uint8Array(4 * 2 * 3);
    for (let y = 0; y < 2; y++) {
      for (let x = 0; x < 4; x++) raw.set(x < 2 ? [255, 0, 0] : [0, 0, 255], (y * 4 + x) * 3);
    }
    const jpeg = await sharp(raw, { raw: { width: 4, height: 2, channels: 3 } })
      .jpeg({ quality: 100 })
      .withMetadata({ orientation: 6 })
      .toBuffer();
    const { pixels } = await decodeImageNode(jpeg);
    expect([pixels.height, pixels.width]).toEqual([4, 2]);
    const red = (i: number) => pixels.data[3 * i] > 0.6 && pixels.data[3 * i + 2] < 0.4;
    expect(red(0) && red(1) && red(2) && red(3)).toBe(true); // old left half is now on top
    expect(red(6) || red(7)).toBe(false);
  });

  it('converts to sRGB and re-attaches the ICC profile on output', async () => {
    const raw = Uint8Array.from([255, 0, 0, 0, 255, 0, 0, 0, 255, 100, 150, 200]);
    const p3 = await sharp(raw, { raw: { width: 2, height: 2, channels: 3 } })
      .withIccProfile('p3')
      .png()
      .toBuffer();
    const stored = await sharp(p3, { ignoreIcc: true }).raw().toBuffer();
    const decoded = await decodeImageNode(p3);
    expect(decoded.icc?.byteLength).toBeGreaterThan(0);
    expect(Math.round(decoded.pixels.data[0] * 255)).toBe(255); // sRGB red again
    const out = await encodeImageNode(decoded.pixels, { icc: decoded.icc });
    expect((await sharp(out).metadata()).icc?.byteLength).toBe(decoded.icc?.byteLength);
    const storedOut = await sharp(out, { ignoreIcc: true }).raw().toBuffer();
    for (let i = 0; i < stored.length; i++) expect(Math.abs(storedOut[i] - stored[i])).toBeLessThanOrEqual(2);
  });

  it('encodes JPEG and WebP (alpha flattened for JPEG)', async () => {
    const p = { data: new Float32Array(4 * 4 * 4).fill(0.5), height: 4, width: 4, channels: 4 as const };
    expect((await sharp(await encodeImageNode(p, { format: 'jpeg' })).metadata()).format).toBe('jpeg');
    const webp = await sharp(await encodeImageNode(p, { format: 'webp', quality: 80 })).metadata();
    expect(webp.format).toBe('webp');
    expect(webp.hasAlpha).toBe(true);
    await expect(encodeImageNode(p, { format: 'gif' as never })).rejects.toThrow(
      /'format' must be one of png, jpeg, webp/,
    );
  });

  it('gives one-line reasons for bad inputs', async () => {
    const good = await png(new Uint8Array(8 * 8 * 3).fill(9), 8, 8, 3);
    await expect(decodeImageNode(new Uint8Array(0))).rejects.toThrow(/^empty file \(0 bytes\)$/);
    await expect(decodeImageNode(new TextEncoder().encode('hello, not an image'))).rejects.toThrow(
      /^not a readable image/,
    );
    await expect(decodeImageNode(good.subarray(0, good.length - 30))).rejects.toThrow(/cannot decode image/);
    await expect(decodeImageNode(good, { maxPixels: 10 })).rejects.toThrow(
      /^image too large: 8x8 = 64 pixels, the limit is 10/,
    );
    await expect(decodeImageNode('/nonexistent/x.png')).rejects.toThrow(/^cannot read file: no such file$/);
  });
});
