#!/usr/bin/env bash
# The README's test command: installs what is missing (scripts/setup.sh), builds, runs every test project in
# turn, and ends with one summary line "N passed, N failed, N skipped" read from the trx reports.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash scripts/setup.sh
dotnet build AverLab.sln -c Release -nologo -v quiet
results="$root/tests/TestResults"
rm -rf "$results"
status=0
for project in tests/*/*.csproj; do
  name="$(basename "$project" .csproj)"
  echo "== $name"
  dotnet test "$project" -c Release --no-build --nologo --logger "trx;LogFileName=$name.trx" --results-directory "$results" || status=$?
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
echo "$passed passed, $failed failed, $skipped skipped"
if [ "$passed" -eq 0 ]; then echo "test.sh: no test ran" >&2; exit 1; fi
exit $status
