#!/usr/bin/env bash
# Web load bench: starts averlab-web on 127.0.0.1 (default settings, a fresh store, the shipped model packages in
# models/ answering) and sends N clients at once, each uploading M real-sized files back to back (a 3 s wav, a
# 640x480 jpg, a 5 s 640x480 mp4, in turn); waits for every result. One line per scenario:
#   web.load clients=50 uploads_each=1 total=50 accepted=50 refused=0 failed=0 lost=0 result_p50_s=.. result_p95_s=..
#            result_max_s=.. upload_p50_s=.. upload_max_s=.. throughput_per_min=.. wall_s=.. server_start_ws_mib=..
#            server_peak_ws_mib=..
# Usage: bash bench/web-load.sh [--scenario 50x1 --scenario 10x5] [--server-arg --workers --server-arg 2]
# (default scenarios 50x1 and 10x5; real speech from ../shared/data/ravdess-speech-sample when present).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
dotnet build "$root/src/Web" -c Release -v q -nologo >/dev/null
dotnet build "$root/bench/web" -c Release -v q -nologo >/dev/null
echo "# $(date -u +%Y-%m-%dT%H:%MZ) commit $(git -C "$root" rev-parse --short HEAD) $(nproc) cores; load average $(cut -d' ' -f1-3 /proc/loadavg)"
exec "$root/bench/web/bin/Release/net10.0/AverLab.Bench.Web" --server "$root/src/Web/bin/Release/net10.0/averlab-web.dll" \
  --models "$root/models" --sample "$root/../shared/data/ravdess-speech-sample" "$@"
