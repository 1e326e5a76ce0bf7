#!/usr/bin/env bash
# Vision benchmark, frames per second (higher is better): 4 fps frame reading alone, and 4 fps frame reading + face
# detection + largest face → 64x64 gray crop, on a generated 6 s 1280x720 H.264 video of a face (skimage's
# astronaut, slowly zooming). Both sides decode the same file with Debian's FFmpeg 5.1 libraries: AverLab through
# native/vision (read as VideoCapture reads), Python through Debian's python3-opencv 4.6's VideoCapture.
#   bench/compare-vision.sh            # ROUNDS=3 rounds, sides alternating (each warms up first), best kept
#   bench/compare-vision.sh clip.mp4   # any video of yours
# Lines: `<name> averlab=<frames/s> python_cv2=<frames/s> unit=frames_per_s ratio=<averlab/python_cv2>`
#   media.frames_read        frame reading alone: AverLab's VideoFrameReader.ReadAtFps (RGB frames, the ones between
#                            samples grabbed, not converted); Python: cv2.VideoCapture grab()/retrieve() + BGR2RGB
#   media.frames_faces       Haar cascade at full resolution; AverLab: VideoFrameReader + OpenCV via OpenCvSharp4;
#                            Python: the seeds' cv2.VideoCapture + cv2.CascadeClassifier (bench/vision_cv2.py)
#   media.frames_faces_640   the same on frames scaled to 640 wide (INTER_AREA, both sides) before detection
#   media.frames_faces_hog   dlib HOG (no upsampling; native/vision): AverLab only (Debian ships no Python dlib)
# Needs: bash scripts/setup.sh --bench (python3-opencv for the Python side; without it AverLab alone is printed).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rounds="${ROUNDS:-3}"
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
video="${1:-}"
if [ -z "$video" ]; then
  astronaut=/usr/lib/python3/dist-packages/skimage/data/astronaut.png
  [ -f "$astronaut" ] || { echo "compare-vision: $astronaut missing: sudo bash scripts/setup.sh" >&2; exit 1; }
  video="$tmp/face.mp4"
  ffmpeg -v error -nostdin -y -loop 1 -framerate 25 -t 6 -i "$astronaut" \
    -vf "pad=ih*16/9:ih:(ow-iw)/2:0,zoompan=z='1+0.0012*on':x='iw/2-(iw/zoom/2)':y='ih/2-(ih/zoom/2)':d=1:s=1280x720:fps=25" \
    -c:v libx264 -pix_fmt yuv420p "$video"
fi
dotnet build "$root/bench/AverLab.Bench.Vision" -c Release -nologo -v quiet >/dev/null
has_cv2=1
/usr/bin/python3 -c "import cv2" 2>/dev/null || { has_cv2=0; echo "compare-vision: no python3-opencv (bash scripts/setup.sh --bench): AverLab only" >&2; }
# Alternate the sides round by round so a burst of load from another process does not decide the ratio.
: >"$tmp/python"
for r in $(seq "$rounds"); do
  dotnet "$root/bench/AverLab.Bench.Vision/bin/Release/net10.0/AverLab.Bench.Vision.dll" "$video" --rounds 1 >>"$tmp/averlab"
  [ "$has_cv2" = 1 ] && /usr/bin/python3 "$root/bench/vision_cv2.py" "$video" --rounds 1 >>"$tmp/python"
done
# Best (highest) frames/s per workload and side.
awk '
  FNR==NR { split($2, kv, "="); v=kv[2]+0; if (!($1 in av) || v > av[$1]) { av[$1]=v; a[$1]=$0 }
            if (!($1 in seen)) { seen[$1]=1; order[++n]=$1 }; next }
  { split($2, kv, "="); v=kv[2]+0; if (!($1 in pv) || v > pv[$1]) pv[$1]=v }
  END { for (i=1;i<=n;i++) { k=order[i]; line=a[k]
          if (k in pv) { sub(/ unit=/, sprintf(" python_cv2=%.2f unit=", pv[k]), line); line=line sprintf(" ratio=%.2f", av[k]/pv[k]) }
          print line } }
' "$tmp/averlab" "$tmp/python"
