/**
 * Builds test/fixtures/jpeg-photos.json: small crops of public-domain photos (scikit-image's
 * astronaut.png and coffee.png, lossless PNGs) as raw RGB, and the same crops encoded by libjpeg
 * (sharp's mozjpeg build in plain libjpeg mode: baseline, standard tables, 4:2:0, no trellis) at
 * several qualities. The test decodes those JPEGs with jpeg-js and compares them to the tensor JPEG.
 *
 *   npx tsx packages/degradations/test/golden/make-jpeg-fixture.ts [skimage data dir]
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';

const dataDir = process.argv[2] ?? '/work/data/x/usr/lib/python3/dist-packages/skimage/data';
const QUALITIES = [30, 50, 75, 95];
const CROPS = [
  { name: 'astronaut-64', file: 'astronaut.png', left: 200, top: 60, width: 64, height: 64 },
  { name: 'coffee-61x45', file: 'coffee.png', left: 250, top: 150, width: 61, height: 45 },
];

const out: {
  source: string;
  encoder: string;
  crops: Array<{ name: string; width: number; height: number; rgb: string; jpeg420: Record<string, string> }>;
} = {
  source: 'scikit-image data (public domain)',
  encoder: `sharp ${sharp.versions.sharp}, mozjpeg ${sharp.versions.mozjpeg}`,
  crops: [],
};

for (const c of CROPS) {
  const { data } = await sharp(`${dataDir}/${c.file}`)
    .removeAlpha()
    .extract({ left: c.left, top: c.top, width: c.width, height: c.height })
    .raw()
    .toBuffer({ resolveWithObject: true });
  const jpeg420: Record<string, string> = {};
  for (const q of QUALITIES) {
    const jpg = await sharp(data, { raw: { width: c.width, height: c.height, channels: 3 } })
      .jpeg({
        quality: q,
        chromaSubsampling: '4:2:0',
        mozjpeg: false,
        trellisQuantisation: false,
        overshootDeringing: false,
        optimiseScans: false,
        optimiseCoding: false,
        progressive: false,
        quantisationTable: 0,
      })
      .toBuffer();
    jpeg420[String(q)] = jpg.toString('base64');
  }
  out.crops.push({
    name: c.name,
    width: c.width,
    height: c.height,
    rgb: Buffer.from(data).toString('base64'),
    jpeg420,
  });
}
const path = fileURLToPath(new URL('../fixtures/jpeg-photos.json', import.meta.url));
writeFileSync(path, JSON.stringify(out));
console.log(path, JSON.stringify(out).length, 'bytes');
