#!/usr/bin/env bash
# Configures (once) and builds the vision library (native/vision → native/vision/build/lib/libaverlab_vision.so)
# over Debian's OpenCV and dlib. Called by scripts/setup.sh and by `dotnet build` of src/AverLab.Media.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
fix="Fix: sudo bash scripts/setup.sh"
if ! command -v cmake >/dev/null || ! command -v g++ >/dev/null || ! command -v pkg-config >/dev/null; then
  echo "error: cmake, g++ and pkg-config are needed to build native/vision. $fix" >&2
  exit 1
fi
if [ ! -f /usr/lib/x86_64-linux-gnu/cmake/opencv4/OpenCVConfig.cmake ] && [ -z "${OpenCV_DIR:-}" ]; then
  echo "error: OpenCV is not installed (no OpenCVConfig.cmake; Debian package libopencv-dev). $fix" >&2
  exit 1
fi
if ! pkg-config --exists dlib-1; then
  echo "error: dlib is not installed (no dlib-1.pc; Debian package libdlib-dev). $fix" >&2
  exit 1
fi
build="$root/native/vision/build"
if [ ! -f "$build/CMakeCache.txt" ]; then
  cmake -S "$root/native/vision" -B "$build" -DCMAKE_BUILD_TYPE=Release ${OpenCV_DIR:+-DOpenCV_DIR="$OpenCV_DIR"} >/dev/null
fi
cmake --build "$build" -j"$(nproc)"
