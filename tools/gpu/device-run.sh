#!/usr/bin/env bash
# Runs on the lent GPU machine (tools/gpu/README.md), from the repository root, after
# tools/gpu/pack.sh; results go to $OUT. Sections are time-boxed so that the whole command ends
# inside the device time: TRAIN_S seconds of training (SIGINT => the trainer writes a checkpoint).
set -uo pipefail
OUT=${OUT:-/tmp/gpu-out}; mkdir -p "$OUT"
G=/tmp/g; mkdir -p $G
t0=$(date +%s); el() { echo "[+$(( $(date +%s) - t0 ))s] $*"; }
if ls .gl/*.deb >/dev/null 2>&1 && [ -z "${LOCAL:-}" ]; then
  for f in .gl/*.deb; do dpkg -x "$f" /; done; ldconfig
fi
icd=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json
[ -f $icd ] && export VK_ICD_FILENAMES=$icd VK_DRIVER_FILES=$icd
[ -x $G/node ] || { xz -dc .gpu/node.xz > $G/node && chmod +x $G/node; }
[ -f $G/ctmsr-cli.mjs ] || tar -C $G -xJf .gpu/stage.tar.xz
N=$G/node; CLI=$G/ctmsr-cli.mjs
el "setup done"; nvidia-smi -L 2>/dev/null; ldconfig -p | grep -i vulkan
ls /usr/local/nvidia/share/vulkan/icd.d /usr/share/vulkan/icd.d /etc/vulkan/icd.d 2>/dev/null
timeout 60 $N $CLI info --backend webgpu 2>&1 | tee $OUT/info.txt
if ! grep -q "^backend: backend webgpu" $OUT/info.txt; then  # retry with the image's own ICD search
  unset VK_ICD_FILENAMES VK_DRIVER_FILES
  timeout 60 $N $CLI info --backend webgpu 2>&1 | tee -a $OUT/info.txt
  grep -q "^backend: backend webgpu" $OUT/info.txt || { el "no webgpu"; exit 3; }
fi
el "bench (CTMSR.upscale, default model)"
timeout ${BENCH_S:-100} $N $CLI bench --backend webgpu --sizes 64,128,256,512 --runs 10 \
  --model packages/ctmsr/models/default 2>&1 | tee $OUT/bench-upscale.txt
el "train ${TRAIN_S:-300}s: runs ${RUNS:-a b c} in parallel (tools/gpu/train-<run>.json)"
for r in ${RUNS:-a b c}; do
  rm -rf /tmp/run-$r && mkdir -p /tmp/run-$r
  resume=""
  if [ "$r" = c ]; then cp -r training/v4/checkpoints /tmp/run-$r/; resume=--resume; fi
  timeout -s INT -k 60 ${TRAIN_S:-300} $N $CLI train --config tools/gpu/train-$r.json \
    --data $G/photos --out /tmp/run-$r $resume --backend webgpu > /tmp/run-$r/console.txt 2>&1 &
done
wait
for r in ${RUNS:-a b c}; do
  el "run $r:"; tail -3 /tmp/run-$r/console.txt
  ck=$(ls -d /tmp/run-$r/checkpoints/step-* 2>/dev/null | sort | tail -1)
  [ -n "$ck" ] && tar -C /tmp/run-$r --use-compress-program='xz -1 -T0' -cf $OUT/run-$r.tar.xz \
    console.txt log.jsonl config.json checkpoints/latest.json "checkpoints/$(basename $ck)"
done
ls -la $OUT
el "forward bench"
timeout ${FWD_S:-120} $N $G/forward-bench.mjs --backends webgpu --lrs 64,128 --runs 10 \
  --configs '["tiny","small","official"]' --train 2>&1 | tee $OUT/forward.md
el "done"
