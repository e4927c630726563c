"""The data layer returns figures, never screens or charts: nothing under db/ imports
Streamlit, Altair or the chart renderer (drawing lives in components/)."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PRESENTATION = {"streamlit", "altair", "vl_convert"}


def _imports(tree: ast.AST) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module.split(".")[0])
    return found


def test_the_data_layer_imports_no_presentation() -> None:
    offenders = {
        str(path.relative_to(ROOT)): sorted(_imports(ast.parse(path.read_text())) & PRESENTATION)
        for path in (ROOT / "db").rglob("*.py")
    }
    assert {p: names for p, names in offenders.items() if names} == {}


def test_the_rule_catches_each_form_of_import() -> None:
    tree = ast.parse("import altair as alt\nfrom streamlit import session_state\nimport vl_convert\n")
    assert _imports(tree) == PRESENTATION
