#!/usr/bin/env bash
# Benchmark-only run on the lent GPU machine (after `SKIP_PHOTOS=1 tools/gpu/pack.sh`):
# ctmsr info, CTMSR.upscale end to end, and the network forward beside UpscalerJS esrgan-slim,
# all on hardware WebGPU; outputs in $OUT. See tools/gpu/README.md.
set -uo pipefail
OUT=${OUT:-/tmp/gpu-out}; mkdir -p "$OUT"
G=/tmp/g; mkdir -p $G
t0=$(date +%s); el() { echo "[+$(( $(date +%s) - t0 ))s] $*"; }
if [ -z "${LOCAL:-}" ]; then for f in .gl/*.deb; do dpkg -x "$f" /; done; ldconfig; fi
icd=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json
[ -f $icd ] && export VK_ICD_FILENAMES=$icd VK_DRIVER_FILES=$icd
[ -x $G/node ] || { xz -dc .gpu/node.xz > $G/node && chmod +x $G/node; }
[ -f $G/ctmsr-cli.mjs ] || tar -C $G -xJf .gpu/stage.tar.xz
N=$G/node; CLI=$G/ctmsr-cli.mjs
timeout 60 $N $CLI info --backend webgpu --model packages/ctmsr/models/default 2>&1 | tee $OUT/info.txt
el "bench"
timeout ${BENCH_S:-90} $N $CLI bench --backend webgpu --sizes 64,128,256,512 --runs 10 \
  --model packages/ctmsr/models/default 2>&1 | tee $OUT/bench-upscale.txt
el "upscale a shipped image"
timeout 60 $N $CLI upscale examples/images/coffee-lr.png -o $OUT/coffee-x4-webgpu.png --backend webgpu \
  --model packages/ctmsr/models/default 2>&1 | tail -2
el "forward bench"
timeout ${FWD_S:-90} $N $G/forward-bench.mjs --backends webgpu --lrs 64,128 --runs 10 \
  --configs '["tiny","small"]' 2>&1 | tee $OUT/forward.md
el "done"
