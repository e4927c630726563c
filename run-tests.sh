#!/usr/bin/env bash
# Set up what the tests need (first run only) and run the whole suite.
# Extra arguments go to pytest, e.g. ./run-tests.sh -k accounts
set -euo pipefail
cd "$(dirname "$0")"
source tools/venv.sh requirements-test.txt
# The browser tests drive Debian's Chromium (never a browser downloaded by a test tool), and
# the replica test puts Debian's nginx in front of two servers.
missing=""
command -v chromium >/dev/null 2>&1 || missing="$missing chromium"
[ -x /usr/sbin/nginx ] || command -v nginx >/dev/null 2>&1 || missing="$missing nginx"
if [ -n "$missing" ]; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing Debian packages for the browser tests:$missing"
    (apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q $missing) >/dev/null
    # Nothing already running on this machine is stopped or killed: the replica tests start
    # their own nginx on free ports, with its own pid file, and stop only that one.
  else
    echo "Not installed:$missing (Debian: sudo apt-get install$missing); the tests that need them will be skipped."
  fi
fi
exec "$VENV/bin/python" -m pytest "$@"
