"""Golden values for AdamW, MultiStepLR and the EMA with warm-up, from PyTorch.

Run with Debian's torch:  /usr/bin/python3 packages/consistency-training/test/golden/adamw_ema.py
Writes packages/consistency-training/test/fixtures/adamw_ema.json.
"""
import json
import os

import torch

torch.manual_seed(0)
shapes = {'a': [3, 2], 'b': [4]}
params = {k: torch.nn.Parameter(torch.randn(*s)) for k, s in shapes.items()}
init = {k: p.detach().clone().reshape(-1).tolist() for k, p in params.items()}
opt = torch.optim.AdamW(list(params.values()), lr=1e-2, betas=(0.9, 0.99), eps=1e-8, weight_decay=0.1)
sched = torch.optim.lr_scheduler.MultiStepLR(opt, milestones=[3], gamma=0.5)
ema = {k: p.detach().clone() for k, p in params.items()}
steps = []
for t in range(6):
    grads = {k: torch.randn(*s) for k, s in shapes.items()}
    lr = opt.param_groups[0]['lr']
    for k, p in params.items():
        p.grad = grads[k].clone()
    opt.step()
    sched.step()
    d = min(0.999, (1 + t) / (10 + t))
    for k, p in params.items():
        ema[k].mul_(d).add_(p.detach(), alpha=1 - d)
    steps.append({
        'lr': lr,
        'grads': {k: g.reshape(-1).tolist() for k, g in grads.items()},
        'params': {k: p.detach().reshape(-1).tolist() for k, p in params.items()},
        'ema': {k: e.reshape(-1).tolist() for k, e in ema.items()},
    })
out = os.path.join(os.path.dirname(__file__), '..', 'fixtures', 'adamw_ema.json')
with open(out, 'w') as f:
    json.dump({'generator': 'test/golden/adamw_ema.py', 'torch': torch.__version__, 'shapes': shapes,
               'init': init, 'options': {'lr': 1e-2, 'beta1': 0.9, 'beta2': 0.99, 'eps': 1e-8, 'weightDecay': 0.1,
                                          'milestones': [3], 'gamma': 0.5, 'emaDecay': 0.999},
               'steps': steps}, f)
print('wrote', out)
