#!/usr/bin/python3
"""Cross-implementation goldens for @ctmsr/degradations.

Run with Debian's torch (see docs/environment.md):
    /usr/bin/python3 packages/degradations/test/golden/make_goldens.py

Writes (all small JSON) into ../fixtures/:
- resize-golden.json: torch.nn.functional.interpolate (area / bilinear / bicubic, align_corners=False,
  no antialias), by output size and by scale factor, down and up, odd sizes.
- filter2d-golden.json: per-sample filtering as BasicSR's filter2D does it (reflect pad k//2, then a
  grouped conv2d, one kernel per sample), computed with torch.
- kernels-golden.json: blur kernels from the formulas of method.md section 6.1, written here
  independently with numpy/torch (sinc uses torch.special.bessel_j1).
- imresize-golden.json: MATLAB-style antialiased bicubic imresize (a = -0.5, kernel widened by 1/scale,
  symmetric boundary), a direct numpy transcription of the documented algorithm.
"""
import json
import math
import os

import numpy as np
import torch
import torch.nn.functional as F

torch.set_num_threads(2)
HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, '..', 'fixtures')
os.makedirs(OUT, exist_ok=True)


def r6(a):
    return [round(float(v), 7) for v in np.asarray(a, dtype=np.float64).ravel()]


def nchw_to_nhwc(t):
    return t.permute(0, 2, 3, 1).contiguous()


def write(name, obj):
    path = os.path.join(OUT, name)
    with open(path, 'w') as f:
        json.dump(obj, f, separators=(',', ':'))
    print(name, os.path.getsize(path), 'bytes')


# ---------------------------------------------------------------- resize
g = torch.Generator().manual_seed(1234)
x = torch.rand(1, 2, 7, 9, generator=g)  # NCHW
x = torch.round(x * 1e4) / 1e4
cases = []
for mode in ['area', 'bilinear', 'bicubic']:
    for size in [(3, 4), (5, 13), (14, 18), (7, 9), (2, 2), (1, 3)]:
        y = F.interpolate(x, size=size, mode=mode, align_corners=None if mode == 'area' else False)
        cases.append({'mode': mode, 'size': list(size), 'shape': list(nchw_to_nhwc(y).shape),
                      'output': r6(nchw_to_nhwc(y))})
    for sf in [0.37, 0.5, 0.75, 1.3, 1.5, 2.0, 4.0]:
        kw = {} if mode == 'area' else {'align_corners': False}
        y = F.interpolate(x, scale_factor=sf, mode=mode, **kw)
        cases.append({'mode': mode, 'scaleFactor': sf, 'shape': list(nchw_to_nhwc(y).shape),
                      'output': r6(nchw_to_nhwc(y))})
write('resize-golden.json', {
    'torch': torch.__version__,
    'input': r6(nchw_to_nhwc(x)), 'inputShape': list(nchw_to_nhwc(x).shape), 'cases': cases})


# ---------------------------------------------------------------- kernels (independent numpy version)
def grid(k):
    ax = np.arange(k, dtype=np.float64) - (k - 1) / 2
    xx, yy = np.meshgrid(ax, ax)  # xx: column offset, yy: row offset
    return xx, yy


def quad(k, sx, sy, th):
    xx, yy = grid(k)
    rot = np.array([[math.cos(th), -math.sin(th)], [math.sin(th), math.cos(th)]])
    cov = rot @ np.diag([sx * sx, sy * sy]) @ rot.T
    inv = np.linalg.inv(cov)
    p = np.stack([xx, yy], -1)
    return np.einsum('...i,ij,...j->...', p, inv, p)


def norm(v):
    return v / v.sum()


def k_gauss(k, sx, sy, th):
    return norm(np.exp(-0.5 * quad(k, sx, sy, th)))


def k_gen(k, sx, sy, th, b):
    return norm(np.exp(-0.5 * np.power(quad(k, sx, sy, th), b)))


def k_plateau(k, sx, sy, th, b):
    return norm(1.0 / (np.power(quad(k, sx, sy, th), b) + 1))


def k_sinc(k, wc):
    xx, yy = grid(k)
    r = np.sqrt(xx ** 2 + yy ** 2)
    rr = np.where(r == 0, 1.0, r)
    j1 = torch.special.bessel_j1(torch.from_numpy(wc * rr)).numpy()
    v = wc * j1 / (2 * np.pi * rr)
    v[r == 0] = wc ** 2 / (4 * np.pi)
    return norm(v)


kernel_cases = [
    {'type': 'iso', 'size': 7, 'sigmaX': 1.3, 'sigmaY': 1.3, 'theta': 0.0, 'beta': 1},
    {'type': 'aniso', 'size': 9, 'sigmaX': 2.5, 'sigmaY': 0.7, 'theta': 0.6, 'beta': 1},
    {'type': 'generalized_aniso', 'size': 11, 'sigmaX': 1.8, 'sigmaY': 0.9, 'theta': -1.1, 'beta': 0.6},
    {'type': 'generalized_iso', 'size': 5, 'sigmaX': 1.0, 'sigmaY': 1.0, 'theta': 0.0, 'beta': 3.2},
    {'type': 'plateau_aniso', 'size': 13, 'sigmaX': 2.2, 'sigmaY': 1.1, 'theta': 2.5, 'beta': 1.4},
    {'type': 'plateau_iso', 'size': 7, 'sigmaX': 0.8, 'sigmaY': 0.8, 'theta': 0.0, 'beta': 1.9},
    {'type': 'sinc', 'size': 13, 'omegaC': 1.3},
    {'type': 'sinc', 'size': 21, 'omegaC': math.pi / 5 + 0.1},
]
for c in kernel_cases:
    t = c['type']
    if t in ('iso', 'aniso'):
        v = k_gauss(c['size'], c['sigmaX'], c['sigmaY'], c['theta'])
    elif t.startswith('generalized'):
        v = k_gen(c['size'], c['sigmaX'], c['sigmaY'], c['theta'], c['beta'])
    elif t.startswith('plateau'):
        v = k_plateau(c['size'], c['sigmaX'], c['sigmaY'], c['theta'], c['beta'])
    else:
        v = k_sinc(c['size'], c['omegaC'])
    c['values'] = [round(float(a), 10) for a in v.ravel()]
write('kernels-golden.json', {'cases': kernel_cases})

# ---------------------------------------------------------------- filter2D (BasicSR semantics)
xf = torch.round(torch.rand(3, 3, 9, 11, generator=g) * 1e4) / 1e4
ks = [k_gauss(5, 1.7, 0.6, 0.4), k_sinc(7, 1.1), k_plateau(3, 0.9, 0.9, 0.0, 1.5)]
outs = []
for b, kv in enumerate(ks):
    k = kv.shape[0]
    xp = F.pad(xf[b:b + 1], (k // 2, k // 2, k // 2, k // 2), mode='reflect')
    w = torch.from_numpy(kv).float().view(1, 1, k, k).repeat(3, 1, 1, 1)
    outs.append(F.conv2d(xp, w, groups=3))
yf = torch.cat(outs, 0)
write('filter2d-golden.json', {
    'input': r6(nchw_to_nhwc(xf)), 'inputShape': list(nchw_to_nhwc(xf).shape),
    'kernels': [{'size': int(kv.shape[0]), 'values': [round(float(a), 10) for a in kv.ravel()]} for kv in ks],
    'output': r6(nchw_to_nhwc(yf))})


# ---------------------------------------------------------------- MATLAB-style imresize (bicubic, antialias)
def cubic_m(x):
    ax = np.abs(x)
    ax2, ax3 = ax ** 2, ax ** 3
    return ((1.5 * ax3 - 2.5 * ax2 + 1) * (ax <= 1) +
            (-0.5 * ax3 + 2.5 * ax2 - 4 * ax + 2) * ((ax > 1) & (ax <= 2)))


def contributions(in_len, out_len, scale):
    if scale < 1:
        h = lambda v: scale * cubic_m(scale * v)  # noqa: E731
        kw = 4.0 / scale
    else:
        h = cubic_m
        kw = 4.0
    xo = np.arange(1, out_len + 1, dtype=np.float64)
    u = xo / scale + 0.5 * (1 - 1 / scale)
    left = np.floor(u - kw / 2)
    p = int(math.ceil(kw)) + 2
    ind = left[:, None] + np.arange(p)[None, :]
    w = h(u[:, None] - ind)
    w = w / w.sum(1, keepdims=True)
    aux = np.concatenate([np.arange(1, in_len + 1), np.arange(in_len, 0, -1)])
    ind = aux[np.mod(ind - 1, len(aux)).astype(int)] - 1
    return ind, w


def imresize(img, scale):  # img: H, W, C float64
    h, w, _ = img.shape
    oh, ow = int(math.ceil(h * scale)), int(math.ceil(w * scale))
    ind, wt = contributions(h, oh, scale)
    tmp = np.einsum('op,opwc->owc', wt, img[ind])
    ind, wt = contributions(w, ow, scale)
    return np.einsum('op,hopc->hoc', wt, tmp[:, ind])


xi = np.round(np.random.default_rng(7).random((24, 18, 3)) * 1e4) / 1e4
im_cases = []
for s in [2, 3, 4]:
    y = imresize(xi, 1.0 / s)
    im_cases.append({'scale': 1.0 / s, 'output': r6(y), 'shape': list(y.shape)})
im_cases.append({'scale': 2.0, 'output': r6(imresize(xi[:5, :4], 2.0)), 'shape': [10, 8, 3], 'crop': [5, 4]})
write('imresize-golden.json', {'input': r6(xi), 'inputShape': [24, 18, 3], 'cases': im_cases})
