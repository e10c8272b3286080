"""Generates the PyTorch-checkpoint import fixtures of @ctmsr/sr-unet (test/fixtures/):

  srunet-parity-nearest.{safetensors,pth}      model A ('nearest-conv' head), float32; the .pth is
                                               a plain state_dict (OrderedDict with _metadata)
  srunet-parity-pixelshuffle.{safetensors,pth} model B ('pixel-shuffle' head, resCon), stored as
                                               float16; the .pth is BasicSR-style {'params_ema': sd}
  srunet-parity-input.json                     x [2, 32, 32, 3], cNoise [2], lq [2, 8, 8, 3] (NHWC)
  srunet-parity-{nearest,pixelshuffle}.json    config, resolution, expected F (NHWC, eval mode)
  srunet-torch-counts.json                     parameter counts of the presets from the mirror
  reader-cases.{pth,safetensors,json}          dtypes, views, nesting, for the readers alone

Run from the repository root (Debian python3-torch 1.13, CPU):

    /usr/bin/python3 packages/sr-unet/test/golden/gen_parity.py

Weights are random and of unit scale (not the network's own near-zero init), so every tensor
changes the output and a wrong mapping cannot pass.
"""

import collections
import json
import math
import os
import struct
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from srunet_torch import PRESETS, EDMUNetMirror, parameter_count  # noqa: E402

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures")

MODEL_A = dict(scale=4, modelChannels=8, channelMult=[1, 1], numBlocks=1, attnLevels=[1],
               windowSize=4, numHeads=2, mlpRatio=2, dropout=0.13, embChannels=8,
               head="nearest-conv", resCon=False, headChannels=8, attnChannels=8)
MODEL_B = dict(scale=4, modelChannels=8, channelMult=[1, 2], numBlocks=1, attnLevels=[0, 1],
               windowSize=4, numHeads=2, mlpRatio=2, dropout=0, embChannels=10,
               head="pixel-shuffle", resCon=True, attnChannels=8)

ST_DTYPES = {torch.float32: "F32", torch.float16: "F16", torch.bfloat16: "BF16",
             torch.float64: "F64", torch.int64: "I64", torch.int32: "I32", torch.uint8: "U8",
             torch.bool: "BOOL"}


def tensor_bytes(t):
    t = t.contiguous()
    if t.dtype in (torch.float16, torch.bfloat16):
        return t.view(torch.int16).numpy().tobytes()
    return t.numpy().tobytes()


def save_safetensors(path, tensors, metadata=None):
    """safetensors: u64 LE header size, JSON header (offsets relative to the data), raw LE data."""
    header, chunks, offset = {}, [], 0
    if metadata:
        header["__metadata__"] = metadata
    for name, t in tensors.items():
        b = tensor_bytes(t)
        header[name] = {"dtype": ST_DTYPES[t.dtype], "shape": list(t.shape),
                        "data_offsets": [offset, offset + len(b)]}
        chunks.append(b)
        offset += len(b)
    h = json.dumps(header, separators=(",", ":")).encode()
    h += b" " * (-len(h) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)))
        f.write(h)
        for c in chunks:
            f.write(c)


def randomise(net, seed):
    g = torch.Generator().manual_seed(seed)
    u = lambda shape, lo, hi: lo + (hi - lo) * torch.rand(shape, generator=g)  # noqa: E731
    with torch.no_grad():
        for name, p in net.named_parameters():
            if name.endswith("relative_position_bias_table"):
                p.copy_(0.5 * torch.randn(p.shape, generator=g))
            elif p.dim() == 1 and "norm" in name.split(".")[-2]:
                p.copy_(u(p.shape, 0.7, 1.3) if name.endswith("weight") else u(p.shape, -0.2, 0.2))
            elif p.dim() >= 2:
                fan_in = p[0].numel()
                p.copy_(u(p.shape, -1, 1) * math.sqrt(3 / fan_in))
            else:
                p.copy_(u(p.shape, -0.2, 0.2))


def rounded(values, digits):
    return [float(f"{v:.{digits}g}") for v in values]


def nhwc(t):
    return t.permute(0, 2, 3, 1).contiguous()


def nchw_from(values, shape_nhwc):
    return torch.tensor(values, dtype=torch.float32).reshape(shape_nhwc).permute(0, 3, 1, 2)


def make_model(cfg, resolution, seed, half):
    net = EDMUNetMirror(dict(cfg, resolution=resolution))
    randomise(net, seed)
    if half:  # store float16; compute with the float16-rounded values in float32
        with torch.no_grad():
            for p in net.parameters():
                p.copy_(p.half().float())
    return net.eval()


def main():
    torch.set_num_threads(2)
    os.makedirs(OUT, exist_ok=True)
    g = torch.Generator().manual_seed(1234)
    x = rounded((0.8 * torch.randn(2 * 32 * 32 * 3, generator=g)).tolist(), 4)
    lq = rounded((2 * torch.rand(2 * 8 * 8 * 3, generator=g) - 1).tolist(), 4)
    c_noise = rounded([math.log(0.5 + 0.002) / 4, math.log(0.05 + 0.002) / 4], 7)
    with open(os.path.join(OUT, "srunet-parity-input.json"), "w") as f:
        json.dump({"xShape": [2, 32, 32, 3], "x": x, "cNoise": c_noise, "lqShape": [2, 8, 8, 3],
                   "lq": lq}, f, separators=(",", ":"))
    xt, lqt = nchw_from(x, [2, 32, 32, 3]), nchw_from(lq, [2, 8, 8, 3])
    cn = torch.tensor(c_noise, dtype=torch.float32)

    for tag, cfg, resolution, seed, half in [("nearest", MODEL_A, 16, 7, False),
                                            ("pixelshuffle", MODEL_B, 64, 8, True)]:
        net = make_model(cfg, resolution, seed, half)
        with torch.no_grad():
            y = nhwc(net(xt, cn, lqt))
        sd = net.state_dict()
        if half:
            sd = collections.OrderedDict((k, v.half() if v.is_floating_point() else v) for k, v in sd.items())
        save_safetensors(os.path.join(OUT, f"srunet-parity-{tag}.safetensors"), sd,
                         {"format": "pt", "generator": "gen_parity.py"})
        torch.save({"params_ema": sd} if half else sd, os.path.join(OUT, f"srunet-parity-{tag}.pth"))
        with open(os.path.join(OUT, f"srunet-parity-{tag}.json"), "w") as f:
            json.dump({"config": cfg, "resolution": resolution, "parameters": parameter_count(net),
                       "stateDictKeys": len(sd), "outShape": list(y.shape),
                       "out": rounded(y.reshape(-1).tolist(), 7)}, f, separators=(",", ":"))
        print(tag, "params", parameter_count(net), "out std", float(y.std()))

    counts = {}
    for name in ["tiny", "small", "official"]:
        counts[name] = parameter_count(EDMUNetMirror(dict(PRESETS[name])))
    counts["officialUseConv"] = parameter_count(EDMUNetMirror(dict(PRESETS["official"]), use_conv=True))
    with open(os.path.join(OUT, "srunet-torch-counts.json"), "w") as f:
        json.dump(counts, f, indent=1)
    print(counts)

    make_reader_cases()


def make_reader_cases():
    """Small tensors of every dtype and layout the readers must handle, with their values."""
    base = torch.arange(24, dtype=torch.float32).reshape(4, 6) / 8 - 1
    storage_sharing = torch.arange(10, dtype=torch.float32) * 0.5
    sd = collections.OrderedDict()
    sd["f32"] = base
    sd["f16"] = (base * 3).half()
    sd["bf16"] = (base * 7 + 0.1).bfloat16()
    sd["f64"] = base.double() / 3
    sd["i64"] = torch.tensor([[-3, 0, 5], [7, 2**40, -(2**33)]], dtype=torch.int64)
    sd["scalar"] = torch.tensor(2.5)
    sd["transposed"] = base.t()  # non-contiguous view: strides (1, 6)
    sd["slice_a"] = storage_sharing[2:6]  # storage offset 2
    sd["slice_b"] = storage_sharing[5:].reshape(5, 1)  # same storage, offset 5
    sd["empty"] = torch.zeros(0, 3)
    ckpt = {"params": sd, "iter": 250000, "lr": 5e-5, "name": "net_g", "flags": [True, False, None],
            "big": 2**40, "neg": -7, "pair": (1, 2)}
    torch.save(ckpt, os.path.join(OUT, "reader-cases.pth"))
    st = collections.OrderedDict((k, v) for k, v in sd.items() if k not in ("transposed", "slice_a", "slice_b"))
    save_safetensors(os.path.join(OUT, "reader-cases.safetensors"), st, {"note": "reader cases"})

    def describe(t):
        return {"shape": list(t.shape), "values": t.double().reshape(-1).tolist()}

    with open(os.path.join(OUT, "reader-cases.json"), "w") as f:
        json.dump({"tensors": {k: dict(describe(v), dtype=str(v.dtype).replace("torch.", ""))
                               for k, v in sd.items()},
                   "scalars": {"iter": 250000, "lr": 5e-5, "name": "net_g", "big": 2**40, "neg": -7}},
                  f, indent=None, separators=(",", ":"))


if __name__ == "__main__":
    main()
