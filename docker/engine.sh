#!/usr/bin/env bash
# Makes sure a Docker engine answers. Idempotent: does nothing when `docker info` works.
# On Debian as root it installs docker.io from apt and starts dockerd in the background;
# anywhere else it says how to get an engine and exits 3 (the contract's infrastructure code).
set -euo pipefail

log() { printf 'engine: %s\n' "$*" >&2; }
answers() { timeout 10 docker info >/dev/null 2>&1; }

if command -v docker >/dev/null 2>&1 && answers; then
  exit 0
fi

if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  log "no Docker engine answers, and this is not Debian as root, so none can be installed here."
  log "fix: install Docker (https://docs.docker.com/engine/install/) or start Docker Desktop, then retry."
  exit 3
fi

if ! command -v dockerd >/dev/null 2>&1; then
  log "installing docker.io from apt (once)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq docker.io >/dev/null
fi

if ! pgrep -x dockerd >/dev/null 2>&1; then
  log "starting dockerd in the background (log: /var/log/dockerd.log)"
  # setsid: the daemon must outlive this script and the shell that called it.
  setsid nohup dockerd >/var/log/dockerd.log 2>&1 < /dev/null &
fi

for _ in $(seq 1 60); do
  if answers; then log "engine ready"; exit 0; fi
  sleep 1
done
log "dockerd did not answer within 60 s; see /var/log/dockerd.log"
exit 3
