/**
 * A fused GroupNorm (+ optional SiLU) kernel for the tfjs WebGPU backend: two GPU programs
 * instead of the ~15 (~17 with SiLU) that the composite of public tfjs ops in @ctmsr/sr-unet
 * dispatches.
 *
 * Why: on WebGPU the time of the network follows the number of programs, not arithmetic
 * (~0.3 ms per program measured on an H100 through Dawn in Node, docs/benchmarks.md), and
 * GroupNorm was ~555 of the 906 programs of one `tiny` forward pass.
 *
 * Contract (kernel name `CtmsrGroupNorm`, looked up by name by @ctmsr/sr-unet):
 *   inputs  x [B, H, W, C] float32, gamma [C], beta [C]
 *   attrs   groups G (C % G == 0), eps, silu (boolean)
 *   output  y = (x - mean_g) * rsqrt(var_g + eps) * gamma + beta, then y * sigmoid(y) if silu,
 *           with mean_g / var_g (biased, two-pass) over H, W and the C/G channels of group g.
 * Program 1 (one workgroup per (sample, group)) reduces the group in shared memory and writes
 * [mean, rsqrt(var + eps)]; program 2 is element-wise. Inference only: its registered gradient
 * throws, and @ctmsr/sr-unet uses the composite when it differentiates (training mode).
 */
import * as tf from '@tensorflow/tfjs-core';

/** The kernel name shared with @ctmsr/sr-unet. */
export const GROUP_NORM_KERNEL = 'CtmsrGroupNorm';

const WORKGROUP = 256;
const MAX_WORKGROUPS_PER_DIM = 65535;

/** The subset of tfjs-backend-webgpu's program interface these programs use. */
interface Program {
  variableNames: string[];
  outputShape: number[];
  shaderKey: string;
  dispatchLayout: { x: number[] };
  dispatch: [number, number, number];
  workgroupSize: [number, number, number];
  uniforms: string;
  size: boolean;
  getUserCode(): string;
}

interface WebGPUBackendLike {
  runWebGPUProgram(
    program: Program,
    inputs: tf.TensorInfo[],
    dtype: tf.DataType,
    uniforms?: Array<{ type: string; data: number[] }>,
  ): tf.TensorInfo;
  disposeData(dataId: tf.DataId): boolean;
}

/** Flat dispatch of `workgroups` workgroups, split over y above the per-dimension limit. */
function flatDispatch(workgroups: number): [number, number, number] {
  if (workgroups <= MAX_WORKGROUPS_PER_DIM) return [workgroups, 1, 1];
  return [MAX_WORKGROUPS_PER_DIM, Math.ceil(workgroups / MAX_WORKGROUPS_PER_DIM), 1];
}

function statsProgram(batch: number, groups: number): Program {
  const wg = WORKGROUP;
  return {
    variableNames: ['x'],
    outputShape: [batch * groups * 2],
    shaderKey: `ctmsrGroupNormStats_${wg}`,
    dispatchLayout: { x: [0] },
    // One workgroup per (sample, group); it writes two outputs.
    dispatch: [batch * groups, 1, 1],
    workgroupSize: [wg, 1, 1],
    uniforms: 'hw : i32, channels : i32, per : i32, groups : i32, eps : f32,',
    size: true,
    getUserCode: () => `
      var<workgroup> partial : array<f32, ${wg}>;
      fn workgroupSum(v : f32) -> f32 {
        partial[localId.x] = v;
        workgroupBarrier();
        var n = ${wg}u;
        loop {
          n = n / 2u;
          if (n == 0u) { break; }
          if (localId.x < n) { partial[localId.x] = partial[localId.x] + partial[localId.x + n]; }
          workgroupBarrier();
        }
        let total = partial[0];
        workgroupBarrier();
        return total;
      }
      fn main(index : i32) {
        let o = index / ${wg};
        let b = o / uniforms.groups;
        let g = o - b * uniforms.groups;
        let count = uniforms.hw * uniforms.per;
        let base = b * uniforms.hw * uniforms.channels + g * uniforms.per;
        var s = 0.0;
        for (var k = i32(localId.x); k < count; k = k + ${wg}) {
          let p = k / uniforms.per;
          s = s + f32(x[base + p * uniforms.channels + (k - p * uniforms.per)]);
        }
        let mean = workgroupSum(s) / f32(count);
        var s2 = 0.0;
        for (var k = i32(localId.x); k < count; k = k + ${wg}) {
          let p = k / uniforms.per;
          let d = f32(x[base + p * uniforms.channels + (k - p * uniforms.per)]) - mean;
          s2 = s2 + d * d;
        }
        let variance = workgroupSum(s2) / f32(count);
        if (localId.x == 0u) {
          setOutputAtIndex(o * 2, mean);
          setOutputAtIndex(o * 2 + 1, inverseSqrt(variance + uniforms.eps));
        }
      }
    `,
  };
}

function applyProgram(shape: number[], silu: boolean): Program {
  const size = shape.reduce((a, b) => a * b, 1);
  return {
    variableNames: ['x', 'stats', 'gamma', 'beta'],
    outputShape: shape,
    shaderKey: `ctmsrGroupNormApply_${silu}`,
    dispatchLayout: { x: shape.map((_, i) => i) },
    dispatch: flatDispatch(Math.ceil(size / WORKGROUP)),
    workgroupSize: [WORKGROUP, 1, 1],
    uniforms: 'channels : i32, per : i32, groups : i32, hwc : i32,',
    size: true,
    getUserCode: () => `
      fn main(index : i32) {
        if (index < uniforms.size) {
          let c = index % uniforms.channels;
          let b = index / uniforms.hwc;
          let o = (b * uniforms.groups + c / uniforms.per) * 2;
          var y = (f32(x[index]) - stats[o]) * stats[o + 1] * f32(gamma[c]) + f32(beta[c]);
          ${silu ? 'y = y / (1.0 + exp(-y));' : ''}
          setOutputAtIndex(index, y);
        }
      }
    `,
  };
}

function checkInputs(x: tf.TensorInfo, gamma: tf.TensorInfo, beta: tf.TensorInfo, groups: number): void {
  const c = x.shape[3];
  if (x.shape.length !== 4 || x.dtype !== 'float32') {
    throw new Error(
      `${GROUP_NORM_KERNEL}: 'x' must be a float32 [B, H, W, C] tensor, got ${x.dtype} [${x.shape}]`,
    );
  }
  if (!(Number.isInteger(groups) && groups > 0 && c % groups === 0)) {
    throw new Error(`${GROUP_NORM_KERNEL}: 'groups' must divide the ${c} channels, got ${groups}`);
  }
  for (const [name, t] of [
    ['gamma', gamma],
    ['beta', beta],
  ] as const) {
    if (t.shape.length !== 1 || t.shape[0] !== c) {
      throw new Error(`${GROUP_NORM_KERNEL}: '${name}' must be [${c}], got [${t.shape}]`);
    }
  }
}

let registered = false;

/**
 * Registers `CtmsrGroupNorm` for the 'webgpu' backend (idempotent). Called by `selectBackend`
 * when it sets webgpu; call it yourself after `tf.setBackend('webgpu')` otherwise.
 */
export function registerWebGPUGroupNorm(): void {
  if (registered || tf.getKernel(GROUP_NORM_KERNEL, 'webgpu') != null) {
    registered = true;
    return;
  }
  registered = true;
  tf.registerKernel({
    kernelName: GROUP_NORM_KERNEL,
    backendName: 'webgpu',
    kernelFunc: ({ inputs, attrs, backend }) => {
      const { x, gamma, beta } = inputs as { x: tf.TensorInfo; gamma: tf.TensorInfo; beta: tf.TensorInfo };
      const { groups, eps, silu } = attrs as unknown as { groups: number; eps: number; silu: boolean };
      checkInputs(x, gamma, beta, groups);
      const gpu = backend as unknown as WebGPUBackendLike;
      const [b, h, w, c] = x.shape;
      const per = c / groups;
      const stats = gpu.runWebGPUProgram(statsProgram(b, groups), [x], 'float32', [
        { type: 'int32', data: [h * w] },
        { type: 'int32', data: [c] },
        { type: 'int32', data: [per] },
        { type: 'int32', data: [groups] },
        { type: 'float32', data: [eps] },
      ]);
      try {
        return gpu.runWebGPUProgram(
          applyProgram(x.shape, Boolean(silu)),
          [x, stats, gamma, beta],
          'float32',
          [
            { type: 'int32', data: [c] },
            { type: 'int32', data: [per] },
            { type: 'int32', data: [groups] },
            { type: 'int32', data: [h * w * c] },
          ],
        );
      } finally {
        gpu.disposeData(stats.dataId);
      }
    },
  });
  tf.registerGradient({
    kernelName: GROUP_NORM_KERNEL,
    gradFunc: () => {
      throw new Error(
        `${GROUP_NORM_KERNEL} is inference-only; differentiate SrUnet.forward with { training: true } (the composite GroupNorm)`,
      );
    },
  });
}
