#!/usr/bin/env bash
# Data-parallel training, N ranks x 1 thread (training.distributed: mpi under mpirun) against 1 process x N threads,
# on seed configs over the synthetic corpus, A/B interleaved so that load from other work hits both arms alike.
# Prints one machine-readable line per run and a median per arm (the lower middle value for an even count): the mean seconds of an epoch (history.csv's
# `seconds`: train + validation, without start-up, data loading and the final test), skipping epoch 1 (warm-up).
#
#   [ACTORS=8] bash bench/scale-out.sh [REPEATS=3] [EPOCHS=3] [CONFIGS="quickstart resnet_audio_5class"]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
repeats="${1:-3}"; epochs="${2:-3}"; configs="${3:-quickstart resnet_audio_5class}"
n=2
work="$(mktemp -d /tmp/averlab-scale-out-XXXX)"
trap 'rm -rf "$work"' EXIT
dll="$root/src/Train/bin/Release/net10.0/averlab-train.dll"
[ -f "$dll" ] || dotnet build "$root/src/Train" -c Release -nologo -v q
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_btl_vader_single_copy_mechanism=none
corpus="$work/corpus"
dotnet "$dll" synth --out "$corpus" --actors "${ACTORS:-8}" --no-video --fer-per-class 0 >/dev/null
epoch_seconds() { awk -F, 'NR>2 {s+=$7; n++} END {printf "%.3f", s/n}' "$(ls -d "$1"/*/ | head -1)/history.csv"; }
for config in $configs; do
  sets=(--set "data.root=$corpus/ravdess" --set "training.epochs=$epochs" --set "output.root=$work/runs"
        --set "training.batch_size=32")
  for r in $(seq 1 "$repeats"); do
    for arm in threads ranks; do
      name="$config-$arm-$r"
      if [ "$arm" = threads ]; then
        dotnet "$dll" --config "$root/configs/$config.yaml" "${sets[@]}" --set "name=$name" --set "training.threads=$n" >/dev/null
      else
        mpirun --allow-run-as-root --oversubscribe --bind-to none -np "$n" dotnet "$dll" --config "$root/configs/$config.yaml" \
          "${sets[@]}" --set "name=$name" --set training.threads=1 --set training.distributed=mpi >/dev/null
      fi
      echo "scale-out config=$config arm=$arm repeat=$r epoch_seconds=$(epoch_seconds "$work/runs/$name")"
    done
  done
done | tee "$work/lines"
for key in $(awk '{print $2"/"$3}' "$work/lines" | sort -u); do
  values=$(grep -F " ${key%/*} ${key#*/} " "$work/lines" | sed 's/.*epoch_seconds=//' | sort -n)
  count=$(wc -l <<<"$values")
  echo "median ${key%/*} ${key#*/} epoch_seconds=$(sed -n "$(( (count + 1) / 2 ))p" <<<"$values") (n=$count)"
done
