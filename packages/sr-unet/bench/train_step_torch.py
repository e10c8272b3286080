"""One CT training step of the `tiny` preset in PyTorch (CPU), the baseline of
bench/train-step-vs-torch.ts (which spawns this script and runs the same step on tfjs wasm).

    /usr/bin/python3 packages/sr-unet/bench/train_step_torch.py --json [--threads 1,2] [--runs 5]
        [--batch 8] [--hr 128] [--profile]

The network is the PyTorch mirror of test/golden/srunet_torch.py (the same architecture as our
TypeScript network, checked element-wise by the import parity test). The step (method.md 2.2):

  data    y ~ U[0,1] [B,3,hr,hr]; l = 4x4 average pool of y; u = bicubic x4 (PyTorch, a = -0.75);
          eps ~ N(0,1); x_n = y + a_n (u - y) + s_n eps, x_n' likewise (n = 1, n' = 2 of N = 4)
  target  target <- online weights (load_state_dict), D_target(x_n, s_n, l) under no_grad
  online  loss = mean(sqrt((D(x_n', s_n', l) - target)^2 + 1e-12)); loss.backward()
  optim   torch.optim.AdamW(lr 5e-4, betas (0.9, 0.9), eps 1e-8, weight decay 0).step(), zero_grad
  D = c_skip x + c_out F(x, c_noise, l); s = sigma / 0.1; c_skip = 0.25 / (s^2 + 0.25);
  c_out = s / sqrt(s^2 + 0.25); c_noise = ln(sigma + 0.002) / 4 (pf-ode precondition()).

Prints (with --json) one JSON object: per thread count, the median wall-clock ms of each stage
and of the whole step over --runs timed steps after 2 warm-up steps, and the same for the
process CPU time (`cpu_<stage>`; all threads summed); with --profile also the self CPU time
per operator group of one step (torch.autograd.profiler).
"""

import argparse
import json
import math
import os
import statistics
import sys
import time

import torch
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "test", "golden"))
from srunet_torch import PRESETS, EDMUNetMirror  # noqa: E402

SIGMA = [0.0, 1 / 3, 2 / 3, 1.0]  # karras(N = 4, 0, 1, rho = 1); alpha is the same list


def denoise(net, x, sigma, lq):
    s = sigma / 0.1
    c_skip = 0.25 / (s * s + 0.25)
    c_out = s / math.sqrt(s * s + 0.25)
    c_noise = torch.full((x.shape[0],), math.log(sigma + 0.002) / 4)
    return c_skip * x + c_out * net(x, c_noise, lq)


def step(online, target, opt, batch, hr, gen):
    t = [time.perf_counter()]
    c = [time.process_time()]
    y = torch.rand(batch, 3, hr, hr, generator=gen)
    lq = F.avg_pool2d(y, 4)
    u = F.interpolate(lq, scale_factor=4, mode="bicubic", align_corners=False)
    eps = torch.randn(y.shape, generator=gen)
    x_n = y + SIGMA[1] * (u - y) + SIGMA[1] * eps
    x_n1 = y + SIGMA[2] * (u - y) + SIGMA[2] * eps
    t.append(time.perf_counter())
    c.append(time.process_time())
    target.load_state_dict(online.state_dict())
    with torch.no_grad():
        tgt = denoise(target, x_n, SIGMA[1], lq)
    t.append(time.perf_counter())
    c.append(time.process_time())
    out = denoise(online, x_n1, SIGMA[2], lq)
    loss = torch.sqrt((out - tgt) ** 2 + 1e-12).mean()
    loss.backward()
    t.append(time.perf_counter())
    c.append(time.process_time())
    opt.step()
    opt.zero_grad(set_to_none=True)
    t.append(time.perf_counter())
    c.append(time.process_time())
    ms = [1000 * (b - a) for a, b in zip(t, t[1:])]
    cpu = [1000 * (b - a) for a, b in zip(c, c[1:])]
    out = {"data": ms[0], "target": ms[1], "onlineFwdBwd": ms[2], "optimizer": ms[3], "total": sum(ms)}
    out.update({"cpu_" + k: v for k, v in zip(["data", "target", "onlineFwdBwd", "optimizer"], cpu)})
    out["cpu_total"] = sum(cpu)
    return out


def group(name):
    n = name.lower()
    if "conv" in n:
        return "conv (fwd + bwd)"
    if "mm" in n or "matmul" in n or "linear" in n or "addmm" in n:
        return "matmul / linear"
    if "group_norm" in n:
        return "group norm"
    return "other"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--threads", default="1,2")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--batch", type=int, default=8)
    ap.add_argument("--hr", type=int, default=128)
    ap.add_argument("--profile", action="store_true")
    a = ap.parse_args()
    cfg = dict(PRESETS["tiny"])
    result = {"torch": torch.__version__, "config": "tiny", "batch": a.batch, "hr": a.hr, "threads": {}}
    for th in [int(s) for s in a.threads.split(",")]:
        torch.set_num_threads(th)
        torch.manual_seed(0)
        online = EDMUNetMirror(cfg).train()
        target = EDMUNetMirror(cfg).train()
        for p in online.parameters():  # the mirror starts at zero; any non-degenerate init will do
            torch.nn.init.normal_(p, 0, 0.05)
        for p in target.parameters():
            p.requires_grad_(False)
        opt = torch.optim.AdamW(online.parameters(), lr=5e-4, betas=(0.9, 0.9), eps=1e-8, weight_decay=0)
        gen = torch.Generator().manual_seed(1)
        for _ in range(2):
            step(online, target, opt, a.batch, a.hr, gen)
        runs = [step(online, target, opt, a.batch, a.hr, gen) for _ in range(a.runs)]
        med = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
        entry = {"median": med, "runs": runs}
        if a.profile:
            with torch.autograd.profiler.profile() as prof:
                step(online, target, opt, a.batch, a.hr, gen)
            groups = {}
            for ev in prof.key_averages():
                g = group(ev.key)
                groups[g] = groups.get(g, 0.0) + ev.self_cpu_time_total / 1000
            entry["profileMs"] = groups
        result["threads"][str(th)] = entry
    if a.json:
        print(json.dumps(result))
    else:
        for th, e in result["threads"].items():
            print(th, "thread(s):", {k: round(v, 1) for k, v in e["median"].items()})


if __name__ == "__main__":
    main()
