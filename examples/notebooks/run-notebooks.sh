#!/usr/bin/env bash
# Executes every notebook of examples/notebooks top to bottom with the tslab kernel and fails on
# the first error (a cell that throws, or a kernel that dies). The executed copies go to a
# temporary folder (or the folder given as $1); the committed notebooks are not changed.
# Needs: Jupyter (Debian packages, see .ci/run), the kernel (install-kernel.sh) and built
# packages (npm ci / npm run build: the notebooks import the packages' dist/).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="${1:-$(mktemp -d -t ctmsr-notebooks-XXXXXX)}"
mkdir -p "$out"
export JUPYTER_PATH="$here/.jupyter/share/jupyter${JUPYTER_PATH:+:$JUPYTER_PATH}"

if ! command -v jupyter >/dev/null 2>&1; then
  echo "run-notebooks: 'jupyter' not found; apt-get install jupyter-nbconvert python3-nbconvert python3-ipykernel" >&2
  exit 2
fi
kernels="$(jupyter kernelspec list 2>/dev/null || true)"
if ! grep -q '^ *tslab ' <<<"$kernels"; then
  echo "run-notebooks: no 'tslab' kernel; run: bash examples/notebooks/install-kernel.sh" >&2
  exit 2
fi

cd "$here" # the kernel starts in the notebook's folder; paths in the notebooks are relative to it
status=0
for nb in [0-9]*.ipynb; do
  start=$(date +%s)
  if jupyter nbconvert --to notebook --execute --ExecutePreprocessor.timeout=600 \
      --ExecutePreprocessor.kernel_name=tslab --output-dir "$out" "$nb" >"$out/${nb%.ipynb}.log" 2>&1; then
    echo "run-notebooks: $nb ok ($(( $(date +%s) - start )) s)"
  else
    echo "run-notebooks: $nb FAILED ($(( $(date +%s) - start )) s); last lines of the log:" >&2
    tail -n 40 "$out/${nb%.ipynb}.log" >&2
    status=1
  fi
done
echo "run-notebooks: executed copies in $out"
exit $status
