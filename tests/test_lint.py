"""House rules checked on every run: ruff is clean, and no HTML sink ever takes a variable."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APP_SOURCES = [
    ROOT / "app.py",
    *sorted((ROOT / "pages").glob("*.py")),
    *sorted((ROOT / "components").glob("*.py")),
]


def test_ruff_is_clean() -> None:
    ruff = shutil.which("ruff", path=str(Path(sys.executable).parent)) or "ruff"
    result = subprocess.run([ruff, "check", str(ROOT)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def _html_sinks(tree: ast.AST) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        for kw in node.keywords:
            if kw.arg == "unsafe_allow_html" and not (
                isinstance(kw.value, ast.Constant) and kw.value.value is False
            ):
                found.append((node.lineno, "unsafe_allow_html"))
        func = node.func
        if isinstance(func, ast.Attribute) and func.attr == "html":
            first = node.args[0] if node.args else None
            if not (isinstance(first, ast.Constant) and isinstance(first.value, str)):
                found.append((node.lineno, "st.html with a value that is not a fixed string"))
    return found


def test_no_user_text_reaches_html() -> None:
    problems = [
        f"{path.relative_to(ROOT)}:{line}: {what}"
        for path in APP_SOURCES
        for line, what in _html_sinks(ast.parse(path.read_text(), str(path)))
    ]
    assert problems == []


def test_the_html_rule_catches_a_variable() -> None:
    tree = ast.parse(
        "import streamlit as st\nname = 'x'\nst.html(name)\nst.markdown(name, unsafe_allow_html=True)\n"
    )
    assert len(_html_sinks(tree)) == 2
