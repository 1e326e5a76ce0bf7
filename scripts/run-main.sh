#!/usr/bin/env bash
# The README's main command: sets up (system packages + native shims), generates the synthetic corpus once
# (RAVDESS layout, 16 actors), and trains configs/quickstart.yaml. Extra arguments go to the trainer, e.g.
#   bash scripts/run-main.sh --set output.root=/tmp/runs
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash scripts/setup.sh
dotnet build src/Train -c Release -nologo -v quiet
if ! grep -qx 'actors=16' data/synthetic/synthetic.txt 2>/dev/null; then
  dotnet run --project src/Train -c Release --no-build -- synth --out data/synthetic --actors 16
fi
dotnet run --project src/Train -c Release --no-build -- --config configs/quickstart.yaml "$@"
