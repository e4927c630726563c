#!/usr/bin/env bash
# Set up Circle (first run only) and start it with the fictional demo team on SQLite.
# Open http://localhost:8501 and sign in with one of the demo accounts printed below.
set -euo pipefail
cd "$(dirname "$0")"
source tools/venv.sh requirements.txt
export CIRCLE_DEMO="${CIRCLE_DEMO:-1}"
if [ "$CIRCLE_DEMO" = "1" ]; then
  "$VENV/bin/python" -m db demo
fi
exec "$VENV/bin/python" -m streamlit run serve.py --server.port "${PORT:-8501}" "$@"
