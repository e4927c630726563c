"""The type checker is clean, and every `# type: ignore` left in the code says which error and why.

mypy is configured in pyproject.toml ([tool.mypy]: which files, how strict, which libraries
have no types). `.venv/bin/python -m mypy` from the repository's root runs the same check.
"""

from __future__ import annotations

import io
import re
import subprocess
import sys
import tokenize
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CONFIG = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["mypy"]

# `# type: ignore[code, code]  # why it is needed`: the codes, then the reason as its own comment.
_IGNORE = re.compile(r"#\s*type:\s*ignore\b")
_EXPLAINED = re.compile(r"#\s*type:\s*ignore\[[a-z][a-z-]*(?:,\s*[a-z][a-z-]*)*\]\s+#\s*\S.{4,}")


def _checked_files() -> list[Path]:
    files: list[Path] = []
    for entry in CONFIG["files"]:
        path = ROOT / entry
        files.extend(sorted(path.rglob("*.py")) if path.is_dir() else [path])
    return files


def _unexplained_ignores(source: str) -> list[tuple[int, str]]:
    """Comments (never string contents) holding a `type: ignore` without a code and a reason."""
    found = []
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type == tokenize.COMMENT and _IGNORE.search(token.string):
            if not _EXPLAINED.search(token.string):
                found.append((token.start[0], token.string))
    return found


@pytest.mark.types
def test_mypy_reports_no_errors() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--config-file", str(ROOT / "pyproject.toml")],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_type_ignore_names_its_error_and_says_why() -> None:
    problems = [
        f"{path.relative_to(ROOT)}:{line}: {comment}"
        for path in _checked_files()
        for line, comment in _unexplained_ignores(path.read_text())
    ]
    assert problems == []


def test_the_ignore_rule_catches_a_bare_or_unexplained_ignore() -> None:
    source = (
        "a = f()  # type: ignore\n"
        "b = f()  # type: ignore[arg-type]\n"
        "c = f()  # type: ignore[arg-type]  # the library types this as str; it takes bytes too\n"
        "d = '# type: ignore'\n"
    )
    assert [line for line, _ in _unexplained_ignores(source)] == [1, 2]
