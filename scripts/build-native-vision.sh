#!/usr/bin/env bash
# Configures (once) and builds the native vision remainder (native/vision → native/vision/build/lib/libaverlab_vision.so):
# dlib's HOG face detector over Debian's libdlib, and video decoding over Debian's FFmpeg libraries. Called by
# scripts/setup.sh and by `dotnet build` of src/AverLab.Media.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
fix="Fix: sudo bash scripts/setup.sh"
if ! command -v cmake >/dev/null || ! command -v g++ >/dev/null || ! command -v pkg-config >/dev/null; then
  echo "error: cmake, g++ and pkg-config are needed to build native/vision. $fix" >&2
  exit 1
fi
if ! pkg-config --exists dlib-1; then
  echo "error: dlib is not installed (no dlib-1.pc; Debian package libdlib-dev). $fix" >&2
  exit 1
fi
if ! pkg-config --exists libavformat libavcodec libswscale libavutil; then
  echo "error: FFmpeg's development files are not installed (Debian packages libavformat-dev libavcodec-dev libswscale-dev libavutil-dev). $fix" >&2
  exit 1
fi
build="$root/native/vision/build"
# A build folder configured for the old OpenCV + dlib library would keep linking OpenCV: start it afresh.
if [ -f "$build/CMakeCache.txt" ] && grep -q '^OpenCV_DIR' "$build/CMakeCache.txt"; then
  rm -rf "$build"
fi
if [ ! -f "$build/CMakeCache.txt" ]; then
  cmake -S "$root/native/vision" -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null
fi
cmake --build "$build" -j"$(nproc)"
