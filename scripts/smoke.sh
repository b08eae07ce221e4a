#!/usr/bin/env bash
# `npm run smoke [-- --image X ...]`: the pre-deploy smoke test on a fresh clone after `npm ci`.
# Brings up a container engine if needed, builds the sample images that are missing, then runs
# scenarios/smoke.yaml against localmovies:fixed (or --image X) and exits with the verdict.
set -euo pipefail
cd "$(dirname "$0")/.."
export TESTCONTAINERS_RYUK_DISABLED="${TESTCONTAINERS_RYUK_DISABLED:-true}"
export TESTCONTAINERS_HOST_OVERRIDE="${TESTCONTAINERS_HOST_OVERRIDE:-127.0.0.1}"
if [ -z "${SMOKESTACK_POSTGRES_IMAGE:-}" ] && ! docker image inspect postgres:16-alpine >/dev/null 2>&1; then
  export SMOKESTACK_POSTGRES_IMAGE=smokestack/postgres:15
fi
bash docker/engine.sh
bash docker/images.sh
[ -f dist/cli/main.js ] || npm run build
exec node bin/smokestack.js run scenarios/smoke.yaml "$@"
