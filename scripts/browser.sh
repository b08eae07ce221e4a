#!/usr/bin/env bash
# Installs the headless browser the report tests use (Debian's chromium, driven by playwright-core).
# Idempotent: does nothing when /usr/bin/chromium is already there. Exit 3 when it cannot install,
# with the command to run by hand (the same code smokestack uses for infrastructure problems).
set -euo pipefail

CHROMIUM=/usr/bin/chromium

if [ -x "$CHROMIUM" ]; then
  echo "browser: $("$CHROMIUM" --version 2>/dev/null || echo chromium) already installed at $CHROMIUM"
  exit 0
fi

if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1 && [ -r /etc/debian_version ]; then
  echo "browser: installing chromium with apt-get (no recommends)"
  export DEBIAN_FRONTEND=noninteractive
  # fonts-liberation gives the report metric-compatible sans/mono fonts in screenshots.
  if { apt-get install -y --no-install-recommends chromium fonts-liberation ||
    { apt-get update && apt-get install -y --no-install-recommends chromium fonts-liberation; }; } &&
    [ -x "$CHROMIUM" ]; then
    echo "browser: installed $("$CHROMIUM" --version 2>/dev/null || echo chromium)"
    exit 0
  fi
  echo "browser: apt-get could not install chromium" >&2
  echo "  fix: check the apt sources, then run: apt-get update && apt-get install -y --no-install-recommends chromium" >&2
  exit 3
fi

echo "browser: $CHROMIUM is missing and this script can only install it as root on Debian/Ubuntu" >&2
echo "  fix: sudo apt-get install -y --no-install-recommends chromium fonts-liberation" >&2
echo "       (or install Chromium another way and link it to $CHROMIUM)" >&2
exit 3
