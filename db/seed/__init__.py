"""Fictional data sets, kept apart from the domain code.

- `db.seed.demo`: the demo workspace a newcomer explores (`python -m db demo`).
- `db.seed.county`: a county-scale data set for the benchmarks (`python -m db seed-county`).

The words (people, families, session notes, worries, training answers) live in
`content/*.json`; the modules here only put them into the database, deterministically.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

CONTENT = Path(__file__).resolve().parent / "content"  # found beside this file, wherever Circle runs


def read_content(name: str) -> Any:
    """The parsed contents of `content/<name>.json`."""
    with (CONTENT / f"{name}.json").open(encoding="utf-8") as f:
        return json.load(f)
