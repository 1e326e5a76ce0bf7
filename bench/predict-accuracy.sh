#!/usr/bin/env bash
# Accuracy of the inference CLI on a run's held-out test files: runs `Predict` in batch mode over the test
# actors' clips (from the run's split.json) and compares each file's overall emotion with its RAVDESS name.
#   bash bench/predict-accuracy.sh <run-dir> [corpus-root]     (default root: data/synthetic/ravdess)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
run="${1:?run folder}"
corpus="${2:-$root/data/synthetic/ravdess}"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
/usr/bin/python3 - "$run/split.json" "$corpus" "$work/in" <<'PY'
import json, os, sys
split, corpus, out = sys.argv[1:4]
os.makedirs(out)
for rel in json.load(open(split))["test"]:
    os.symlink(os.path.join(corpus, rel), os.path.join(out, rel.replace("/", "_")))
PY
dotnet build "$root/src/Predict" -c Release -nologo -v quiet >/dev/null
dotnet "$root/src/Predict/bin/Release/net10.0/averlab-predict.dll" "$work/in" --model "$run" --out "$work/out" >/dev/null 2>&1
/usr/bin/python3 - "$work/out/summary.csv" <<'PY'
import csv, sys
names = ["neutral", "calm", "happy", "sad", "angry", "fearful", "disgust", "surprised"]
rows = list(csv.DictReader(open(sys.argv[1])))
ok = sum(1 for r in rows if r["emotion"] == names[int(r["file"].split("/")[-1].split("_")[-1].split("-")[2]) - 1])
print(f"predict.heldout_accuracy averlab={ok / len(rows):.4f} files={len(rows)} errors={sum(1 for r in rows if r['error'])}")
PY
