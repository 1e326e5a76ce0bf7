#!/usr/bin/env bash
# Real-time factor of video analysis (seconds of video per second of compute) on this machine: the Predict CLI
# over the synthetic audio-visual mp4s, frames at 4 fps through Haar detection and the face model, plus the audio
# track through the audio model.
#   bash bench/predict-rtf.sh <audio-run> <face-run> [video-folder]   (default: data/synthetic/ravdess)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
audio="${1:?audio run folder}"; face="${2:?face run folder}"
videos="${3:-$root/data/synthetic/ravdess}"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
mkdir -p "$work/in"
find "$videos" -name '*.mp4' | sort | head -16 | while read -r f; do ln -s "$f" "$work/in/$(basename "$f")"; done
seconds=$(for f in "$work"/in/*.mp4; do ffprobe -v error -show_entries format=duration -of csv=p=0 "$f"; done | awk '{s+=$1} END {print s}')
dotnet build "$root/src/Predict" -c Release -nologo -v quiet >/dev/null
start=$(date +%s.%N)
dotnet "$root/src/Predict/bin/Release/net10.0/averlab-predict.dll" "$work/in" --audio-model "$audio" --face-model "$face" --mode video --fps 4 --out "$work/out" >/dev/null 2>&1
end=$(date +%s.%N)
awk -v v="$seconds" -v s="$start" -v e="$end" -v n="$(ls "$work"/in | wc -l)" -v c="$(nproc)" \
  'BEGIN { printf "predict.video_rtf averlab=%.2f unit=video_s_per_compute_s videos=%d video_seconds=%.1f wall_seconds=%.1f cores=%d\n", v/(e-s), n, v, e-s, c }'
