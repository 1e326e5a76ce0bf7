#!/usr/bin/env bash
# Configures (once) and builds the native shim in native/build. Called by scripts/setup.sh and by `dotnet build`.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if [ ! -f /usr/lib/x86_64-linux-gnu/cmake/Torch/TorchConfig.cmake ] && [ -z "${Torch_DIR:-}" ]; then
  echo "error: libtorch is not installed (no TorchConfig.cmake). Fix: sudo bash scripts/setup.sh" >&2
  exit 1
fi
if ! command -v cmake >/dev/null || ! command -v g++ >/dev/null; then
  echo "error: cmake and g++ are needed to build native/. Fix: sudo bash scripts/setup.sh" >&2
  exit 1
fi
build="$root/native/build"
if [ ! -f "$build/CMakeCache.txt" ]; then
  cmake -S "$root/native" -B "$build" -DCMAKE_BUILD_TYPE=Release ${Torch_DIR:+-DTorch_DIR="$Torch_DIR"} >/dev/null
fi
cmake --build "$build" -j"$(nproc)"
