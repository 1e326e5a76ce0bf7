#!/usr/bin/env bash
# The notebooks (notebooks/*.ipynb, Polyglot Notebooks in C#) and the NuGet packages they load.
#   bash scripts/notebooks.sh pack [--tools]   # pack AverLab's libraries into the local feed artifacts/nuget (what each
#                                              # notebook's first cell names, as an absolute path: #i "nuget: <checkout>/artifacts/nuget"); --tools
#                                              # also packs averlab-train and averlab-predict as .NET tools
#   bash scripts/notebooks.sh run [--data <root>] [notebook...]
#                                              # pack, then execute all (or the named) notebooks cell by cell on the
#                                              # Polyglot kernel and store each cell's outputs as Polyglot saves them;
#                                              # --data sets AVERLAB_DATA: the notebooks use the real corpora under
#                                              # <root> (ravdess-speech-*, fer2013) instead of the synthetic corpus
#   bash scripts/notebooks.sh check [--data <root>] [notebook...]   # the same, leaving the files as they are
#   bash scripts/notebooks.sh clear            # remove stored outputs and execution counts
# Data and runs go to notebooks/.work (or $AVERLAB_NOTEBOOK_DIR). The first failing cell stops its notebook and is
# named (notebook, cell index, error); the exit status is then 1.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
usage() { echo "usage: $0 pack [--tools] | run|check [--data <root>] [notebook...] | clear" >&2; exit 2; }
mode="${1:-run}"; [ $# -gt 0 ] && shift
feed="$root/artifacts/nuget"
version="$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' Directory.Build.props | head -1)"

pack() {
  local tools=false
  [ "${1:-}" = "--tools" ] && tools=true
  mkdir -p "$feed"
  # The same version is packed again after every change: NuGet would keep serving the copy it extracted before, so
  # that copy goes first (only AverLab's own packages of this version).
  local cache="${NUGET_PACKAGES:-$HOME/.nuget/packages}"
  for dir in "$cache"/averlab.* "$cache"/averlab-train "$cache"/averlab-predict; do
    [ -d "$dir/$version" ] && rm -rf "${dir:?}/$version"
  done
  rm -f "$feed"/AverLab.*."$version".nupkg "$feed"/averlab-*"$version".nupkg
  # Projects the props leave unpackable (web app, benches, tests) each print a warning: not news.
  dotnet pack AverLab.sln -c Release -nologo -v quiet -p:PackageOutputPath="$feed" 2>&1 | { grep -v "packaging has been disabled" || true; }
  if [ "$tools" = true ]; then
    for project in src/Train/Train.csproj src/Predict/Predict.csproj; do
      dotnet pack "$project" -c Release -nologo -v quiet -p:PackageOutputPath="$feed" -p:AverLabPackTools=true
    done
  fi
  echo "packed $(ls "$feed"/*."$version".nupkg | wc -l) packages ($version) into $feed"
  # Polyglot's #i takes absolute paths only (dotnet/interactive#3110): each notebook's first line is pointed at this
  # checkout's feed, so a fresh clone's notebooks run after one pack.
  local nb
  for nb in notebooks/*.ipynb; do
    if ! grep -qF "#i \\\"nuget: $feed\\\"" "$nb"; then
      sed -i "s|#i \\\\\"nuget: [^\\\\]*\\\\\"|#i \\\\\"nuget: $feed\\\\\"|" "$nb"
      echo "$nb: #i now names $feed"
    fi
  done
}

case "$mode" in
  pack) pack "$@" ;;
  clear)
    dotnet build src/NotebookRunner -c Release -nologo -v quiet
    dotnet src/NotebookRunner/bin/Release/net10.0/averlab-notebooks.dll clear notebooks/*.ipynb ;;
  run|refresh|check)
    [ "$mode" = refresh ] && mode=run
    notebooks=()
    while [ $# -gt 0 ]; do
      case "$1" in
        --data) [ $# -ge 2 ] || usage; [ -d "$2" ] || { echo "notebooks.sh: --data $2: no such folder" >&2; exit 2; }
                export AVERLAB_DATA="$(cd "$2" && pwd)"; shift 2 ;;
        -*) usage ;;
        *) notebooks+=("$1"); shift ;;
      esac
    done
    [ ${#notebooks[@]} -gt 0 ] || notebooks=(notebooks/*.ipynb)
    pack
    dotnet build src/NotebookRunner -c Release -nologo -v quiet
    dotnet src/NotebookRunner/bin/Release/net10.0/averlab-notebooks.dll "$mode" "${notebooks[@]}" ;;
  *) usage ;;
esac
