#!/usr/bin/env bash
# Inference speed as a user feels it: `averlab-predict <60 s video> --mode video` with the shipped packages
# (models/ravdess-speech on the audio track, models/fer2013-face on the faces, no --model: the installed packages),
# whole process, beside its Python peer bench/predict_peer.py (PyTorch 1.13 + OpenCV + numpy/scipy, Debian's
# /usr/bin/python3) doing the same work. Real-time factor = video seconds / wall seconds (higher is faster); peak memory
# = the process's RSS high-water mark (/usr/bin/time's "Maximum resident set size").
#   bash bench/predict-rtf.sh            ROUNDS=3 rounds, the two sides back to back in each; each side's best wall time
#   RTF_VIDEO=my.mp4 bash bench/predict-rtf.sh   time another video instead of the generated one
#   RTF_BASELINE=<checkout> bash bench/predict-rtf.sh   also time that checkout's averlab-predict (built there) in each
#                                        round: a before/after line for a change (predict.video_60s.baseline)
# The video (unless RTF_VIDEO): the synthetic corpus of `averlab-train synth --actors 4` (seed 42: 32 clips of 96x96,
# 10 fps, 16 kHz), concatenated in name order, scaled to 480x480 and padded to 640x480, 30 fps, 48 kHz stereo AAC, cut to
# 60 s: a webcam-like file (H.264 + AAC) built in a temporary folder, deleted afterwards.
# Prints `predict.video_60s averlab=<rtf> pytorch=<rtf> unit=video_s_per_wall_s ratio=<averlab/pytorch> peak_rss_mb
# averlab=<MB> pytorch=<MB> ...` (ratio > 1: AverLab is faster) with the peer at AverLab's libtorch thread count, and a
# `.defaults` line with the peer at PyTorch's own default thread count; each side's BLAS and threads, the load average
# before and after, how far the two results agree, and the peer's stage seconds of its best round.
# Needs: bash scripts/setup.sh --bench
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rounds="${ROUNDS:-3}"
py=/usr/bin/python3
# The peer's OpenBLAS picks its kernels from the CPU, as a Python user's does (bench/README.md, "Kernels").
if [ "${BENCH_PEER_OPENBLAS:-auto}" != env ]; then unset OPENBLAS_CORETYPE OPENBLAS_L2_SIZE; fi
[ -x /usr/bin/time ] || { echo "predict-rtf: needs /usr/bin/time (Debian's time): bash scripts/setup.sh --bench" >&2; exit 1; }
"$py" -c "import torch, cv2, scipy, threadpoolctl" 2>/dev/null \
  || { echo "predict-rtf: needs Debian's python3-torch, python3-opencv, python3-scipy, python3-threadpoolctl: bash scripts/setup.sh --bench" >&2; exit 1; }
peer_blas="$("$py" - <<'PY'
import torch, threadpoolctl
libs = [f"{i['internal_api']}:{i['filepath']}:kernels={i.get('architecture')}:threads={i['num_threads']}" for i in threadpoolctl.threadpool_info() if i['user_api'] == 'blas']
print(" ".join(libs) or "none")
PY
)"
case "$peer_blas" in
  *openblas*|*mkl*|*blis*) ;;
  *) echo "predict-rtf: the peer's BLAS is not an optimised one ($peer_blas): bash scripts/setup.sh --bench installs libopenblas0-pthread" >&2; exit 3 ;;
esac

dotnet build "$root/src/Predict" -c Release -nologo -v quiet >/dev/null
dotnet build "$root/bench/AverLab.Bench" -c Release -nologo -v quiet >/dev/null
predict="$root/src/Predict/bin/Release/net10.0/averlab-predict.dll"
# libtorch's thread count in a process that sets none (as averlab-predict), and the libraries it mapped.
averlab_libs="$(dotnet "$root/bench/AverLab.Bench/bin/Release/net10.0/AverLab.Bench.dll" libs)"
threads="$(sed -n 's/.*threads=\([0-9]*\).*/\1/p' <<<"$averlab_libs")"
echo "$averlab_libs opencv=default($(nproc) cores)"
echo "# peer: PyTorch $("$py" -c 'import torch; print(torch.__version__)') OpenCV $("$py" -c 'import cv2; print(cv2.__version__)') torch.set_num_threads($threads) opencv=default blas=$peer_blas env: $(env | grep -E '^(OPENBLAS|MKL|OMP)_' | tr '\n' ' ')"

work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
video="${RTF_VIDEO:-}"
if [ -z "$video" ]; then
  dotnet build "$root/src/Train" -c Release -nologo -v quiet >/dev/null
  dotnet "$root/src/Train/bin/Release/net10.0/averlab-train.dll" synth --out "$work/synth" --actors 4 >/dev/null
  find "$work/synth" -name '*.mp4' | sort | sed "s/'/'\\\\''/g; s/^/file '/; s/$/'/" >"$work/clips.txt"
  video="$work/video60.mp4"
  ffmpeg -v error -nostdin -y -f concat -safe 0 -i "$work/clips.txt" -t 60 \
    -vf "scale=480:480:flags=bicubic,pad=640:480:80:0,fps=30,format=yuv420p" -c:v libx264 -preset medium -crf 23 \
    -af aresample=48000 -ac 2 -c:a aac -b:a 128k "$video"
  rm -rf "$work/synth"
fi
seconds="$(ffprobe -v error -show_entries format=duration -of csv=p=0 "$video")"
echo "# video: $(ffprobe -v error -select_streams v:0 -show_entries stream=codec_name,width,height,r_frame_rate -of csv=p=0 "$video") + $(ffprobe -v error -select_streams a:0 -show_entries stream=codec_name,sample_rate,channels -of csv=p=0 "$video"), ${seconds} s"

baseline="${RTF_BASELINE:-}"
if [ -n "$baseline" ]; then
  dotnet build "$baseline/src/Predict" -c Release -nologo -v quiet >/dev/null
  echo "# baseline: $baseline at $(git -C "$baseline" rev-parse --short HEAD)$(git -C "$baseline" diff --quiet HEAD -- src || echo ' (src modified)')"
fi
echo "# averlab: $(git -C "$root" rev-parse --short HEAD)$(git -C "$root" diff --quiet HEAD -- src || echo ' (src modified)')"
# Each side's process under /usr/bin/time: wall seconds and the RSS high-water mark (KiB).
timed() { local name="$1" r="$2"; shift 2
  /usr/bin/time -f "%e %M" -o "$work/$name$r.time" "$@" >/dev/null 2>"$work/$name$r.err" || { cat "$work/$name$r.err" >&2; exit 1; }; }
echo "# load before: $(cut -d' ' -f1-3 /proc/loadavg) (cores: $(nproc))"
for r in $(seq "$rounds"); do
  timed a "$r" dotnet "$predict" "$video" --mode video --out "$work/a$r.json"
  timed p "$r" "$py" "$root/bench/predict_peer.py" "$video" --threads "$threads" --out "$work/p$r.json"
  timed d "$r" "$py" "$root/bench/predict_peer.py" "$video" --out "$work/d$r.json"
  [ -z "$baseline" ] || timed b "$r" dotnet "$baseline/src/Predict/bin/Release/net10.0/averlab-predict.dll" "$video" --mode video --out "$work/b$r.json"
done
echo "# load after: $(cut -d' ' -f1-3 /proc/loadavg)"
grep -h '^model package' "$work/a1.err" | sed 's/^/# averlab /'

"$py" - "$work" "$rounds" "$seconds" "$threads" "$([ -n "$baseline" ] && echo 1 || echo 0)" <<'PY'
import json, sys
work, rounds, seconds, threads, with_baseline = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), sys.argv[4], sys.argv[5] == "1"
def side(s):
    runs = [tuple(map(float, open(f"{work}/{s}{r}.time").read().split()[-2:])) for r in range(1, rounds + 1)]
    best = min(range(rounds), key=lambda i: runs[i][0])
    return {"wall": runs[best][0], "rss": max(m for _, m in runs) / 1024, "walls": [w for w, _ in runs], "best": best + 1}
def agreement(x, y, name):
    tx, ty = x["timeline"], y["timeline"]
    same = sum(u["emotion"] == v["emotion"] for u, v in zip(tx, ty))
    diff = max(abs(u["probabilities"][c] - v["probabilities"][c]) for u, v in zip(tx, ty) for c in u["probabilities"])
    return f"fused timeline {len(tx)} vs {len(ty)} windows ({name}), emotion agrees in {same}, largest probability difference {diff:.4f}"
sides = {k: side(k) for k in ("a", "p", "d") + (("b",) if with_baseline else ())}
a, p = json.load(open(f"{work}/a1.json")), json.load(open(f"{work}/p1.json"))
print(f"# same work: averlab {len(a['audio_timeline'])} audio windows, {len(a['face_timeline'])} frames with a face; "
      f"peer {p['audio_windows']} windows, {p['face_frames']} frames with a face; {agreement(a, p, 'averlab vs peer')}; "
      f"overall {a['overall']['emotion']} vs {p['overall']['emotion']}; peer threads {p['threads']}, "
      f"at its defaults {json.load(open(work + '/d1.json'))['threads']}")
if with_baseline:
    b = json.load(open(f"{work}/b1.json"))
    strip = lambda r: {k: v for k, v in r.items() if k != "models"}  # the packages' paths differ between checkouts
    print(f"# baseline vs averlab: {agreement(b, a, 'baseline vs averlab')}; identical JSON but the model paths: {strip(b) == strip(a)}")
names = {"a": "averlab", "p": "pytorch", "d": "pytorch.defaults", "b": "averlab.baseline"}
print("# wall seconds per round: " + "; ".join(f"{names[k]} {' '.join(f'{w:.2f}' for w in v['walls'])}" for k, v in sides.items()))
for k in ("p", "d"):
    stages = open(f"{work}/{k}{sides[k]['best']}.err").read().strip().splitlines()
    print(f"# {names[k]}: " + (stages[-1].lstrip("# ") if stages else "no stage line"))
A = sides["a"]
def line(name, k, t):
    P = sides[k]
    return (f"{name} averlab={seconds / A['wall']:.3f} pytorch={seconds / P['wall']:.3f} unit=video_s_per_wall_s ratio={P['wall'] / A['wall']:.2f} "
            f"peak_rss_mb averlab={A['rss']:.0f} pytorch={P['rss']:.0f} wall_s averlab={A['wall']:.2f} pytorch={P['wall']:.2f} threads={t} video_s={seconds:.1f}")
print(line("predict.video_60s", "p", threads))
print(line("predict.video_60s.defaults", "d", f"{threads}/{json.load(open(work + '/d1.json'))['threads']['torch']}"))
if with_baseline:
    B = sides["b"]
    print(f"predict.video_60s.baseline averlab={seconds / A['wall']:.3f} baseline={seconds / B['wall']:.3f} unit=video_s_per_wall_s "
          f"ratio={B['wall'] / A['wall']:.2f} peak_rss_mb averlab={A['rss']:.0f} baseline={B['rss']:.0f}")
PY
