"""PyTorch mirror of the CTMSR raw network F (method.md section 4), written from the spec and from
our TypeScript implementation (packages/sr-unet/src), with parameters named like the reference
implementation's state_dict keys.

Used as a test-fixture generator and benchmark baseline only (Debian python3-torch 1.13, CPU):

    /usr/bin/python3 srunet_torch.py count [--preset official] [--use-conv]
    /usr/bin/python3 srunet_torch.py keys  [--preset tiny]

The config is our SrUnetConfig (camelCase, see src/config.ts) plus `resolution`, the LR training
resolution that names the levels (`img_resolution`, 64 in the paper's config).

Naming scheme (EDMUNet wrapper `model.` + EDM SongUNet; reference LabShuHangGU/CTMSR
basicsr/archs/edm_unet_arch.py, which keeps NVlabs/edm's names):
    model.map_layer0.{weight,bias}             Linear [out, in]
    model.map_layer1.{weight,bias}
    model.enc.{R}x{R}_conv.{weight,bias}       Conv [out, in, 3, 3]; R = resolution >> level
    model.enc.{R}x{R}_down.*                   UNetBlock(down)
    model.enc.{R}x{R}_block{i}.*
    model.dec.{R}x{R}_in0.*, _in1.*            lowest level only
    model.dec.{R}x{R}_up.*                     other levels
    model.dec.{R}x{R}_block{i}.*
    model.dec.{R0}x{R0}_aux_norm.{weight,bias} head GroupNorm (level 0)
    model.dec.{R0}x{R0}_aux_conv.{weight,bias} head conv (x1e-5 init)
    model.conv_up1, model.conv_up2, model.conv_last   plain nn.Conv2d ('nearest' upsampler)
  UNetBlock: norm0, conv0, affine, norm1, conv1, skip (1x1), and `swin_layer` when it has
  attention. Up/down convs carry a float16 buffer `resample_filter` [1, 1, 2, 2] (as EDM's).
  swin_layer (ResShift's conv-style BasicLayer, depth 1):
    patch_embed.proj (1x1 conv C -> A)
    blocks.0.norm1, blocks.0.attn.relative_position_bias_table [(2w-1)^2, heads],
    blocks.0.attn.relative_position_index (int64 buffer [w*w, w*w]),
    blocks.0.attn.qkv (Linear A -> 3A), blocks.0.attn.proj (Linear A -> A),
    blocks.0.norm2, blocks.0.mlp.fc1 / fc2 (1x1 convs), patch_unembed.proj (1x1 conv A -> C)

Unknown or deliberately different from the official checkpoint:
  * swin internals: CTMSR's basicsr/utils/swin_transformer.py is not public; the names above are
    ResShift's (method.md 4.4). Its `use_conv: True` adds something (probably one 3x3 C -> C conv
    per swin layer, method.md 4.5/8.4) whose name and place are unknown: `--use-conv` builds a
    `swin_layer.conv` for parameter counting only; forward() refuses it.
  * swin GroupNorm: groups = min(32, A/4) like our TS (ResShift's GroupNorm32 always uses 32;
    the same for A >= 128, e.g. the paper's 192).
  * `dec.{R}x{R}_in0` has a swin layer only when the lowest level is an attention level (ours);
    EDM/CTMSR always set attention=True there (the same for the paper's config, where every
    level has attention).
  * conv_up{k}: the reference hard-codes two (scale 4); we build log2(scale).
  * head 'pixel-shuffle' is this project's head: aux_conv outputs 3*s*s channels, then pixel
    shuffle, no conv_last (the reference's 'pixelshuffle' upsampler shuffles model_channels and
    applies conv_last 3 -> 3, which only works for model_channels = 3*s*s).
  * the swin window is always `windowSize` (ResShift shrinks it to the layer's img_size when that
    is not larger; irrelevant when every attention level's training resolution exceeds it).
"""

import argparse
import json
import math

import torch
import torch.nn.functional as F
from torch import nn

PRESETS = {
    "official": dict(scale=4, modelChannels=192, channelMult=[1, 2, 2, 2], numBlocks=4,
                     attnLevels=[0, 1, 2, 3], windowSize=8, numHeads=6, mlpRatio=4, dropout=0.13,
                     embChannels=192, head="nearest-conv", resCon=False, headChannels=192,
                     attnChannels=192),
    "small": dict(scale=4, modelChannels=32, channelMult=[1, 2, 2], numBlocks=1, attnLevels=[2],
                  windowSize=8, numHeads=2, mlpRatio=2, dropout=0, embChannels=32,
                  head="pixel-shuffle", resCon=True, attnChannels=32),
    "tiny": dict(scale=4, modelChannels=16, channelMult=[1, 2, 4], numBlocks=1, attnLevels=[2],
                 windowSize=8, numHeads=2, mlpRatio=2, dropout=0, embChannels=16,
                 head="pixel-shuffle", resCon=True, attnChannels=32),
}


def groups_for(c):
    """GroupNorm groups min(32, C/4), as src/config.ts groupsFor."""
    return min(32, c // 4)


class Linear(nn.Module):
    """EDM-style linear layer: weight [out, in], bias [out]."""

    def __init__(self, cin, cout):
        super().__init__()
        self.weight = nn.Parameter(torch.zeros(cout, cin))
        self.bias = nn.Parameter(torch.zeros(cout))

    def forward(self, x):
        return x @ self.weight.t() + self.bias


class Conv2d(nn.Module):
    """EDM-style conv (weight [out, in, k, k]) with optional exact 2x down/up before the conv."""

    def __init__(self, cin, cout, kernel, up=False, down=False):
        super().__init__()
        self.weight = nn.Parameter(torch.zeros(cout, cin, kernel, kernel))
        self.bias = nn.Parameter(torch.zeros(cout))
        self.up, self.down = up, down
        filt = torch.full((1, 1, 2, 2), 0.25, dtype=torch.float16)
        self.register_buffer("resample_filter", filt if (up or down) else None)

    def forward(self, x):
        if self.down:
            x = F.avg_pool2d(x, 2)
        if self.up:
            x = F.interpolate(x, scale_factor=2, mode="nearest")
        return F.conv2d(x, self.weight, self.bias, padding=self.weight.shape[-1] // 2)


class GroupNorm(nn.Module):
    def __init__(self, c, eps):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(c))
        self.bias = nn.Parameter(torch.zeros(c))
        self.groups, self.eps = groups_for(c), eps

    def forward(self, x):
        return F.group_norm(x, self.groups, self.weight, self.bias, self.eps)


class Proj(nn.Module):
    """Holder of a `proj` 1x1 conv (patch_embed / patch_unembed with patch size 1, no norm)."""

    def __init__(self, cin, cout):
        super().__init__()
        self.proj = nn.Conv2d(cin, cout, 1)

    def forward(self, x):
        return self.proj(x)


class Mlp(nn.Module):
    def __init__(self, a, hidden):
        super().__init__()
        self.fc1 = nn.Conv2d(a, hidden, 1)
        self.fc2 = nn.Conv2d(hidden, a, 1)

    def forward(self, x):
        return self.fc2(F.gelu(self.fc1(x)))


def relative_index(w):
    """(qi - ki + w - 1) * (2w - 1) + (qj - kj + w - 1) for tokens q, k of a w x w window."""
    ii, jj = torch.meshgrid(torch.arange(w), torch.arange(w), indexing="ij")
    ii, jj = ii.reshape(-1), jj.reshape(-1)
    di = ii[:, None] - ii[None, :] + w - 1
    dj = jj[:, None] - jj[None, :] + w - 1
    return (di * (2 * w - 1) + dj).long()


class WindowAttention(nn.Module):
    def __init__(self, a, w, heads):
        super().__init__()
        self.w, self.heads = w, heads
        self.relative_position_bias_table = nn.Parameter(torch.zeros((2 * w - 1) ** 2, heads))
        self.register_buffer("relative_position_index", relative_index(w))
        self.qkv = nn.Linear(a, 3 * a)
        self.proj = nn.Linear(a, a)

    def forward(self, t):  # t: [Bn, N, A]
        bn, n, a = t.shape
        d = a // self.heads
        q, k, v = self.qkv(t).reshape(bn, n, 3, self.heads, d).permute(2, 0, 3, 1, 4)
        logits = (q * d ** -0.5) @ k.transpose(-2, -1)
        bias = self.relative_position_bias_table[self.relative_position_index.reshape(-1)]
        logits = logits + bias.reshape(n, n, self.heads).permute(2, 0, 1)[None]
        out = logits.softmax(-1) @ v  # [Bn, heads, N, d]
        return self.proj(out.transpose(1, 2).reshape(bn, n, a))


class SwinBlock(nn.Module):
    def __init__(self, a, w, heads, mlp_ratio):
        super().__init__()
        self.w = w
        self.norm1 = GroupNorm(a, 1e-5)
        self.attn = WindowAttention(a, w, heads)
        self.norm2 = GroupNorm(a, 1e-5)
        self.mlp = Mlp(a, mlp_ratio * a)

    def forward(self, x):  # [B, A, H, W], no shift
        b, a, h, wd = x.shape
        w = self.w
        win = self.norm1(x).reshape(b, a, h // w, w, wd // w, w).permute(0, 2, 4, 3, 5, 1)
        out = self.attn(win.reshape(-1, w * w, a))
        out = out.reshape(b, h // w, wd // w, w, w, a).permute(0, 5, 1, 3, 2, 4).reshape(b, a, h, wd)
        x = x + out
        return x + self.mlp(self.norm2(x))


class SwinLayer(nn.Module):
    def __init__(self, c, cfg, use_conv=False):
        super().__init__()
        a = cfg.get("attnChannels") or cfg["modelChannels"]
        self.patch_embed = Proj(c, a)
        self.blocks = nn.ModuleList([SwinBlock(a, cfg["windowSize"], cfg["numHeads"], cfg["mlpRatio"])])
        self.patch_unembed = Proj(a, c)
        self.use_conv = use_conv
        if use_conv:  # unknown in the official code; for parameter counting only
            self.conv = nn.Conv2d(c, c, 3, padding=1)

    def forward(self, x):
        if self.use_conv:
            raise NotImplementedError("use_conv: semantics unknown (method.md 8.4)")
        return self.patch_unembed(self.blocks[0](self.patch_embed(x)))


class UNetBlock(nn.Module):
    def __init__(self, cin, cout, emb, cfg, up=False, down=False, attention=False, use_conv=False):
        super().__init__()
        self.cin, self.cout, self.p = cin, cout, cfg["dropout"]
        self.norm0 = GroupNorm(cin, 1e-6)
        self.conv0 = Conv2d(cin, cout, 3, up=up, down=down)
        self.affine = Linear(emb, cout)
        self.norm1 = GroupNorm(cout, 1e-6)
        self.conv1 = Conv2d(cout, cout, 3)
        self.skip = Conv2d(cin, cout, 1, up=up, down=down) if (cin != cout or up or down) else None
        self.swin_layer = SwinLayer(cout, cfg, use_conv) if attention else None

    def forward(self, x, emb):
        h = self.conv0(F.silu(self.norm0(x)))
        h = F.silu(self.norm1(h + self.affine(emb)[:, :, None, None]))
        h = self.conv1(F.dropout(h, self.p, self.training))
        out = (h + (self.skip(x) if self.skip is not None else x)) * math.sqrt(0.5)
        if self.swin_layer is not None:
            out = self.swin_layer(out) * math.sqrt(0.5)
        return out


class SongUNet(nn.Module):
    def __init__(self, cfg, use_conv=False):
        super().__init__()
        self.cfg = cfg
        s, mc, res0 = cfg["scale"], cfg["modelChannels"], cfg.get("resolution", 64)
        e = cfg["embChannels"]
        emb = 4 * e
        self.map_layer0 = Linear(e, emb)
        self.map_layer1 = Linear(emb, emb)
        levels = len(cfg["channelMult"])
        attn = set(cfg["attnLevels"])
        blk = lambda cin, cout, **kw: UNetBlock(cin, cout, emb, cfg, use_conv=use_conv, **kw)  # noqa: E731
        self.enc = nn.ModuleDict()
        cout = 3 * s * s + 3
        skips = []
        for level, mult in enumerate(cfg["channelMult"]):
            r = f"{res0 >> level}x{res0 >> level}"
            if level == 0:
                self.enc[f"{r}_conv"] = Conv2d(cout, mc, 3)
                cout = mc
            else:
                self.enc[f"{r}_down"] = blk(cout, cout, down=True)
            skips.append(cout)
            for i in range(cfg["numBlocks"]):
                cin, cout = cout, mc * mult
                self.enc[f"{r}_block{i}"] = blk(cin, cout, attention=level in attn)
                skips.append(cout)
        self.dec = nn.ModuleDict()
        for level in reversed(range(levels)):
            r = f"{res0 >> level}x{res0 >> level}"
            if level == levels - 1:
                self.dec[f"{r}_in0"] = blk(cout, cout, attention=level in attn)
                self.dec[f"{r}_in1"] = blk(cout, cout)
            else:
                self.dec[f"{r}_up"] = blk(cout, cout, up=True)
            for i in range(cfg["numBlocks"] + 1):
                cin, cout = cout + skips.pop(), mc * cfg["channelMult"][level]
                self.dec[f"{r}_block{i}"] = blk(cin, cout, attention=(i == cfg["numBlocks"] and level in attn))
        r0 = f"{res0}x{res0}"
        self.r0 = r0
        self.dec[f"{r0}_aux_norm"] = GroupNorm(cout, 1e-6)
        if cfg["head"] == "nearest-conv":
            hc = cfg.get("headChannels") or mc
            self.dec[f"{r0}_aux_conv"] = Conv2d(cout, cout, 3)
            cin = cout
            self.n_up = int(round(math.log2(s)))
            for k in range(self.n_up):
                setattr(self, f"conv_up{k + 1}", nn.Conv2d(cin, hc, 3, padding=1))
                cin = hc
            self.conv_last = nn.Conv2d(cin, 3, 3, padding=1)
        else:
            self.dec[f"{r0}_aux_conv"] = Conv2d(cout, 3 * s * s, 3)

    def forward(self, x, c_noise, lq):
        cfg = self.cfg
        s, e = cfg["scale"], cfg["embChannels"]
        half = e // 2
        freqs = (1 / 10000) ** (torch.arange(half, dtype=torch.float32) / (half - 1))
        arg = c_noise[:, None] * freqs[None]
        emb = torch.cat([arg.cos(), arg.sin()], 1).reshape(-1, 2, half).flip(1).reshape(-1, e)
        emb = F.silu(self.map_layer1(F.silu(self.map_layer0(emb))))
        h = torch.cat([F.pixel_unshuffle(x, s), lq], 1)
        skips = []
        for name, mod in self.enc.items():
            h = mod(h) if name.endswith("_conv") else mod(h, emb)
            skips.append(h)
        for name, mod in self.dec.items():
            if "_aux_" in name:
                continue
            if h.shape[1] != mod.cin:
                h = torch.cat([h, skips.pop()], 1)
            h = mod(h, emb)
        h = self.dec[f"{self.r0}_aux_conv"](F.silu(self.dec[f"{self.r0}_aux_norm"](h)))
        if cfg["head"] == "nearest-conv":
            for k in range(self.n_up):
                conv = getattr(self, f"conv_up{k + 1}")
                h = F.leaky_relu(conv(F.interpolate(h, scale_factor=2, mode="nearest")), 0.2)
            out = self.conv_last(h)
        else:
            out = F.pixel_shuffle(h, s)
        if cfg["resCon"]:
            out = out + F.interpolate(lq, scale_factor=s, mode="bicubic", align_corners=False)
        return out


class EDMUNetMirror(nn.Module):
    """The reference's wrapper only adds the `model.` prefix (preconditioning lives in pf-ode)."""

    def __init__(self, cfg, use_conv=False):
        super().__init__()
        self.model = SongUNet(cfg, use_conv)

    def forward(self, x, c_noise, lq):
        return self.model(x, c_noise, lq)


def config_of(preset_or_json):
    if preset_or_json in PRESETS:
        return dict(PRESETS[preset_or_json])
    return json.loads(preset_or_json)


def parameter_count(net):
    return sum(p.numel() for p in net.parameters())


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("cmd", choices=["count", "keys"])
    ap.add_argument("--preset", default="official", help="preset name or a JSON config")
    ap.add_argument("--use-conv", action="store_true")
    a = ap.parse_args()
    torch.set_num_threads(2)
    net = EDMUNetMirror(config_of(a.preset), a.use_conv)
    if a.cmd == "count":
        print(json.dumps({"preset": a.preset, "useConv": a.use_conv, "parameters": parameter_count(net)}))
    else:
        for k, v in net.state_dict().items():
            print(k, list(v.shape), str(v.dtype).replace("torch.", ""))


if __name__ == "__main__":
    main()
