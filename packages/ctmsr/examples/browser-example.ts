import { CTMSR } from 'ctmsr';

/** Upscales an <img> into a canvas, with a cancel button (browser code). */
export async function upscaleInto(
  img: HTMLImageElement,
  canvas: HTMLCanvasElement,
  cancel: HTMLButtonElement,
) {
  const sr = await CTMSR.load({ model: '/models/ctmsr/model.json', backend: 'webgpu' });
  const controller = new AbortController();
  cancel.onclick = () => controller.abort();
  try {
    const out = await sr.upscale(img, { signal: controller.signal, tileSize: 128 }); // ImageData
    canvas.width = out.width;
    canvas.height = out.height;
    canvas.getContext('2d')?.putImageData(out, 0, 0);
  } finally {
    sr.dispose();
  }
}
