#!/usr/bin/env bash
# Packs what a run on the lent GPU machine needs into .gpu/ (git-ignored via .git/info/exclude):
# node (xz), a single-file build of the CLI and of the forward benchmark, the native addons
# (webgpu's dawn.node, sharp + libvips) and the training photographs as JPEG q95 4:4:4.
# The device machine has no Node and no network; see tools/gpu/README.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
out=.gpu
rm -rf "$out" && mkdir -p "$out/stage/node_modules"
mkdir -p .git/info; grep -qx "/.gpu/" .git/info/exclude 2>/dev/null || echo "/.gpu/" >> .git/info/exclude

common=(--bundle --platform=node --format=esm --target=node20 --main-fields=module,main
  --external:sharp --external:webgpu --external:@tensorflow/tfjs-backend-wasm
  --external:@tensorflow/tfjs-node --external:@tensorflow/tfjs-node-gpu --tsconfig=tsconfig.json
  "--banner:js=import {createRequire as __cr} from 'module'; const require = __cr(import.meta.url);"
  --log-level=warning)
npx esbuild tools/gpu/cli-entry.ts "${common[@]}" --ignore-annotations --outfile="$out/stage/ctmsr-cli.mjs"
npx esbuild tools/gpu/forward-entry.ts "${common[@]}" --ignore-annotations --outfile="$out/stage/forward-bench.mjs"

nm=node_modules
st="$out/stage/node_modules"
mkdir -p "$st/webgpu/dist/linux-x64"
cp $nm/webgpu/index.js $nm/webgpu/package.json "$st/webgpu/"
cp $nm/webgpu/dist/linux-x64/dawn.node "$st/webgpu/dist/linux-x64/"
for p in sharp @img/colour @img/sharp-linux-x64 @img/sharp-libvips-linux-x64 detect-libc semver; do
  mkdir -p "$st/$(dirname $p)" && cp -r "$nm/$p" "$st/$p"
done
# UpscalerJS esrgan-slim (the benchmark baseline): package.json and the x4 model only.
if [ -d $nm/@upscalerjs/esrgan-slim ]; then
  mkdir -p "$st/@upscalerjs/esrgan-slim/models"
  cp $nm/@upscalerjs/esrgan-slim/package.json "$st/@upscalerjs/esrgan-slim/"
  cp -r $nm/@upscalerjs/esrgan-slim/models/x4 "$st/@upscalerjs/esrgan-slim/models/"
fi

# Training photographs: JPEG q95 4:4:4 (a fifth of the PNGs' size; the 64 MiB transfer limit);
# SKIP_PHOTOS=1 for benchmark-only runs.
src=${PHOTOS:-data/photos/train}
mkdir -p "$out/stage/photos"
[ -n "${SKIP_PHOTOS:-}" ] || node -e "
const sharp = require('sharp'); const fs = require('fs'); const path = require('path');
(async () => { for (const f of fs.readdirSync('$src')) {
  await sharp(path.join('$src', f)).jpeg({ quality: 95, chromaSubsampling: '4:4:4' })
    .toFile(path.join('$out/stage/photos', f.replace(/\.\w+$/, '.jpg')));
} })();"
tar -C "$out/stage" -cf - . | xz -T2 -6 > "$out/stage.tar.xz"
cp "$(command -v node)" "$out/node" && strip "$out/node" && xz -T2 -6 "$out/node"  # Debian ships it unstripped
rm -rf "$out/stage"
du -b "$out"/*
