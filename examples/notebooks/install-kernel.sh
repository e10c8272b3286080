#!/usr/bin/env bash
# Installs the TypeScript Jupyter kernel (tslab) that runs the notebooks:
#   1. tslab from npm into kernel/node_modules, apart from the workspace (tslab brings its own
#      TypeScript 5.0, whose `tsc` would otherwise replace the workspace's in node_modules/.bin);
#   2. its kernelspec, by default into examples/notebooks/.jupyter/share/jupyter/kernels/tslab
#      (run-notebooks.sh puts that folder on JUPYTER_PATH; to see the kernel in your own Jupyter,
#      export JUPYTER_PATH=$PWD/examples/notebooks/.jupyter/share/jupyter, or pass --user);
#   3. NODE_OPTIONS=--conditions=import in the kernelspec, so that the kernel's require() loads the
#      workspace packages, which export ES modules only (Node >= 20.19 can require them).
# Needs Jupyter from Debian: apt-get install jupyter-nbconvert python3-nbconvert python3-ipykernel
# (see .ci/run). Usage: bash examples/notebooks/install-kernel.sh [--user]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"

npm ci --prefix "$here/kernel" --no-audit --no-fund --loglevel=error

# The Python that has Jupyter: Debian's, even when another python3 comes first on PATH.
python=""
for candidate in /usr/bin/python3 python3; do
  if "$candidate" -c 'import jupyter_client' >/dev/null 2>&1; then python="$candidate"; break; fi
done
if [ -z "$python" ]; then
  echo "install-kernel: no python3 with jupyter_client; install Jupyter first (apt-get install jupyter-nbconvert python3-nbconvert python3-ipykernel)" >&2
  exit 1
fi

tslab="$here/kernel/node_modules/.bin/tslab"
if [ "${1:-}" = "--user" ]; then
  "$tslab" install --python="$python" --binary="$tslab" --user
  spec="$("$python" -m jupyter kernelspec list --json | "$python" -c 'import json,sys; print(json.load(sys.stdin)["kernelspecs"]["tslab"]["resource_dir"])')"
else
  "$tslab" install --python="$python" --binary="$tslab" --prefix="$here/.jupyter"
  spec="$here/.jupyter/share/jupyter/kernels/tslab"
fi
node -e '
  const fs = require("node:fs");
  const file = process.argv[1] + "/kernel.json";
  const spec = JSON.parse(fs.readFileSync(file, "utf8"));
  spec.env = { ...spec.env, NODE_OPTIONS: "--conditions=import" };
  fs.writeFileSync(file, JSON.stringify(spec, null, 1) + "\n");
' "$spec"
echo "install-kernel: tslab kernelspec in $spec"
