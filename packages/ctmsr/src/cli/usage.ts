/** The CLI's help texts (printed by `--help` and with usage errors). */

export const MAIN_USAGE = `usage: ctmsr <command> [options]

commands:
  upscale <files or folders...> -o <file or folder>   4x super-resolution of images
  eval --pred <folder> --gt <folder>                  PSNR/SSIM (Y and RGB) against ground truth
  bench                                               inference time per backend and size
  info                                                version, backend, adapter and model
  train                                               train a model ('ctmsr train --help')

'ctmsr <command> --help' shows a command's options.
exit codes: 0 success, 1 some inputs failed, 2 usage or setup error, 130 interrupted
`;

export const UPSCALE_USAGE = `usage: ctmsr upscale <files or folders...> -o <file or folder> [options]

  -o, --output <path>   output file (one input file) or folder (created if needed); a folder
                        input gives the same file names (stems) with the format's extension
  --format <f>          png | jpeg | webp (default: from the output file's extension, else png)
  --quality <n>         JPEG/WebP quality 1..100 (default 92)
  --steps <n>           network evaluations: 1 (default, one-step), 2 or 4 (multi-step)
  --seed <n>            noise seed (default 0): same seed, same pixels
  --sigma-max <x>       starting noise level (default 1, as trained; lower = closer to the input)
  --self-ensemble       average the 8 flips/transposes (8x slower)
  --tile <n>            tile size in input pixels (default: from the backend's memory limits)
  --overlap <n>         tile overlap in input pixels (default 16)
  --backend <name>      auto | webgpu | wasm | cpu | tensorflow | webgl (default auto)
  --model <path>        model.json or its folder (default: the bundled model)
  --max-pixels <n>      refuse larger inputs (default 4194304 = 2048x2048)
  --force               overwrite existing outputs (default: refuse, the file counts as failed)
  --quiet               no progress or messages (errors are still printed)
  --json                print a JSON summary on stdout
  -h, --help            this text

A bad input (unreadable, truncated, not an image, empty, too large) prints one line naming the
file and the reason; the other files are still processed and the failures are listed at the end.
Outputs are written to a temporary file and renamed, never left half-written.
exit codes: 0 all files done, 1 some files failed, 2 usage or setup error, 130 interrupted
`;

export const EVAL_USAGE = `usage: ctmsr eval --pred <folder> --gt <folder> [--crop <n>] [--json]

  --pred <folder>   super-resolved images
  --gt <folder>     ground-truth images; pairs are matched by file name without extension
  --crop <n>        pixels removed from each border before measuring (default 0; SR papers use 4)
  --json            print the results as JSON on stdout
  -h, --help        this text

Metrics: PSNR and SSIM on Y (BT.601, MATLAB rgb2ycbcr: Y = 16 + 65.481 R + 128.553 G + 24.966 B)
and on RGB; SSIM with an 11x11 Gaussian window (sigma 1.5), K1 0.01, K2 0.03, on the 0..255 scale.
exit codes: 0 all pairs measured, 1 some files failed or no pairs, 2 usage error
`;

export const INFO_USAGE = `usage: ctmsr info [--backend <name>] [--model <path>] [--json]

Prints the package version, TensorFlow.js version, the backend that would be used (and why),
the WebGPU adapter if any, and the model.
`;

export const BENCH_USAGE = `usage: ctmsr bench [--backend <names>] [--sizes <list>] [--runs <n>] [--steps <n>] [--model <path>] [--json]

  --backend <names>  comma-separated backends to measure (default: auto)
  --sizes <list>     comma-separated square input sizes in pixels (default 32,64,128)
  --runs <n>         timed runs per size after one warm-up (default 3); the median is reported
  --steps <n>        sampler steps (default 1)
  --model <path>     model.json or its folder (default: the bundled model; a random-initialised
                     'tiny' network of the same architecture when none is installed)
  --json             print the results as JSON on stdout
`;
