set -e
for f in 0.89 0.94 1.06 1.12; do
  root=/tmp/ravaug_$f
  for a in $(cd "$(dirname "$0")/../../.." && pwd)/data/ravdess12/Actor_*; do
    A=$(basename $a); mkdir -p $root/$A
    for w in $a/*; do
      b=$(basename $w); b=${b%.*}.wav
      [ -f $root/$A/$b ] && continue
      sr=$(ffprobe -v error -select_streams a:0 -show_entries stream=sample_rate -of csv=p=0 $w)
      ffmpeg -v error -y -i $w -af "asetrate=$(echo "$sr*$f" | bc),aresample=$sr,atempo=$(echo "scale=6;1/$f" | bc)" -ar $sr $root/$A/$b
    done
  done
  echo done $f
done
