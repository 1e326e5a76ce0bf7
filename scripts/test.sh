#!/usr/bin/env bash
# The README's test command: installs what is missing (scripts/setup.sh), builds, runs every test project in
# turn, and ends with one summary line "N passed, N failed, N skipped" read from the trx reports.
#
#   bash scripts/test.sh          # every test (what CI runs)
#   bash scripts/test.sh --fast   # the fast tier: tests without a Category trait (Slow, Fuzz, Cluster, Browser and
#                                 # Notebook are left out; README "Two commands")
set -euo pipefail
filter=()
for arg in "$@"; do
  case "$arg" in
    --fast) filter=(--filter "Category!=Slow&Category!=Fuzz&Category!=Cluster&Category!=Browser&Category!=Notebook") ;;
    -h|--help) sed -n '2,7p' "$0"; exit 0 ;;
    *) echo "test.sh: unknown option '$arg' (try --help)" >&2; exit 2 ;;
  esac
done
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash scripts/setup.sh
dotnet build AverLab.sln -c Release -nologo -v quiet
results="$root/tests/TestResults"
rm -rf "$results"
status=0
test_seconds=0
for project in tests/*/*.csproj; do
  name="$(basename "$project" .csproj)"
  echo "== $name"
  start=$SECONDS
  dotnet test "$project" -c Release --no-build --nologo "${filter[@]}" --logger "trx;LogFileName=$name.trx" --results-directory "$results" || status=$?
  echo "== $name: $((SECONDS - start)) s"
  test_seconds=$((test_seconds + SECONDS - start))
done
passed=0; failed=0; skipped=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters"); f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  # A skipped xunit test is not in notExecuted (that stays 0): it is the gap between total and executed.
  t=$(sed -n 's/.* total="\([0-9]*\)".*/\1/p' <<<"$counters"); x=$(sed -n 's/.* executed="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0})); skipped=$((skipped + ${t:-0} - ${x:-0}))
done
echo "test time: $test_seconds s (the projects' durations summed)"
echo "$passed passed, $failed failed, $skipped skipped"
if [ "$passed" -eq 0 ]; then echo "test.sh: no test ran" >&2; exit 1; fi
exit $status
