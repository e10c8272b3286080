import { resolveSrUnetConfig, SrUnet } from '@ctmsr/sr-unet';
import { describeBackends } from '@ctmsr/test-harness';
import sharp from 'sharp';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { CTMSR } from './ctmsr.js';

/** Real-image cases through the whole API: file bytes in, encoded bytes out. */
describeBackends('CTMSR with encoded images (Node)', ({ backend }) => {
  let net: SrUnet;
  let sr: CTMSR;
  beforeAll(async () => {
    net = SrUnet.create(resolveSrUnetConfig({ preset: 'tiny', windowSize: 2 }), 2);
    sr = await CTMSR.load({ model: { network: net }, backend });
  });
  afterAll(() => {
    sr.dispose();
    net.dispose();
  });

  it('keeps alpha (upscaled, not black) for an RGBA PNG', async () => {
    const raw = new Uint8Array(8 * 8 * 4);
    for (let i = 0; i < 64; i++) raw.set([200, 100, 50, i % 8 < 4 ? 255 : 0], 4 * i);
    const input = await sharp(raw, { raw: { width: 8, height: 8, channels: 4 } })
      .png()
      .toBuffer();
    const out = await sr.upscale(input);
    const { data, info } = await sharp(out).raw().toBuffer({ resolveWithObject: true });
    expect([info.width, info.height, info.channels]).toEqual([32, 32, 4]);
    expect(data[3]).toBe(255); // top-left: opaque
    expect(data[(31 * 32 + 31) * 4 + 3]).toBe(0); // bottom-right: transparent
    expect(data[0]).toBeGreaterThan(100); // colour kept where opaque, not black
  });

  it('returns gray for gray input and 16-bit for 16-bit input', async () => {
    const gray = await sharp(new Uint8Array(64).fill(90), { raw: { width: 8, height: 8, channels: 1 } })
      .toColourspace('b-w')
      .png()
      .toBuffer();
    const g = await sharp(await sr.upscale(gray)).metadata();
    expect([g.width, g.channels]).toEqual([32, 1]);
    const deep = await sharp(new Uint16Array(8 * 8 * 3).fill(30000), {
      raw: { width: 8, height: 8, channels: 3 },
    })
      .toColourspace('rgb16')
      .png()
      .toBuffer();
    const d = await sharp(await sr.upscale(deep)).metadata();
    expect([d.width, d.depth]).toEqual([32, 'ushort']);
  });

  it('applies EXIF orientation and can return JPEG, WebP, tensors and pixels', async () => {
    const jpeg = await sharp(new Uint8Array(16 * 8 * 3).fill(128), {
      raw: { width: 16, height: 8, channels: 3 },
    })
      .jpeg()
      .withMetadata({ orientation: 6 })
      .toBuffer();
    const m = await sharp(await sr.upscale(jpeg, { output: 'jpeg', quality: 90 })).metadata();
    expect([m.format, m.width, m.height]).toEqual(['jpeg', 32, 64]);
    expect((await sharp(await sr.upscale(jpeg, { output: 'webp' })).metadata()).format).toBe('webp');
    const p = await sr.upscale(jpeg, { output: 'pixels' });
    expect([p.height, p.width, p.channels]).toEqual([64, 32, 3]);
    const t = await sr.upscale(jpeg, { output: 'tensor' });
    expect(t.shape).toEqual([64, 32, 3]);
    t.dispose();
  });

  it('rejects oversized and broken inputs with the reason', async () => {
    const input = await sharp(new Uint8Array(8 * 8 * 3), { raw: { width: 8, height: 8, channels: 3 } })
      .png()
      .toBuffer();
    await expect(sr.upscale(input, { maxPixels: 16 })).rejects.toThrow(/image too large/);
    await expect(sr.upscale(new Uint8Array([1, 2, 3]))).rejects.toThrow(/not a readable image/);
  });
});
