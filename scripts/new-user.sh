#!/usr/bin/env bash
# Tries the project as a new user would: clones the committed repo into a temp folder and runs the
# README's quick-start commands exactly as written, then checks the exit code and the report files.
# Called by .ci/run after the test suite (images are already built, so this is the warm path).
set -euo pipefail
src="$(cd "$(dirname "$0")/.." && pwd)"
dir=$(mktemp -d /tmp/smokestack-new-user.XXXXXX)
trap 'rm -rf "$dir"' EXIT
git clone -q "$src" "$dir/smokestack"
cd "$dir/smokestack"

# The README's first set-up command, word for word.
cmd=$(grep -o 'npm ci && npm run smoke' README.md | head -n 1)
[ -n "$cmd" ] || { echo "new-user: README no longer gives 'npm ci && npm run smoke'" >&2; exit 1; }
start=$SECONDS
set +e
bash -c "$cmd"
code=$?
set -e
echo "new-user: '$cmd' exited $code in $((SECONDS - start))s"
[ "$code" = 0 ] || exit 1
for f in index.html result.json junit.xml summary.md; do
  [ -s "reports/latest/$f" ] || { echo "new-user: reports/latest/$f is missing" >&2; exit 1; }
done
grep -q '"status": "passed"' reports/latest/result.json || { echo "new-user: result.json is not passed" >&2; exit 1; }
echo "new-user: ok (reports/latest has index.html, result.json, junit.xml, summary.md)"

# `npx smokestack` as the README writes it must run this clone's own command, never download the
# unrelated npm package of that name (stdin closed: a download prompt would fail, not hang).
out=$(npx smokestack validate scenarios/smoke.yaml </dev/null 2>&1) || { echo "new-user: npx smokestack failed: $out" >&2; exit 1; }
case "$out" in
  "ok  scenarios/smoke.yaml"*) echo "new-user: npx smokestack runs the local command" ;;
  *) echo "new-user: npx smokestack printed something unexpected: $out" >&2; exit 1 ;;
esac

# From the second sample's own docker-compose.yml, as the README's quick start writes it: init a
# starter scenario, run it, a passing first verdict with no edits. Timed from the clone.
init=$(grep -o 'npx smokestack init --compose docker/bookshelf/docker-compose.yml --out [^ ]*' README.md | head -n 1)
run=$(grep -o 'npx smokestack run scenarios/my-bookshelf.yaml' README.md | head -n 1)
[ -n "$init" ] && [ -n "$run" ] || { echo "new-user: README no longer gives the init --compose quick start" >&2; exit 1; }
t_init=$SECONDS
bash -c "$init </dev/null" || { echo "new-user: '$init' failed" >&2; exit 1; }
set +e
bash -c "$run --no-progress </dev/null"
code=$?
set -e
[ "$code" = 0 ] || { echo "new-user: '$run' exited $code" >&2; exit 1; }
echo "new-user: bookshelf from its compose file: init + run passed in $((SECONDS - t_init))s; clone to this verdict ${SECONDS}s (clone, npm ci and the smoke run included)"
