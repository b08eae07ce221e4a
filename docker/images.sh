#!/usr/bin/env bash
# Builds the images smokestack's samples and tests use, offline-capable and idempotent:
#   debian:bookworm-slim  pulled when a registry answers, else debootstrap + `docker import`
#   smokestack/postgres:15, smokestack/redis:7, localmovies:incident, localmovies:fixed,
#   smokestack/nginx:1.22, bookshelf:dev
# Existing images are skipped; --rebuild forces every build. Needs a Docker engine
# (docker/engine.sh starts one on Debian).
set -euo pipefail
cd "$(dirname "$0")"

rebuild=0
for arg in "$@"; do
  case "$arg" in
    --rebuild) rebuild=1 ;;
    -h|--help) echo "usage: npm run images [-- --rebuild]"; exit 0 ;;
    *) echo "images: unknown option '$arg' (expected --rebuild)" >&2; exit 2 ;;
  esac
done

step() { printf '[images %3ss] %s\n' "$SECONDS" "$*"; }
have() { [ "$rebuild" = 0 ] && docker image inspect "$1" >/dev/null 2>&1; }

if ! timeout 10 docker info >/dev/null 2>&1; then
  echo "images: no Docker engine answers. Fix: run 'npm run engine' (Debian, as root) or start Docker." >&2
  exit 3
fi

base=debian:bookworm-slim
if docker image inspect "$base" >/dev/null 2>&1; then
  step "$base present"
elif timeout 60 docker pull -q "$base" >/dev/null 2>&1; then
  step "$base pulled"
else
  step "$base cannot be pulled: building it with debootstrap (one time, ~2 min)"
  if ! command -v debootstrap >/dev/null 2>&1; then
    [ "$(id -u)" = 0 ] || { echo "images: debootstrap is missing; install it (apt-get install debootstrap) as root" >&2; exit 3; }
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null
  fi
  mirror=$(awk '/^URIs:/{print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
  mirror=${mirror:-http://deb.debian.org/debian}
  root=$(mktemp -d /tmp/smokestack-rootfs.XXXXXX)
  trap 'rm -rf "$root"' EXIT
  debootstrap --variant=minbase bookworm "$root" "$mirror" >/tmp/smokestack-debootstrap.log 2>&1 ||
    { echo "images: debootstrap failed; see /tmp/smokestack-debootstrap.log" >&2; exit 3; }
  rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/*
  tar -C "$root" -c . | docker import -c 'CMD ["bash"]' - "$base" >/dev/null
  rm -rf "$root"; trap - EXIT
  step "$base imported"
fi

build() { # build TAG DIR [--target T] [--build-arg ...]
  local tag=$1 dir=$2; shift 2
  if have "$tag"; then step "$tag present (skip; --rebuild forces)"; return; fi
  step "building $tag from docker/$dir"
  local t0=$SECONDS logf="/tmp/smokestack-build-${tag//[:\/]/_}.log"
  if ! docker build -t "$tag" "$@" "$dir" >"$logf" 2>&1; then
    tail -n 30 "$logf" >&2
    echo "images: building $tag failed; full log: $logf" >&2
    exit 3
  fi
  step "$tag built in $((SECONDS - t0))s"
}

build smokestack/postgres:15 postgres
build smokestack/redis:7 redis
build localmovies:incident localmovies --target incident
build localmovies:fixed localmovies --target fixed
build smokestack/nginx:1.22 nginx
build bookshelf:dev bookshelf
step "done"
