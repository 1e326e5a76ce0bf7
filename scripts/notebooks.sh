#!/usr/bin/env bash
# Runs notebooks/*.ipynb on the Polyglot Notebooks kernel (Microsoft.DotNet.Interactive.CSharp), as the tests do.
#   bash scripts/notebooks.sh run      # execute all, cell by cell, and store each cell's outputs as Polyglot
#                                      # Notebooks saves them (HTML tables as text/html, plots as image/png)
#   bash scripts/notebooks.sh check    # execute all and report, leaving the files as they are
#   bash scripts/notebooks.sh clear    # remove stored outputs and execution counts (before committing)
# Data and runs go to notebooks/.work (or $AVERLAB_NOTEBOOK_DIR). The first failing cell stops its notebook and is
# named (notebook, cell index, error); the exit status is then 1.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
mode="${1:-run}"
case "$mode" in run|check|clear) ;; refresh) mode=run ;; *) echo "usage: $0 run|check|clear" >&2; exit 2 ;; esac
dotnet build src/AverLab.Notebooks -c Release -nologo -v quiet
dotnet src/AverLab.Notebooks/bin/Release/net10.0/averlab-notebooks.dll "$mode" notebooks/*.ipynb
