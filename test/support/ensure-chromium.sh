#!/bin/sh
# Runs before `npm test`: the browser tests drive Chromium at $CHROMIUM_PATH (default Debian's
# /usr/bin/chromium, see browser.ts). When it is missing, install it if we can (root with apt-get,
# as on a fresh CI box); otherwise stop before the build with the one command that fixes it,
# rather than letting every browser test fail a minute later.
set -eu

path="${CHROMIUM_PATH:-/usr/bin/chromium}"
[ -x "$path" ] && exit 0

fail() {
  echo "npm test: the browser tests need Chromium at $path, and it is not there." >&2
  echo "$1" >&2
  exit 1
}

if ! command -v apt-get >/dev/null 2>&1; then
  fail "Install Chromium, then run the tests with CHROMIUM_PATH=/path/to/chromium npm test"
fi
if [ "$(id -u)" != 0 ]; then
  fail "Install it with:  sudo sh -c 'apt-get update && apt-get install -y chromium'"
fi

echo "npm test: installing Chromium for the browser tests (apt-get install chromium)" >&2
apt-get update
DEBIAN_FRONTEND=noninteractive apt-get install -y chromium
[ -x "$path" ] || fail "Debian's chromium is now at /usr/bin/chromium, but CHROMIUM_PATH points elsewhere: unset it or fix it."
