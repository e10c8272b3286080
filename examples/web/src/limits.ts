/**
 * What the page accepts, and the messages for what it refuses. Pure functions (tested in
 * limits.test.ts).
 */

/** Largest file the page reads, in bytes. */
export const MAX_FILE_BYTES = 25 * 1024 * 1024;
/** Largest input in pixels: 1024 x 1024 gives a 4096 x 4096 result, which a browser tab can hold. */
export const MAX_INPUT_PIXELS = 1024 * 1024;

export interface FileFacts {
  name: string;
  type: string;
  size: number;
}

const MiB = 1024 * 1024;

/** Checks a picked file before decoding it; returns a message for the user, or null when it is fine. */
export function checkFile(file: FileFacts): string | null {
  if (!file.type.startsWith('image/')) {
    const kind = file.type === '' ? 'an unknown type' : `type ${file.type}`;
    return `"${file.name}" is not an image (${kind}). Choose a PNG, JPEG, WebP or other image file.`;
  }
  if (file.size > MAX_FILE_BYTES) {
    return `"${file.name}" is too large: ${(file.size / MiB).toFixed(1)} MiB; this page reads files up to ${MAX_FILE_BYTES / MiB} MiB.`;
  }
  if (file.size === 0) return `"${file.name}" is empty.`;
  return null;
}

/** Checks decoded dimensions; returns a message for the user, or null when they are fine. */
export function checkDimensions(name: string, width: number, height: number): string | null {
  if (!(width > 0 && height > 0)) return `"${name}" has no pixels (${width} x ${height}).`;
  if (width * height > MAX_INPUT_PIXELS) {
    const side = Math.sqrt(MAX_INPUT_PIXELS);
    return (
      `"${name}" is too large: ${width} x ${height} pixels; this page upscales images up to ` +
      `${MAX_INPUT_PIXELS.toLocaleString('en')} pixels (e.g. ${side} x ${side}). Crop or shrink it first, ` +
      'or use the ctmsr command line tool (`ctmsr upscale --max-pixels`).'
    );
  }
  return null;
}

/** The download name for a result: `photo.jpg` -> `photo-x4.png`. */
export function resultFileName(name: string, scale: number): string {
  const stem = name.replace(/\.[^./\\]*$/, '') || 'image';
  return `${stem}-x${scale}.png`;
}
