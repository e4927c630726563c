# Sourced by run-demo.sh and run-tests.sh: make .venv and install pinned requirements,
# skipping the install when nothing has changed since the last one.
# Usage: source tools/venv.sh requirements.txt
VENV="${CIRCLE_VENV:-.venv}"
PYTHON="${PYTHON:-python3}"
if [ ! -x "$VENV/bin/python" ]; then
  echo "Creating $VENV (first run)..."
  "$PYTHON" -m venv "$VENV"
fi
stamp="$VENV/.installed-$(basename "$1" .txt)"
want="$(cat "$1" requirements.txt constraints.txt | sha256sum | cut -c1-16)"
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  echo "Installing pinned packages from $1..."
  "$VENV/bin/python" -m pip install -q --disable-pip-version-check -r "$1" -c constraints.txt
  echo "$want" > "$stamp"
fi
