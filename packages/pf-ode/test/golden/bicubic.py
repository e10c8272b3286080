"""Golden values for bicubicUpsample: PyTorch F.interpolate(mode='bicubic', align_corners=False).

Run with Debian's torch:  /usr/bin/python3 packages/pf-ode/test/golden/bicubic.py
Writes packages/pf-ode/test/fixtures/bicubic.json (inputs and outputs in NHWC order).
"""
import json
import os

import torch
import torch.nn.functional as F

torch.manual_seed(0)
cases = []
for (b, h, w, c, s) in [(1, 5, 7, 3, 4), (2, 3, 4, 2, 2), (1, 4, 3, 1, 3)]:
    x = torch.rand(b, c, h, w) * 2 - 1
    y = F.interpolate(x, scale_factor=s, mode='bicubic', align_corners=False)
    cases.append({
        'scale': s,
        'inputShape': [b, h, w, c],
        'input': x.permute(0, 2, 3, 1).reshape(-1).tolist(),
        'outputShape': [b, h * s, w * s, c],
        'output': y.permute(0, 2, 3, 1).reshape(-1).tolist(),
    })
out = os.path.join(os.path.dirname(__file__), '..', 'fixtures', 'bicubic.json')
with open(out, 'w') as f:
    json.dump({'generator': 'test/golden/bicubic.py', 'torch': torch.__version__, 'cases': cases}, f)
print('wrote', out)
