#!/usr/bin/env bash
# Vision benchmark: 4 fps frame extraction + face detection + 64x64 crop, frames per second, AverLab only (Debian
# ships no Python OpenCV/dlib bindings here, so there is no side to compare with; the figure is absolute).
#   bench/compare-vision.sh            # generates a 10 s 1280x720 face video, 3 timed rounds, best kept
#   bench/compare-vision.sh clip.mp4   # any video of yours
# Prints: `media.frames_faces averlab=<frames/s> unit=frames_per_s ...` (Haar cascade) and
#         `media.frames_faces_hog ...` (dlib HOG, no upsampling) and `media.frames_faces_640 ...` (Haar on frames
#         that ffmpeg scaled to 640 wide). Needs: bash scripts/setup.sh
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dotnet build "$root/bench/AverLab.Bench.Vision" -c Release -nologo -v quiet >/dev/null
dotnet "$root/bench/AverLab.Bench.Vision/bin/Release/net10.0/AverLab.Bench.Vision.dll" "$@" --rounds "${ROUNDS:-3}"
