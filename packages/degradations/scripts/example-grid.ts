/**
 * Visual check: writes a PNG grid of HR crops and their degraded LR images (nearest-neighbour
 * up-scaled ×4 for display), from real photos.
 *
 *   npx tsx packages/degradations/scripts/example-grid.ts [out.png] [photo dir root]
 *
 * Rows: astronaut, coffee, chelsea (scikit-image, public domain), baboon (OpenCV samples).
 * Columns: HR | Real-ESRGAN training setting, seed 1 | same, seed 2 | test-set setting | bicubic ×4.
 */
import { selectBackend } from '@ctmsr/backends';
import * as tf from '@tensorflow/tfjs-core';
import sharp from 'sharp';
import {
  bicubicDegrade,
  REAL_ESRGAN_TEST_OPTIONS,
  realEsrganDegrade,
  sampleDegradationParams,
} from '../src/index.js';

const TILE = 160;
const out = process.argv[2] ?? new URL('../docs/example-grid.png', import.meta.url).pathname;
const root = process.argv[3] ?? '/work/data/x';
const PHOTOS = [
  { file: 'usr/lib/python3/dist-packages/skimage/data/astronaut.png', left: 150, top: 20 },
  { file: 'usr/lib/python3/dist-packages/skimage/data/coffee.png', left: 200, top: 100 },
  { file: 'usr/lib/python3/dist-packages/skimage/data/chelsea.png', left: 120, top: 40 },
  { file: 'usr/share/doc/opencv-doc/examples/data/baboon.jpg', left: 180, top: 80 },
];

async function loadCrop(p: (typeof PHOTOS)[number]): Promise<Float32Array> {
  const { data } = await sharp(`${root}/${p.file}`)
    .removeAlpha()
    .extract({ left: p.left, top: p.top, width: TILE, height: TILE })
    .raw()
    .toBuffer({ resolveWithObject: true });
  return Float32Array.from(data, (v) => v / 255);
}

/** [B, h, w, 3] in [0, 1] -> B tiles of TILE x TILE RGB bytes (nearest up-scaling). */
async function tiles(t: tf.Tensor4D): Promise<Uint8Array[]> {
  const [b, h] = t.shape;
  const f = TILE / h;
  const up = tf.tidy(() => {
    const big = h === TILE ? t : tf.image.resizeNearestNeighbor(t, [TILE, TILE]);
    return tf.cast(tf.round(tf.mul(tf.clipByValue(big, 0, 1), 255)), 'int32');
  });
  const v = await up.data();
  up.dispose();
  if (f !== Math.round(f)) throw new Error(`tile factor ${f} is not an integer`);
  return Array.from({ length: b }, (_, i) =>
    Uint8Array.from(v.subarray(i * TILE * TILE * 3, (i + 1) * TILE * TILE * 3)),
  );
}

await selectBackend({ backend: 'wasm' });
const crops = await Promise.all(PHOTOS.map(loadCrop));
const b = crops.length;
const hr = tf.tensor4d(Float32Array.from(crops.flatMap((c) => Array.from(c))), [b, TILE, TILE, 3]);
const columns: tf.Tensor4D[] = [hr];
for (const [label, options, seed] of [
  ['training setting, seed 1', {}, 1],
  ['training setting, seed 2', {}, 2],
  ['test-set setting, seed 3', REAL_ESRGAN_TEST_OPTIONS, 3],
] as const) {
  const p = sampleDegradationParams(b, TILE, options, seed);
  console.log(
    `${label}: stage-1 resize ${p.stage1.resize.mode} x${p.stage1.resize.scaleFactor?.toFixed(2)}, ` +
      `noise ${p.stage1.noise.type}, second stage ${p.stage2 ? 'yes' : 'no'}, final ${p.final.order}`,
  );
  const { lq, u } = realEsrganDegrade(hr, p);
  u.dispose();
  columns.push(lq);
}
const bic = bicubicDegrade(hr, 4);
bic.u.dispose();
columns.push(bic.lq);

const cols = columns.length;
const canvas = Buffer.alloc(cols * TILE * b * TILE * 3);
const rowStride = cols * TILE * 3;
for (const [ci, col] of columns.entries()) {
  const ts = await tiles(col);
  for (const [ri, tile] of ts.entries()) {
    for (let y = 0; y < TILE; y++) {
      const dst = (ri * TILE + y) * rowStride + ci * TILE * 3;
      canvas.set(tile.subarray(y * TILE * 3, (y + 1) * TILE * 3), dst);
    }
  }
}
tf.dispose(columns);
await sharp(canvas, { raw: { width: cols * TILE, height: b * TILE, channels: 3 } })
  .png({ compressionLevel: 9, adaptiveFiltering: true })
  .toFile(out);
console.log(`wrote ${out}`);
