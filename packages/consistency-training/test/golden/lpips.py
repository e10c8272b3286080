"""LPIPS v0.1 goldens and weight conversion for @ctmsr/consistency-training (src/lpips*.ts).

Goldens (Debian torch):
    /usr/bin/python3 packages/consistency-training/test/golden/lpips.py
  writes, under test/fixtures/:
    lpips-{vgg,alex}-tiny.json + .bin   random reduced-width weights in the ctmsr-lpips-weights format
    lpips-{vgg,alex}-expected.json      distances, per-layer terms and input gradients from PyTorch

Conversion of real weights (run where you have them; nothing here downloads):
    /usr/bin/python3 lpips.py convert --net vgg --trunk vgg16.pth --heads vgg.pth --out lpips-vgg.json
  --trunk: a torchvision vgg16 / alexnet state dict (keys features.<i>.weight|bias);
  --heads: the lpips package's weights/v0.1/<net>.pth (keys lin<k>.model.1.weight).

The PyTorch side below is written from the LPIPS paper / package semantics (scaling layer,
torchvision trunk, unit-normalised features, squared difference, 1x1 non-negative heads, spatial
mean, sum over layers). Like the TypeScript version, the feature norm is
sqrt(max(sum f^2, 1e-30)) + 1e-10 (same values; no NaN gradient at an all-zero feature vector);
the script checks that the forward values equal the unguarded formula.
"""
import argparse
import json
import math
import os
import struct
import sys

import numpy as np
import torch
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(HERE, '..', 'fixtures')
SHIFT = [-0.030, -0.088, -0.188]
SCALE = [0.458, 0.448, 0.450]


def trunk(net):
    """(kind, torchvision index, params) for each layer up to the last tap; mirrors lpips-architecture.ts."""
    layers = []
    if net == 'vgg':
        i = 0
        for block, convs in enumerate([2, 2, 3, 3, 3]):
            if block > 0:
                layers.append(('pool', i, (2, 2))); i += 1
            for c in range(convs):
                layers.append(('conv', i, (3, 1, 1))); i += 1
                layers.append(('relu', i, c == convs - 1)); i += 1
        return layers
    return [('conv', 0, (11, 4, 2)), ('relu', 1, True), ('pool', 2, (3, 2)),
            ('conv', 3, (5, 1, 2)), ('relu', 4, True), ('pool', 5, (3, 2)),
            ('conv', 6, (3, 1, 1)), ('relu', 7, True), ('conv', 8, (3, 1, 1)), ('relu', 9, True),
            ('conv', 10, (3, 1, 1)), ('relu', 11, True)]


def random_weights(net, widths, seed):
    g = torch.Generator().manual_seed(seed)
    params, in_c, tap = {}, 3, 0
    for kind, i, p in trunk(net):
        if kind == 'relu' and p:
            tap += 1
        if kind != 'conv':
            continue
        k, out_c = p[0], widths[tap]
        params[f'{net}.features.{i}.weight'] = torch.randn(out_c, in_c, k, k, generator=g) * math.sqrt(2 / (in_c * k * k))
        params[f'{net}.features.{i}.bias'] = torch.randn(out_c, generator=g) * 0.05
        in_c = out_c
    for k, c in enumerate(widths):
        params[f'lin{k}.model.1.weight'] = torch.rand(1, c, 1, 1, generator=g) * 0.2 / math.sqrt(c)
    return params


def check_names_against_torchvision():
    """Our names and shapes at full width == torchvision's features.* (so `convert` maps real checkpoints)."""
    import torchvision
    for net, ctor, widths in [('vgg', torchvision.models.vgg16, [64, 128, 256, 512, 512]),
                              ('alex', torchvision.models.alexnet, [64, 192, 384, 256, 256])]:
        tv = {f'{net}.{k}': tuple(v.shape) for k, v in ctor().state_dict().items() if k.startswith('features.')}
        ours = {k: tuple(v.shape) for k, v in random_weights(net, widths, 0).items() if not k.startswith('lin')}
        assert tv == ours, (net, sorted(set(tv.items()) ^ set(ours.items())))


def features(params, net, x):
    h = (x - torch.tensor(SHIFT).view(1, 3, 1, 1)) / torch.tensor(SCALE).view(1, 3, 1, 1)
    taps = []
    for kind, i, p in trunk(net):
        if kind == 'conv':
            h = F.conv2d(h, params[f'{net}.features.{i}.weight'], params[f'{net}.features.{i}.bias'], stride=p[1], padding=p[2])
        elif kind == 'relu':
            h = F.relu(h)
            if p:
                taps.append(h)
        else:
            h = F.max_pool2d(h, p[0], p[1])
    return taps


def lpips_layers(params, net, a, b, guard=True):
    """Per-layer LPIPS terms [5][B] for NCHW inputs in [-1, 1]."""
    out = []
    for k, (fa, fb) in enumerate(zip(features(params, net, a), features(params, net, b))):
        def unit(f):
            s = (f ** 2).sum(1, keepdim=True)
            return f / (torch.sqrt(torch.clamp(s, min=1e-30) if guard else s) + 1e-10)
        diff = (unit(fa) - unit(fb)) ** 2
        out.append(F.conv2d(diff, params[f'lin{k}.model.1.weight']).mean([2, 3])[:, 0])
    return out


def field(shape, seed):
    """Deterministic NHWC input, reproduced bit-for-bit in lpips-parity.test.ts (float64 sin, then float32)."""
    n = int(np.prod(shape))
    i = np.arange(n, dtype=np.float64)
    return 0.95 * np.sin(12.9898 * i + 4.1414 * seed)


def pair(shape):
    s1, s2 = field(shape, 1), field(shape, 2)
    a = s1.astype(np.float32).reshape(shape)
    b = (0.6 * s1 + 0.4 * s2).astype(np.float32).reshape(shape)
    return a, b


def write_weights(params, net, path_json):
    names = sorted(params)
    blob, entries, offset = bytearray(), [], 0
    for name in names:
        t = params[name].detach().to(torch.float32).contiguous()
        data = t.reshape(-1).numpy().astype('<f4').tobytes()
        entries.append({'name': name, 'shape': list(t.shape), 'dtype': 'float32', 'offset': offset})
        blob += data
        offset += len(data)
    data_file = os.path.basename(path_json)[:-5] + '.bin'
    with open(os.path.join(os.path.dirname(path_json), data_file), 'wb') as f:
        f.write(blob)
    manifest = {'format': 'ctmsr-lpips-weights', 'version': 1, 'net': net, 'lpips': '0.1',
                'dataFile': data_file, 'tensors': entries}
    with open(path_json, 'w') as f:
        json.dump(manifest, f, indent=1)


def goldens():
    torch.set_num_threads(2)
    check_names_against_torchvision()
    cases = {'vgg': ([4, 8, 8, 16, 16], [2, 32, 32, 3], 1), 'alex': ([4, 8, 8, 8, 8], [2, 64, 64, 3], 1)}
    for net, (widths, shape, grad_batch) in cases.items():
        params = random_weights(net, widths, seed=0 if net == 'vgg' else 1)
        write_weights(params, net, os.path.join(FIXTURES, f'lpips-{net}-tiny.json'))
        a_np, b_np = pair(shape)
        a = torch.from_numpy(a_np).permute(0, 3, 1, 2).contiguous()
        b = torch.from_numpy(b_np).permute(0, 3, 1, 2).contiguous()
        with torch.no_grad():
            layers = lpips_layers(params, net, a, b)
            plain = lpips_layers(params, net, a, b, guard=False)
            for x, y in zip(layers, plain):
                assert torch.equal(x, y), 'the norm guard changed a forward value'
            dist = sum(layers)
            self_dist = sum(lpips_layers(params, net, a, a))
        # Gradient of sum_b d(a_b, b_b) w.r.t. a, for the first `grad_batch` samples (NHWC).
        ag = a[:grad_batch].clone().requires_grad_(True)
        sum(lpips_layers(params, net, ag, b[:grad_batch])).sum().backward()
        grad = ag.grad.permute(0, 2, 3, 1).reshape(-1)
        assert torch.isfinite(grad).all()
        out = {
            'generator': 'test/golden/lpips.py', 'torch': torch.__version__, 'net': net, 'widths': widths,
            'shape': shape, 'input': 'a = f32(0.95 sin(12.9898 i + 4.1414)), b = f32(0.6 s1 + 0.4 s2), s_k = 0.95 sin(12.9898 i + 4.1414 k)',
            'distance': dist.tolist(), 'layers': [t.tolist() for t in layers], 'selfDistance': self_dist.tolist(),
            'gradBatch': grad_batch, 'gradA': [float('%.7g' % v) for v in grad.tolist()],
        }
        with open(os.path.join(FIXTURES, f'lpips-{net}-expected.json'), 'w') as f:
            json.dump(out, f)
        print(net, 'distance', out['distance'])


def convert(args):
    trunk_sd = torch.load(args.trunk, map_location='cpu')
    heads_sd = torch.load(args.heads, map_location='cpu')
    params = {f'{args.net}.{k}': v for k, v in trunk_sd.items() if k.startswith('features.')}
    params.update({k: v for k, v in heads_sd.items() if k.startswith('lin')})
    write_weights(params, args.net, args.out)
    print('wrote', args.out, len(params), 'tensors')


if __name__ == '__main__':
    if len(sys.argv) > 1 and sys.argv[1] == 'convert':
        p = argparse.ArgumentParser()
        p.add_argument('cmd')
        p.add_argument('--net', choices=['vgg', 'alex'], required=True)
        p.add_argument('--trunk', required=True)
        p.add_argument('--heads', required=True)
        p.add_argument('--out', required=True)
        convert(p.parse_args())
    else:
        goldens()
