import { describe, expect, it } from 'vitest';
import { checkDimensions, checkFile, MAX_FILE_BYTES, MAX_INPUT_PIXELS, resultFileName } from './limits';

describe('checkFile', () => {
  it('accepts an image file', () => {
    expect(checkFile({ name: 'a.jpg', type: 'image/jpeg', size: 1000 })).toBeNull();
  });
  it('names a file that is not an image and its type', () => {
    expect(checkFile({ name: 'notes.txt', type: 'text/plain', size: 10 })).toBe(
      '"notes.txt" is not an image (type text/plain). Choose a PNG, JPEG, WebP or other image file.',
    );
    expect(checkFile({ name: 'x', type: '', size: 10 })).toContain('not an image (an unknown type)');
  });
  it('refuses a file over the size limit and an empty file', () => {
    expect(checkFile({ name: 'big.png', type: 'image/png', size: MAX_FILE_BYTES + 1 })).toMatch(
      /^"big.png" is too large: 25\.0 MiB; this page reads files up to 25 MiB\.$/,
    );
    expect(checkFile({ name: 'big.png', type: 'image/png', size: MAX_FILE_BYTES })).toBeNull();
    expect(checkFile({ name: 'e.png', type: 'image/png', size: 0 })).toBe('"e.png" is empty.');
  });
});

describe('checkDimensions', () => {
  it('accepts up to MAX_INPUT_PIXELS and refuses more, naming the size', () => {
    expect(checkDimensions('a.png', 1024, MAX_INPUT_PIXELS / 1024)).toBeNull();
    const message = checkDimensions('a.png', 1025, MAX_INPUT_PIXELS / 1024);
    expect(message).toContain('"a.png" is too large: 1025 x 1024 pixels');
    expect(message).toContain('up to 1,048,576 pixels');
  });
  it('refuses an image without pixels', () => {
    expect(checkDimensions('z.png', 0, 10)).toBe('"z.png" has no pixels (0 x 10).');
  });
});

describe('resultFileName', () => {
  it('replaces the extension and keeps the stem', () => {
    expect(resultFileName('photo.jpg', 4)).toBe('photo-x4.png');
    expect(resultFileName('my.cat.webp', 4)).toBe('my.cat-x4.png');
    expect(resultFileName('noext', 4)).toBe('noext-x4.png');
    expect(resultFileName('.png', 4)).toBe('image-x4.png');
  });
});
