#!/usr/bin/env bash
# Runs the notebooks as the test harness does, and stores or clears their outputs.
#   bash scripts/notebooks.sh run      # execute all, report
#   bash scripts/notebooks.sh refresh  # execute all and store the displayed HTML as cell outputs
#   bash scripts/notebooks.sh clear    # remove stored outputs (before committing)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
dotnet build src/AverLab.Notebooks -c Release -nologo -v quiet
dotnet src/AverLab.Notebooks/bin/Release/net10.0/averlab-notebooks.dll "${1:-run}" notebooks/*.ipynb
