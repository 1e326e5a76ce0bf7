#!/usr/bin/env bash
# One-command setup for AverLab on Debian: installs the system packages the project needs (only those missing),
# then builds the native vision shim. Idempotent: a second run installs nothing and rebuilds nothing. The engine
# (TorchSharp + libtorch) comes from NuGet on restore; the build makes its native shim loadable on Debian 12
# (build/TorchSharpNative.targets), so nothing here installs libtorch.
#
#   bash scripts/setup.sh           # build, train and test dependencies
#   bash scripts/setup.sh --bench   # also Debian's python3-torch/torchaudio (PyTorch 1.13.1) for golden values and side-by-side benchmarks
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

packages=(
  cmake g++             # build native/vision, native/mkl-dispatch and native/finalizer-guard
  ffmpeg                # decode audio/video containers, encode synthetic videos
  opencv-data                 # Haar cascades (/usr/share/opencv4/haarcascades), read through OpenCvSharp4
  # What OpenCvSharp4's prebuilt libOpenCvSharpExtern.so links that a bare Debian 12 lacks (`ldd` on it): GTK3 and
  # its pango/cairo/atk/gdk-pixbuf/glib stack, X11, libdrm, libatomic, freetype, harfbuzz.
  libgtk-3-0 libdrm2 libatomic1 libfreetype6 libharfbuzz0b
  libdlib-dev libdlib-data    # HOG face detector (native/vision); the 68-point landmark model file
  pkg-config                  # finds dlib's and FFmpeg's link flags for native/vision
  # Video frames are decoded by native/vision through Debian's FFmpeg libraries (with their SIMD; OpenCvSharp4's
  # bundled FFmpeg has none): their headers and pkg-config files.
  libavformat-dev libavcodec-dev libswscale-dev libavutil-dev
  opencv-doc python3-skimage  # real face photos used as test inputs (messi5.jpg, astronaut.png)
  chromium                    # renders report.html headless in the report test
  fonts-dejavu-core           # DejaVu Sans, the one face of the ScottPlot figures (plots/, report.html)
  # Scale-out (README "On a cluster"): the cluster tests start munged, slurmctld and slurmd on localhost with a
  # generated slurm.conf and run data-parallel training under mpirun; the MPI engine is libmpi through P/Invoke.
  slurm-wlm munge             # sbatch/squeue/sacct + slurmctld/slurmd (22.05), munge authentication
  openmpi-bin libopenmpi-dev  # mpirun and libmpi.so (Open MPI 4.1)
  libgomp1                    # GNU OpenMP: LightGBM's lib_lightgbm.so (Microsoft.ML.LightGbm, model gradient_boosting) links it
)
# libopencv-dev: only tests/golden/vision_dlib.cpp (dlib's own landmarks, compiled against Debian's OpenCV) needs it.
# libopenblas0-pthread: the optimised libblas.so.3 a Python user has under numpy and torch (without it Debian's
# alternative is the netlib reference BLAS, and bench/compare would measure a crippled peer); python3-threadpoolctl
# lets the bench print which BLAS the peer loaded; time (/usr/bin/time) gives bench/predict-rtf.sh each side's peak RSS.
bench_packages=(python3-torch python3-torchaudio python3-torchvision python3-numpy python3-scipy python3-sklearn python3-opencv libopencv-dev
  libopenblas0-pthread python3-threadpoolctl time)

with_bench=0
for arg in "$@"; do
  case "$arg" in
    --bench) with_bench=1 ;;
    -h|--help) sed -n '2,7p' "$0"; exit 0 ;;
    *) echo "setup.sh: unknown option '$arg' (try --help)" >&2; exit 2 ;;
  esac
done
[ "$with_bench" = 1 ] && packages+=("${bench_packages[@]}")

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

command -v dotnet >/dev/null || { echo "setup: the .NET 10 SDK (dotnet) is required" >&2; exit 1; }
bash "$root/scripts/build-native-vision.sh"
echo "setup: ok"
