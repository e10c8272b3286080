/**
 * Small display helpers shared by the notebooks: images as PNG bytes / an HTML row with captions,
 * and a line plot drawn as SVG. They return bytes or strings; the notebooks pass them to tslab's
 * `display.png` / `display.html`. Shown images are small (a fixed display height) to keep the
 * stored outputs small.
 */
import * as tf from '@tensorflow/tfjs-core';
import sharp from 'sharp';

/** Reads an image file as RGB, [1, H, W, 3] float32 in [0, 1]. */
export async function readImage(path: string): Promise<tf.Tensor4D> {
  const { data, info } = await sharp(path).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return tf.tidy(
    () =>
      tf.div(tf.tensor4d(new Uint8Array(data), [1, info.height, info.width, 3], 'int32'), 255) as tf.Tensor4D,
  );
}

/** A centred crop of `image` [1, H, W, 3] to [1, h, w, 3]. */
export function centerCrop(image: tf.Tensor4D, h: number, w: number): tf.Tensor4D {
  const [, H, W] = image.shape;
  if (h > H || w > W) throw new Error(`centerCrop: ${w}x${h} does not fit in ${W}x${H}`);
  return tf.slice(image, [0, Math.floor((H - h) / 2), Math.floor((W - w) / 2), 0], [1, h, w, 3]);
}

/**
 * PNG bytes of an image tensor [H, W, C] or [1, H, W, C] in [0, 1] (clamped), C = 1 or 3,
 * resized to `height` pixels high (nearest neighbour when enlarging, so LR pixels stay visible).
 */
export async function pngBytes(image: tf.Tensor, height?: number): Promise<Uint8Array> {
  const bytes = tf.tidy(() => {
    const t = image.rank === 4 ? tf.squeeze(image, [0]) : image;
    return tf.cast(tf.round(tf.mul(tf.clipByValue(t, 0, 1), 255)), 'int32');
  });
  const [h, w, c] = bytes.shape;
  const raw = Uint8Array.from(await bytes.data());
  bytes.dispose();
  let img = sharp(raw, { raw: { width: w, height: h, channels: c as 1 | 3 } });
  if (height != null && height !== h) {
    img = img.resize({ height, kernel: height > h ? 'nearest' : 'lanczos3' });
  }
  return new Uint8Array(await img.png({ compressionLevel: 9 }).toBuffer());
}

export interface Panel {
  image: tf.Tensor;
  label: string;
}

/** HTML for a row of captioned images, each shown `height` pixels high (default 128). */
export async function imageRow(panels: Panel[], height = 128): Promise<string> {
  const figures: string[] = [];
  for (const { image, label } of panels) {
    const src = `data:image/png;base64,${Buffer.from(await pngBytes(image, height)).toString('base64')}`;
    figures.push(
      `<figure style="margin:0 6px 0 0;text-align:center"><img src="${src}" style="image-rendering:pixelated"/>` +
        `<figcaption style="font:12px sans-serif">${escapeHtml(label)}</figcaption></figure>`,
    );
  }
  return `<div style="display:flex;flex-wrap:wrap;align-items:flex-end">${figures.join('')}</div>`;
}

export interface Series {
  name: string;
  values: number[];
  color?: string;
  /** x of values[0] (default 1): values[i] is drawn at x0 + i. */
  x0?: number;
}

export interface PlotOptions {
  width?: number;
  height?: number;
  title?: string;
  xLabel?: string;
  yLabel?: string;
  /** Logarithmic y axis (default false). */
  logY?: boolean;
}

const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd'];

/** A line plot of one or more series as an SVG string (no dependencies, no canvas). */
export function linePlot(series: Series[], options: PlotOptions = {}): string {
  const width = options.width ?? 560;
  const height = options.height ?? 280;
  const m = { left: 56, right: 12, top: options.title ? 26 : 10, bottom: 40 };
  const fy = (v: number) => (options.logY ? Math.log10(Math.max(v, 1e-12)) : v);
  const points = series.flatMap((s) => s.values.map((v, i) => [(s.x0 ?? 1) + i, fy(v)] as const));
  const finite = points.filter(([, y]) => Number.isFinite(y));
  if (finite.length === 0) throw new Error('linePlot: no finite values to plot');
  const xs = finite.map(([x]) => x);
  const ys = finite.map(([, y]) => y);
  const [xMin, xMax] = [Math.min(...xs), Math.max(...xs, Math.min(...xs) + 1)];
  let [yMin, yMax] = [Math.min(...ys), Math.max(...ys)];
  if (yMax - yMin < 1e-12) [yMin, yMax] = [yMin - 0.5, yMax + 0.5];
  const px = (x: number) => m.left + ((x - xMin) / (xMax - xMin)) * (width - m.left - m.right);
  const py = (y: number) => height - m.bottom - ((y - yMin) / (yMax - yMin)) * (height - m.top - m.bottom);
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="11">`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    `<line x1="${m.left}" y1="${height - m.bottom}" x2="${width - m.right}" y2="${height - m.bottom}" stroke="#333"/>`,
    `<line x1="${m.left}" y1="${m.top}" x2="${m.left}" y2="${height - m.bottom}" stroke="#333"/>`,
  ];
  for (let i = 0; i <= 4; i++) {
    const y = yMin + ((yMax - yMin) * i) / 4;
    const label = options.logY ? (10 ** y).toPrecision(2) : y.toPrecision(3);
    parts.push(
      `<line x1="${m.left - 4}" y1="${py(y)}" x2="${width - m.right}" y2="${py(y)}" stroke="#ddd"/>`,
      `<text x="${m.left - 6}" y="${py(y) + 4}" text-anchor="end">${label}</text>`,
    );
    const x = xMin + ((xMax - xMin) * i) / 4;
    parts.push(
      `<text x="${px(x)}" y="${height - m.bottom + 14}" text-anchor="middle">${Math.round(x)}</text>`,
    );
  }
  series.forEach((s, k) => {
    const color = s.color ?? COLORS[k % COLORS.length];
    const path = s.values
      .map((v, i) => [px((s.x0 ?? 1) + i), py(fy(v))] as const)
      .filter(([, y]) => Number.isFinite(y))
      .map(([x, y], i) => `${i === 0 ? 'M' : 'L'}${x.toFixed(1)},${y.toFixed(1)}`)
      .join('');
    parts.push(`<path d="${path}" fill="none" stroke="${color}" stroke-width="1.5"/>`);
    parts.push(
      `<text x="${width - m.right - 4}" y="${m.top + 14 + 14 * k}" text-anchor="end" fill="${color}">${escapeHtml(s.name)}</text>`,
    );
  });
  if (options.title) {
    parts.push(
      `<text x="${width / 2}" y="16" text-anchor="middle" font-size="13">${escapeHtml(options.title)}</text>`,
    );
  }
  if (options.xLabel) {
    parts.push(
      `<text x="${(m.left + width - m.right) / 2}" y="${height - 6}" text-anchor="middle">${escapeHtml(options.xLabel)}</text>`,
    );
  }
  if (options.yLabel) {
    parts.push(
      `<text transform="translate(14 ${(m.top + height - m.bottom) / 2}) rotate(-90)" text-anchor="middle">${escapeHtml(options.yLabel)}</text>`,
    );
  }
  parts.push('</svg>');
  return parts.join('');
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
