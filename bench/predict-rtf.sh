#!/usr/bin/env bash
# Inference speed as a user feels it: `averlab-predict <60 s video> --mode video` with the shipped packages
# (models/ravdess-speech on the audio track, models/fer2013-face on the faces, no --model: the installed packages),
# whole process, beside its Python peer bench/predict_peer.py (PyTorch 1.13 + OpenCV + numpy/scipy, Debian's
# /usr/bin/python3) doing the same work. Real-time factor = video seconds / wall seconds (higher is faster); peak memory
# = the process's RSS high-water mark (/usr/bin/time's "Maximum resident set size").
#   bash bench/predict-rtf.sh            ROUNDS=3 rounds, the two sides back to back in each; each side's best wall time
#   RTF_VIDEO=my.mp4 bash bench/predict-rtf.sh   time another video instead of the generated one
# The video (unless RTF_VIDEO): the synthetic corpus of `averlab-train synth --actors 4` (seed 42: 32 clips of 96x96,
# 10 fps, 16 kHz), concatenated in name order, scaled to 480x480 and padded to 640x480, 30 fps, 48 kHz stereo AAC, cut to
# 60 s: a webcam-like file (H.264 + AAC) built in a temporary folder, deleted afterwards.
# Prints `predict.video_60s averlab=<rtf> pytorch=<rtf> unit=video_s_per_wall_s ratio=<averlab/pytorch> peak_rss_mb
# averlab=<MB> pytorch=<MB> ...` (ratio > 1: AverLab is faster), each side's BLAS and threads, the load average before and
# after, how far the two results agree, and the peer's stage seconds of its best round. Needs: bash scripts/setup.sh --bench
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

echo "# load before: $(cut -d' ' -f1-3 /proc/loadavg) (cores: $(nproc))"
for r in $(seq "$rounds"); do
  /usr/bin/time -f "%e %M" -o "$work/a$r.time" dotnet "$predict" "$video" --mode video --out "$work/a$r.json" 2>"$work/a$r.err" >/dev/null \
    || { cat "$work/a$r.err" >&2; exit 1; }
  /usr/bin/time -f "%e %M" -o "$work/p$r.time" "$py" "$root/bench/predict_peer.py" "$video" --threads "$threads" --out "$work/p$r.json" 2>"$work/p$r.err" \
    || { cat "$work/p$r.err" >&2; exit 1; }
done
echo "# load after: $(cut -d' ' -f1-3 /proc/loadavg)"
grep -h '^model package' "$work/a1.err" | sed 's/^/# averlab /'

"$py" - "$work" "$rounds" "$seconds" "$threads" <<'PY'
import json, sys
work, rounds, seconds, threads = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), sys.argv[4]
def side(s):
    runs = [tuple(map(float, open(f"{work}/{s}{r}.time").read().split()[-2:])) for r in range(1, rounds + 1)]
    best = min(range(rounds), key=lambda i: runs[i][0])
    return runs[best][0], max(m for _, m in runs) / 1024, [w for w, _ in runs], best + 1
(aw, arss, awalls, _), (pw, prss, pwalls, pbest) = side("a"), side("p")
a, p = json.load(open(f"{work}/a1.json")), json.load(open(f"{work}/p1.json"))
# The same work, checked: the fused timelines window by window.
ta, tp = a["timeline"], p["timeline"]
same = sum(x["emotion"] == y["emotion"] for x, y in zip(ta, tp))
diff = max(abs(x["probabilities"][c] - y["probabilities"][c]) for x, y in zip(ta, tp) for c in x["probabilities"])
print(f"# same work: averlab {len(a['audio_timeline'])} audio windows, {len(a['face_timeline'])} frames with a face; "
      f"peer {p['audio_windows']} windows, {p['face_frames']} frames with a face; fused timeline {len(ta)} vs {len(tp)} windows, "
      f"emotion agrees in {same}, largest probability difference {diff:.4f}; overall {a['overall']['emotion']} vs {p['overall']['emotion']}")
print(f"# wall seconds per round: averlab {' '.join(f'{w:.2f}' for w in awalls)}; pytorch {' '.join(f'{w:.2f}' for w in pwalls)}")
stages = open(f"{work}/p{pbest}.err").read().strip().splitlines()
print(stages[-1] if stages else "# peer stages: none printed")
print(f"predict.video_60s averlab={seconds / aw:.3f} pytorch={seconds / pw:.3f} unit=video_s_per_wall_s ratio={pw / aw:.2f} "
      f"peak_rss_mb averlab={arss:.0f} pytorch={prss:.0f} wall_s averlab={aw:.2f} pytorch={pw:.2f} threads={threads} video_s={seconds:.1f}")
PY
