import { writeFile } from 'node:fs/promises';
import * as tf from '@tensorflow/tfjs-core';
import { CTMSR } from 'ctmsr';

const sr = await CTMSR.load({ log: console.log }); // bundled model; WebGPU if a GPU is there, else wasm
try {
  // Files in Node: EXIF orientation, 16-bit, gray and alpha are handled; PNG bytes come back.
  const png = await sr.upscale('photo.jpg', { onProgress: (p) => console.log(`${p.completed}/${p.total}`) });
  await writeFile('photo-x4.png', png);
  // Tensors: [H, W, 3] in [0, 1] -> [4H, 4W, 3]; same seed, same pixels; 2-step sampling.
  const y = await sr.upscale(tf.zeros([32, 48, 3]), { seed: 7, steps: 2 });
  y.dispose();
} finally {
  sr.dispose();
}
