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


# --- Every way in without app.py re-checks the sign-in (components/identity.py) -----------
IDENTITY = ROOT / "components" / "identity.py"
_FRAGMENTS = {"fragment", "experimental_fragment", "dialog"}  # a dialog reruns like a fragment


def _db_names(tree: ast.AST) -> set[str]:
    """Names a module binds to the data layer (`from db import x`, `from db.x import y`)."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "db":
            names.update(a.asname or a.name for a in node.names)
        elif isinstance(node, ast.Import):
            names.update(
                (a.asname or a.name).split(".")[0] for a in node.names if a.name.split(".")[0] == "db"
            )
    return names


def _is_identity(node: ast.AST, name: str) -> bool:
    """`identity.<name>(...)` (or a bare `<name>(...)` imported from components.identity)."""
    if not isinstance(node, ast.Call):
        return False
    func = node.func
    return (
        isinstance(func, ast.Attribute)
        and func.attr == name
        and isinstance(func.value, ast.Name)
        and func.value.id == "identity"
    ) or (isinstance(func, ast.Name) and func.id == name)


def _sign_in_bypasses(tree: ast.AST) -> list[tuple[int, str]]:
    found: list[tuple[int, str]] = []
    functions = {n.name: n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)}
    lambdas = {
        t.id
        for n in ast.walk(tree)
        if isinstance(n, ast.Assign) and isinstance(n.value, ast.Lambda)
        for t in n.targets
        if isinstance(t, ast.Name)
    }
    db = _db_names(tree)

    def reaches_db(body: ast.AST) -> bool:
        return any(isinstance(n, ast.Name) and n.id in db for n in ast.walk(body))

    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr in _FRAGMENTS and isinstance(node.value, ast.Name):
            if node.value.id in {"st", "streamlit"}:
                found.append((node.lineno, f"st.{node.attr}: use identity.live, which re-checks the sign-in"))
        if isinstance(node, ast.ImportFrom) and node.module == "streamlit":
            for a in node.names:
                if a.name in _FRAGMENTS:
                    found.append((node.lineno, f"streamlit.{a.name}: use identity.live"))
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        called = (
            func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
        )
        if called == "download_button":
            data = next((k.value for k in node.keywords if k.arg == "data"), None)
            if data is None and len(node.args) > 1:
                data = node.args[1]
            callable_data = (
                isinstance(data, ast.Lambda | ast.Attribute)
                or (isinstance(data, ast.Name) and (data.id in functions or data.id in lambdas))
                or (
                    isinstance(data, ast.Call)
                    and not _is_identity(data, "deferred")
                    and getattr(data.func, "attr", getattr(data.func, "id", "")) == "partial"
                )
            )
            if callable_data:
                found.append(
                    (node.lineno, "a download built when pressed: wrap its data in identity.deferred")
                )
        for kw in node.keywords:
            if kw.arg not in {"on_click", "on_change"} or _is_identity(kw.value, "callback"):
                continue
            target = kw.value
            if (
                isinstance(target, ast.Call)
                and getattr(target.func, "attr", getattr(target.func, "id", "")) == "partial"
            ):
                target = target.args[0] if target.args else target
            body = (
                target
                if isinstance(target, ast.Lambda)
                else functions.get(target.id)
                if isinstance(target, ast.Name)
                else None
            )
            if body is not None and reaches_db(body):
                found.append(
                    (
                        node.lineno,
                        f"an {kw.arg} callback reaches the data layer: wrap it in identity.callback",
                    )
                )
    return found


def test_every_live_part_download_and_callback_rechecks_the_sign_in() -> None:
    problems = [
        f"{path.relative_to(ROOT)}:{line}: {what}"
        for path in APP_SOURCES
        if path != IDENTITY
        for line, what in _sign_in_bypasses(ast.parse(path.read_text(), str(path)))
    ]
    assert problems == []


def test_the_sign_in_rule_catches_each_way_round_it() -> None:
    bad = ast.parse(
        "import functools\n"
        "import streamlit as st\n"
        "from streamlit import fragment\n"
        "from components import identity\n"
        "from db import training\n"
        "actor = None\n"
        "@st.fragment(run_every=3)\n"
        "def live():\n"
        "    pass\n"
        "@st.dialog('Sure?')\n"
        "def sure():\n"
        "    pass\n"
        "def build():\n"
        "    return training.history_csv(actor, 1)\n"
        "def remember():\n"
        "    training.save_answer(actor, 1, 0, {})\n"
        "st.download_button('a', data=lambda: training.history_csv(actor, 1))\n"
        "st.download_button('b', build)\n"
        "st.download_button('c', data=training.export_exercises)\n"
        "st.download_button('d', data=functools.partial(training.history_csv, actor, 1))\n"
        "st.button('e', on_click=remember)\n"
        "st.text_input('f', on_change=lambda: training.save_answer(actor, 1, 0, {}))\n"
        "st.button('g', on_click=functools.partial(remember))\n"
    )
    assert len(_sign_in_bypasses(bad)) == 10
    good = ast.parse(
        "import streamlit as st\n"
        "from components import identity\n"
        "from db import training\n"
        "made = b'x'\n"
        "def first_page():\n"
        "    st.session_state['page'] = 1\n"
        "def remember(who):\n"
        "    training.save_answer(who, 1, 0, {})\n"
        "@identity.live(run_every=3)\n"
        "def live(who):\n"
        "    pass\n"
        "st.download_button('a', data=identity.deferred(lambda who: training.history_csv(who, 1)))\n"
        "st.download_button('b', made)\n"
        "st.download_button('c', st.session_state['csv'])\n"
        "st.download_button('d', data=training.history_csv(None, 1))\n"
        "st.button('e', on_click=identity.callback(remember))\n"
        "st.button('f', on_click=first_page)\n"
        "st.download_button('g', made, on_click='ignore')\n"
    )
    assert _sign_in_bypasses(good) == []
