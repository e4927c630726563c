#!/usr/bin/env bash
# Set up what the tests need (first run only) and run the whole suite.
# Extra arguments go to pytest, e.g. ./run-tests.sh -k accounts
set -euo pipefail
cd "$(dirname "$0")"
source tools/venv.sh requirements-test.txt
# The browser test drives Debian's Chromium; never a browser downloaded by a test tool.
if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing Debian's chromium package for the browser test..."
    (apt-get update -q && apt-get install -y -q chromium) >/dev/null
  else
    echo "Chromium is not installed (Debian: sudo apt-get install chromium); the browser test will be skipped."
  fi
fi
exec "$VENV/bin/python" -m pytest "$@"
