/**
 * The LPIPS v0.1 trunks (Zhang et al., "The Unreasonable Effectiveness of Deep Features as a
 * Perceptual Metric", CVPR 2018) as data: torchvision's `vgg16().features` and
 * `alexnet().features` layer sequences, with torchvision's layer indices (so weight names match
 * `features.<index>.weight` of a torchvision state dict) and the five feature taps LPIPS uses.
 *
 * - VGG16: 13 3x3 convs (pad 1), taps after relu1_2, relu2_2, relu3_3, relu4_3, relu5_3
 *   (torchvision indices 3, 8, 15, 22, 29), 2x2 stride-2 max pooling between blocks.
 * - AlexNet: conv 11x11 stride 4 pad 2, 5x5 pad 2, then three 3x3 pad 1; taps after relu1..relu5
 *   (indices 1, 4, 7, 9, 11), 3x3 stride-2 max pooling after relu1 and relu2.
 *
 * Channel widths are NOT fixed here: they are read from the weights, so reduced-width variants
 * (used by the test fixtures) run through the same code.
 */

export type LpipsNet = 'vgg' | 'alex';

export type TrunkLayer =
  | { kind: 'conv'; index: number; kernel: number; stride: number; pad: number }
  | { kind: 'relu'; index: number; tap: boolean }
  | { kind: 'pool'; index: number; size: number; stride: number };

function vggLayers(): TrunkLayer[] {
  const layers: TrunkLayer[] = [];
  let i = 0;
  [2, 2, 3, 3, 3].forEach((convs, block) => {
    if (block > 0) layers.push({ kind: 'pool', index: i++, size: 2, stride: 2 });
    for (let c = 0; c < convs; c++) {
      layers.push({ kind: 'conv', index: i++, kernel: 3, stride: 1, pad: 1 });
      layers.push({ kind: 'relu', index: i++, tap: c === convs - 1 });
    }
  });
  return layers;
}

const ALEX_LAYERS: TrunkLayer[] = [
  { kind: 'conv', index: 0, kernel: 11, stride: 4, pad: 2 },
  { kind: 'relu', index: 1, tap: true },
  { kind: 'pool', index: 2, size: 3, stride: 2 },
  { kind: 'conv', index: 3, kernel: 5, stride: 1, pad: 2 },
  { kind: 'relu', index: 4, tap: true },
  { kind: 'pool', index: 5, size: 3, stride: 2 },
  { kind: 'conv', index: 6, kernel: 3, stride: 1, pad: 1 },
  { kind: 'relu', index: 7, tap: true },
  { kind: 'conv', index: 8, kernel: 3, stride: 1, pad: 1 },
  { kind: 'relu', index: 9, tap: true },
  { kind: 'conv', index: 10, kernel: 3, stride: 1, pad: 1 },
  { kind: 'relu', index: 11, tap: true },
];

/** The layer sequence of a trunk, up to its last tap (relu5_3 / relu5). */
export const LPIPS_TRUNKS: Record<LpipsNet, readonly TrunkLayer[]> = { vgg: vggLayers(), alex: ALEX_LAYERS };

/** Full (published) channel widths of the five taps. */
export const LPIPS_FULL_WIDTHS: Record<LpipsNet, readonly number[]> = {
  vgg: [64, 128, 256, 512, 512],
  alex: [64, 192, 384, 256, 256],
};

/** The spatial side after each layer of the trunk for an input side `n`; null when a window does not fit. */
export function trunkSides(net: LpipsNet, n: number): number[] | null {
  const sides: number[] = [];
  let s = n;
  for (const layer of LPIPS_TRUNKS[net]) {
    if (layer.kind === 'conv') s = Math.floor((s + 2 * layer.pad - layer.kernel) / layer.stride) + 1;
    else if (layer.kind === 'pool') s = Math.floor((s - layer.size) / layer.stride) + 1;
    if (s < 1) return null;
    sides.push(s);
  }
  return sides;
}

/** Smallest input side a trunk accepts (16 for VGG, 31 for AlexNet). */
export function minInputSide(net: LpipsNet): number {
  let n = 1;
  while (trunkSides(net, n) == null) n++;
  return n;
}

/** LPIPS's input scaling layer: x' = (x - shift) / scale, for inputs in [-1, 1]. */
export const LPIPS_SHIFT = [-0.03, -0.088, -0.188] as const;
export const LPIPS_SCALE = [0.458, 0.448, 0.45] as const;

/** The weight names of a trunk conv and of a linear head, in the weights file. */
export function convWeightName(net: LpipsNet, index: number, part: 'weight' | 'bias'): string {
  return `${net}.features.${index}.${part}`;
}
export function linWeightName(k: number): string {
  return `lin${k}.model.1.weight`;
}
