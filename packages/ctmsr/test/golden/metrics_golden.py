"""Golden PSNR/SSIM values for packages/ctmsr/src/metrics (numpy only). Images are stored as
integers 0..255 (HWC, row-major); values are those integers / 255.

An independent implementation of the MATLAB/BasicSR metrics: full 2-D 'valid' correlation with
the 11x11 Gaussian window (sigma 1.5), C1 = (0.01*255)^2, C2 = (0.03*255)^2, on [0,255] values;
Y = 16 + 65.481 R + 128.553 G + 24.966 B (R,G,B in [0,1]).

Run: /usr/bin/python3 packages/ctmsr/test/golden/metrics_golden.py > packages/ctmsr/test/fixtures/metrics-golden.json
"""
import json

import numpy as np


def window():
    ax = np.arange(11) - 5
    g = np.exp(-(ax ** 2) / (2 * 1.5 ** 2))
    w = np.outer(g, g)
    return w / w.sum()


def filter_valid(img, w):
    h, wd = img.shape
    k = w.shape[0]
    out = np.zeros((h - k + 1, wd - k + 1))
    for y in range(out.shape[0]):
        for x in range(out.shape[1]):
            out[y, x] = (img[y:y + k, x:x + k] * w).sum()
    return out


def ssim_plane(a, b):
    w = window()
    c1 = (0.01 * 255) ** 2
    c2 = (0.03 * 255) ** 2
    mu_a = filter_valid(a, w)
    mu_b = filter_valid(b, w)
    s_a = filter_valid(a * a, w) - mu_a ** 2
    s_b = filter_valid(b * b, w) - mu_b ** 2
    s_ab = filter_valid(a * b, w) - mu_a * mu_b
    m = ((2 * mu_a * mu_b + c1) * (2 * s_ab + c2)) / ((mu_a ** 2 + mu_b ** 2 + c1) * (s_a + s_b + c2))
    return float(m.mean())


def planes(img, y_channel, crop):
    if crop > 0:
        img = img[crop:-crop, crop:-crop]
    if y_channel:
        return [16 + 65.481 * img[..., 0] + 128.553 * img[..., 1] + 24.966 * img[..., 2]]
    return [255 * img[..., c] for c in range(3)]


def psnr(a, b, y_channel, crop):
    pa = np.stack(planes(a, y_channel, crop))
    pb = np.stack(planes(b, y_channel, crop))
    mse = ((pa - pb) ** 2).mean()
    return float(10 * np.log10(255 ** 2 / mse))


def ssim(a, b, y_channel, crop):
    pa = planes(a, y_channel, crop)
    pb = planes(b, y_channel, crop)
    return float(np.mean([ssim_plane(x, y) for x, y in zip(pa, pb)]))


def main():
    rng = np.random.default_rng(7)
    images = []
    for h, w in [(16, 20), (24, 24)]:
        a = np.round(rng.random((h, w, 3)) * 255) / 255
        # b: a blurred-ish, noisy, offset copy, quantised like a decoded image
        b = np.clip(0.6 * a + 0.4 * np.roll(a, 1, axis=1) + rng.normal(0, 0.05, a.shape) + 0.02, 0, 1)
        b = np.round(b * 255) / 255
        results = []
        for y_channel in (False, True):
            for crop in (0, 2):
                results.append({
                    'yChannel': y_channel, 'crop': crop,
                    'psnr': psnr(a, b, y_channel, crop),
                    'ssim': ssim(a, b, y_channel, crop),
                })
        images.append({
            'height': h, 'width': w,
            'a255': [int(round(v * 255)) for v in a.ravel()],
            'b255': [int(round(v * 255)) for v in b.ravel()],
            'results': results,
        })
    print(json.dumps({'generator': 'test/golden/metrics_golden.py', 'images': images}))


main()
