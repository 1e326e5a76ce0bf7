#!/usr/bin/env bash
# Side-by-side media benchmarks, one thread each:
#   media.mfcc averlab=<ms> pytorch=<ms> unit=ms ratio=<pytorch/averlab> threads=1
# Usage: bash bench/compare-media.sh [ravdess-dir]   (default ../shared/data/ravdess-speech-sample; synthetic
# speech-like clips when absent). Needs Debian python3-torchaudio for the PyTorch side.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
data="${1:-$root/../shared/data/ravdess-speech-sample}"
clips="$(mktemp --suffix=.f32)"
trap 'rm -f "$clips"' EXIT
dotnet build "$root/bench/AverLab.Bench.Media" -c Release -v q -nologo >/dev/null
bin="$root/bench/AverLab.Bench.Media/bin/Release/net10.0/AverLab.Bench.Media"
source_line="$(DOTNET_gcServer=0 "$bin" export "$clips" "$data")"
# Alternate the two sides three times and keep each side's best, so a burst of load on a shared box does not
# decide the ratio.
a=""; p=""
for _ in 1 2 3; do
  ours="$("$bin" mfcc "$clips")"
  theirs="$(OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 /usr/bin/python3 "$root/bench/media/mfcc_torchaudio.py" "$clips")"
  x="$(sed -n 's/.*averlab=\([0-9.]*\).*/\1/p' <<<"$ours")"
  y="$(sed -n 's/.*pytorch=\([0-9.]*\).*/\1/p' <<<"$theirs")"
  a="$(awk -v o="$a" -v n="$x" 'BEGIN { print (o == "" || n < o) ? n : o }')"
  p="$(awk -v o="$p" -v n="$y" 'BEGIN { print (o == "" || n < o) ? n : o }')"
done
ratio="$(awk -v a="$a" -v p="$p" 'BEGIN { printf "%.2f", p / a }')"
echo "# $source_line"
echo "media.mfcc averlab=$a pytorch=$p unit=ms ratio=$ratio threads=1"
