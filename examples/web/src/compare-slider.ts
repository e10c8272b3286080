/**
 * Before/after comparison: two canvases stacked, the top one ("after") clipped to the right of a
 * split that a range input (mouse, touch, keyboard) moves.
 */
export interface CompareSlider {
  show(before: ImageData, after: ImageData): void;
}

/** CSS pixels: narrower results are magnified to this width so their detail can be seen. */
const MIN_DISPLAY_WIDTH = 512;

/** `figure` holds a `.compare` box (canvas.before, canvas.after, input.split) and its legend. */
export function compareSlider(figure: HTMLElement): CompareSlider {
  const box = figure.querySelector<HTMLElement>('.compare')!;
  const before = box.querySelector<HTMLCanvasElement>('canvas.before')!;
  const after = box.querySelector<HTMLCanvasElement>('canvas.after')!;
  const split = box.querySelector<HTMLInputElement>('input.split')!;
  const apply = () => box.style.setProperty('--split', `${split.value}%`);
  split.addEventListener('input', apply);
  apply();
  const paint = (canvas: HTMLCanvasElement, image: ImageData) => {
    canvas.width = image.width;
    canvas.height = image.height;
    canvas.getContext('2d')!.putImageData(image, 0, 0);
  };
  return {
    show(b, a) {
      paint(before, b);
      paint(after, a);
      box.style.aspectRatio = `${a.width} / ${a.height}`;
      // Large results fit the page; small ones are magnified so their detail can be seen.
      figure.style.maxWidth = `${Math.max(a.width, MIN_DISPLAY_WIDTH)}px`;
    },
  };
}
