#!/usr/bin/env node
// Builds the training and validation photo sets from Debian packages (offline, no dataset hub).
//
//   node scripts/prepare-photos.mjs [--out data]
//
// Training: the 11 photographs of plasma-workspace-wallpapers (2560x1600) and the 12 nature
// photographs of mate-backgrounds, each downscaled x2 with Lanczos (as in
// ../shared/docs/calibration.md) to reduce JPEG artefacts in the HR targets.
// Validation (held out as whole images, never crops of training images): colour photographs of
// opencv-doc and scikit-image's public-domain test images, cropped to a multiple of 4 (mod-crop).
// Licences: plasma-workspace-wallpapers LGPL-3 / CC-BY-SA-4.0; mate-backgrounds GPL-2+;
// opencv-doc BSD-3 (sample data); python3-skimage data public domain / CC0.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import sharp from 'sharp';

const args = process.argv.slice(2);
const out = resolve(
  args[args.indexOf('--out') + 1] && args.includes('--out') ? args[args.indexOf('--out') + 1] : 'data',
);
const cache = join(out, '.debs');
const extracted = join(out, '.extracted');
mkdirSync(cache, { recursive: true });
mkdirSync(extracted, { recursive: true });

const PACKAGES = ['plasma-workspace-wallpapers', 'mate-backgrounds', 'opencv-doc', 'python3-skimage'];
for (const pkg of PACKAGES) {
  if (!readdirSync(cache).some((f) => f.startsWith(`${pkg}_`))) {
    console.log(`downloading ${pkg} (apt-get download)`);
    execFileSync('apt-get', ['download', pkg], { cwd: cache, stdio: 'inherit' });
  }
}
for (const deb of readdirSync(cache).filter((f) => f.endsWith('.deb'))) {
  execFileSync('dpkg', ['-x', join(cache, deb), extracted]);
}

/** The largest `<W>x<H>.jpg` of a wallpaper (2560x1600 for most, 5120x2880 for Volna). */
function largestImage(dir) {
  if (!existsSync(dir)) return join(dir, 'missing.jpg');
  const files = readdirSync(dir).filter((f) => /^\d+x\d+\.jpg$/.test(f));
  files.sort((a, b) => Number.parseInt(b, 10) - Number.parseInt(a, 10));
  return join(dir, files[0]);
}

const PLASMA = [
  'BytheWater',
  'ColdRipple',
  'ColorfulCups',
  'DarkestHour',
  'EveningGlow',
  'FallenLeaf',
  'Grey',
  'OneStandsOut',
  'Path',
  'summer_1am',
  'Volna',
];
const train = [
  ...PLASMA.map((n) => [
    `plasma-${n}`,
    largestImage(join(extracted, 'usr/share/wallpapers', n, 'contents/images')),
  ]),
  ...readdirSync(join(extracted, 'usr/share/backgrounds/mate/nature'))
    .filter((f) => f.endsWith('.jpg'))
    .map((f) => [`mate-${f.replace(/\.jpg$/, '')}`, join(extracted, 'usr/share/backgrounds/mate/nature', f)]),
];
const CV = [
  'baboon.jpg',
  'fruits.jpg',
  'butterfly.jpg',
  'building.jpg',
  'home.jpg',
  'aero1.jpg',
  'aero3.jpg',
  'apple.jpg',
  'orange.jpg',
  'messi5.jpg',
  'leuvenA.jpg',
];
const SK = ['astronaut.png', 'coffee.png', 'chelsea.png', 'motorcycle_left.png'];
const val = [
  ...CV.map((f) => [
    `opencv-${f.replace(/\.\w+$/, '')}`,
    join(extracted, 'usr/share/doc/opencv-doc/examples/data', f),
  ]),
  ...SK.map((f) => [
    `skimage-${f.replace(/\.\w+$/, '')}`,
    join(extracted, 'usr/lib/python3/dist-packages/skimage/data', f),
  ]),
];

async function writeSet(name, list, transform) {
  const dir = join(out, name);
  mkdirSync(dir, { recursive: true });
  for (const [stem, src] of list) {
    if (!existsSync(src)) {
      console.warn(`missing ${src}, skipped`);
      continue;
    }
    await transform(sharp(src).rotate().removeAlpha().toColourspace('srgb'), join(dir, `${stem}.png`));
  }
  console.log(`${name}: ${readdirSync(dir).length} images in ${dir}`);
}

await writeSet('train', train, async (img, dst) => {
  const { width } = await img.metadata();
  await img
    // Downscale so the long side is at most 1280 px (x2 for the 2560-px wallpapers).
    .resize(Math.round(width / Math.max(2, width / 1280)), null, { kernel: 'lanczos3' })
    .png()
    .toFile(dst);
});
await writeSet('val', val, async (img, dst) => {
  const { data, info } = await img.raw().toBuffer({ resolveWithObject: true });
  const w = info.width - (info.width % 4);
  const h = info.height - (info.height % 4);
  await sharp(data, { raw: { width: info.width, height: info.height, channels: info.channels } })
    .extract({ left: 0, top: 0, width: w, height: h })
    .png()
    .toFile(dst);
});
