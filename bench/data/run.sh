#!/usr/bin/env bash
# Data bench: synthetic corpus generation time, MFCC preprocessing throughput and the projected time for the
# 1,440-clip RAVDESS speech set with the CNN+Transformer MFCC settings. Extra arguments go to the program:
#   --threads N   worker threads (default: all cores)   --out DIR   keep outputs   --sample DIR   real RAVDESS sample
set -euo pipefail
cd "$(dirname "$0")/../.."
dotnet run -c Release --project bench/data -- "$@"
