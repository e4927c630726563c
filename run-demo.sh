#!/usr/bin/env bash
# Set up Circle (first run only) and start it with the fictional demo team on SQLite.
# Open http://127.0.0.1:8501 and sign in with one of the demo accounts printed below.
set -euo pipefail
cd "$(dirname "$0")"
source tools/venv.sh requirements.txt
export CIRCLE_DEMO="${CIRCLE_DEMO:-1}"
if [ "$CIRCLE_DEMO" = "1" ]; then
  "$VENV/bin/python" -m db demo
fi
# Only this machine can reach the demo unless ADDRESS says otherwise (ADDRESS=0.0.0.0 for all).
exec "$VENV/bin/python" -m streamlit run serve.py --server.address "${ADDRESS:-127.0.0.1}" \
  --server.port "${PORT:-8501}" "$@"
