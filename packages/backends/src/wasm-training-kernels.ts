/**
 * Fast gradient kernels for training convolutional networks on the tfjs `wasm` backend.
 *
 * Stock `@tensorflow/tfjs-backend-wasm` 4.22 has no `Conv2DBackpropFilter` kernel (training a
 * conv net fails) and its `Conv2DBackpropInput` is a scalar loop (about 10x slower than the
 * forward conv). Both gradients are convolutions themselves, so we express them with the
 * backend's own XNNPACK-backed `Conv2D` kernel plus cheap layout kernels:
 *
 * - dx = conv2d(pad(dilate_s(dy)), rot180(W) with in/out channels swapped, stride 1, 'valid')
 *   (the transposed convolution; `dilate_s` inserts s-1 zeros between rows/columns of dy).
 * - dW = transpose(conv2d(transpose(pad(x), [3,1,2,0]), transpose(dy, [1,2,0,3]),
 *   stride 1, dilation s, 'valid'), [1,2,0,3]): the channels of x play the batch role and dy
 *   plays the filter, dilated by the forward stride.
 *
 * Source: the identities are standard (e.g. Dumoulin & Visin, "A guide to convolution
 * arithmetic for deep learning", 2016, §4); the measurements that motivated them are in
 * `docs/benchmarks.md`.
 *
 * Kernels work on `TensorInfo`s and call other kernels' `kernelFunc`s directly, disposing every
 * intermediate through the backend, so no tensor (and no reference count) leaks.
 */
import {
  backend_util,
  getKernel,
  type KernelBackend,
  type KernelConfig,
  type KernelFunc,
  type NamedAttrMap,
  type NamedTensorInfoMap,
  registerKernel,
  type TensorInfo,
  unregisterKernel,
} from '@tensorflow/tfjs-core';

type Backend = KernelBackend;

/** Runs other kernels of one backend and frees every intermediate it produced. */
class KernelRunner {
  private readonly temps: TensorInfo[] = [];

  constructor(private readonly backend: Backend) {}

  run(name: string, inputs: NamedTensorInfoMap, attrs: NamedAttrMap = {}): TensorInfo {
    const kernel = getKernel(name, 'wasm');
    if (kernel == null) {
      throw new Error(`registerWasmTrainingKernels: the wasm backend has no '${name}' kernel`);
    }
    const out = kernel.kernelFunc({ inputs, attrs, backend: this.backend }) as TensorInfo;
    this.temps.push(out);
    return out;
  }

  /** Frees all intermediates except `keep`, which is returned to the caller. */
  finish(keep: TensorInfo): TensorInfo {
    for (const t of this.temps) {
      if (t !== keep) this.backend.disposeData(t.dataId);
    }
    return keep;
  }
}

/** Inserts (s-1) zeros between rows and columns: [B,H,W,C] -> [B,(H-1)s+1,(W-1)s+1,C]. */
function dilate(r: KernelRunner, x: TensorInfo, sh: number, sw: number): TensorInfo {
  if (sh === 1 && sw === 1) return x;
  const [b, h, w, c] = x.shape;
  const x6 = r.run('Reshape', { x }, { shape: [b, h, 1, w, 1, c] });
  const padded = r.run(
    'PadV2',
    { x: x6 },
    {
      paddings: [
        [0, 0],
        [0, 0],
        [0, sh - 1],
        [0, 0],
        [0, sw - 1],
        [0, 0],
      ],
      constantValue: 0,
    },
  );
  const flat = r.run('Reshape', { x: padded }, { shape: [b, h * sh, w * sw, c] });
  return r.run(
    'Slice',
    { x: flat },
    { begin: [0, 0, 0, 0], size: [b, (h - 1) * sh + 1, (w - 1) * sw + 1, c] },
  );
}

/** Pads (or crops, for negative amounts) the two spatial axes of an NHWC tensor. */
function padOrCrop(
  r: KernelRunner,
  x: TensorInfo,
  top: number,
  bottom: number,
  left: number,
  right: number,
): TensorInfo {
  let y = x;
  const cropT = Math.max(0, -top);
  const cropB = Math.max(0, -bottom);
  const cropL = Math.max(0, -left);
  const cropR = Math.max(0, -right);
  if (cropT + cropB + cropL + cropR > 0) {
    const [b, h, w, c] = y.shape;
    y = r.run(
      'Slice',
      { x: y },
      { begin: [0, cropT, cropL, 0], size: [b, h - cropT - cropB, w - cropL - cropR, c] },
    );
  }
  const pt = Math.max(0, top);
  const pb = Math.max(0, bottom);
  const pl = Math.max(0, left);
  const pr = Math.max(0, right);
  if (pt + pb + pl + pr > 0) {
    y = r.run(
      'PadV2',
      { x: y },
      {
        paddings: [
          [0, 0],
          [pt, pb],
          [pl, pr],
          [0, 0],
        ],
        constantValue: 0,
      },
    );
  }
  return y;
}

function checkSupported(op: string, convInfo: backend_util.Conv2DInfo, dataFormat: unknown): void {
  if (dataFormat != null && dataFormat !== 'NHWC' && dataFormat !== 'channelsLast') {
    throw new Error(`${op} (ctmsr wasm kernel): dataFormat must be NHWC, got ${String(dataFormat)}`);
  }
  if (convInfo.dilationHeight !== 1 || convInfo.dilationWidth !== 1) {
    throw new Error(
      `${op} (ctmsr wasm kernel): dilations must be 1, got [${convInfo.dilationHeight}, ${convInfo.dilationWidth}]`,
    );
  }
}

/** dL/dx of a stride-s NHWC conv2d, as a stride-1 conv of the dilated, padded dy. */
const conv2DBackpropInput: KernelFunc = ({ inputs, backend, attrs }) => {
  const { dy, filter } = inputs as { dy: TensorInfo; filter: TensorInfo };
  const { strides, pad, dataFormat, dimRoundingMode, inputShape } = attrs as unknown as {
    strides: [number, number] | number;
    pad: 'valid' | 'same' | number | backend_util.ExplicitPadding;
    dataFormat: string;
    dimRoundingMode?: 'floor' | 'round' | 'ceil';
    inputShape: [number, number, number, number];
  };
  const info = backend_util.computeConv2DInfo(
    inputShape,
    filter.shape as [number, number, number, number],
    strides,
    1,
    pad,
    dimRoundingMode,
  );
  checkSupported('Conv2DBackpropInput', info, dataFormat);
  const r = new KernelRunner(backend as KernelBackend);
  const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw } = info;
  const [, inH, inW] = inputShape;
  const dyD = dilate(r, dy, sh, sw);
  const top = kh - 1 - info.padInfo.top;
  const left = kw - 1 - info.padInfo.left;
  const bottom = inH + kh - 1 - top - dyD.shape[1];
  const right = inW + kw - 1 - left - dyD.shape[2];
  const dyP = padOrCrop(r, dyD, top, bottom, left, right);
  // W [kh,kw,ci,co] -> rotate 180 degrees, swap channels -> [kh,kw,co,ci].
  const wRot = r.run('Reverse', { x: filter }, { dims: [0, 1] });
  const wT = r.run('Transpose', { x: wRot }, { perm: [0, 1, 3, 2] });
  const dx = r.run('Conv2D', { x: dyP, filter: wT }, {
    strides: 1,
    pad: 'valid',
    dataFormat: 'NHWC',
    dilations: 1,
    dimRoundingMode: undefined,
  } as unknown as NamedAttrMap);
  return r.finish(dx);
};

/** dL/dW of a stride-s NHWC conv2d: channels of x act as the batch, dy acts as the filter. */
const conv2DBackpropFilter: KernelFunc = ({ inputs, backend, attrs }) => {
  const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo };
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs as unknown as {
    strides: [number, number] | number;
    pad: 'valid' | 'same' | number | backend_util.ExplicitPadding;
    dataFormat: string;
    dimRoundingMode?: 'floor' | 'round' | 'ceil';
    filterShape: [number, number, number, number];
  };
  const info = backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    filterShape,
    strides,
    1,
    pad,
    dimRoundingMode,
  );
  checkSupported('Conv2DBackpropFilter', info, dataFormat);
  const r = new KernelRunner(backend as KernelBackend);
  const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw } = info;
  const { outHeight: oh, outWidth: ow } = info;
  // Only the rows/cols of x the forward conv touched: padded extent (o-1)s + k.
  const needH = (oh - 1) * sh + kh;
  const needW = (ow - 1) * sw + kw;
  const [, h, w] = x.shape;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  const xP = padOrCrop(r, x, top, needH - h - top, left, needW - w - left);
  const xT = r.run('Transpose', { x: xP }, { perm: [3, 1, 2, 0] }); // [ci, H, W, B]
  const dyT = r.run('Transpose', { x: dy }, { perm: [1, 2, 0, 3] }); // [oh, ow, B, co]
  const g = r.run('Conv2D', { x: xT, filter: dyT }, {
    strides: 1,
    pad: 'valid',
    dataFormat: 'NHWC',
    dilations: [sh, sw],
    dimRoundingMode: undefined,
  } as unknown as NamedAttrMap); // [ci, kh, kw, co]
  const dW = r.run('Transpose', { x: g }, { perm: [1, 2, 0, 3] });
  return r.finish(dW);
};

let registered = false;

/**
 * Registers the fast `Conv2DBackpropInput` and `Conv2DBackpropFilter` kernels for `wasm`
 * (replacing the stock slow `Conv2DBackpropInput`). Idempotent. Call after importing
 * `@tensorflow/tfjs-backend-wasm` and before training.
 */
export function registerWasmTrainingKernels(): void {
  if (registered) return;
  const configs: KernelConfig[] = [
    { kernelName: 'Conv2DBackpropInput', backendName: 'wasm', kernelFunc: conv2DBackpropInput },
    { kernelName: 'Conv2DBackpropFilter', backendName: 'wasm', kernelFunc: conv2DBackpropFilter },
  ];
  for (const config of configs) {
    if (getKernel(config.kernelName, 'wasm') != null) {
      unregisterKernel(config.kernelName, 'wasm');
    }
    registerKernel(config);
  }
  registered = true;
}
