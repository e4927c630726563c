"""House rules checked on every run: ruff is clean, no HTML sink ever takes a variable, every
way in re-checks the sign-in, and every "today" and "now" comes from db/clock.py."""

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


def _fixed_strings(tree: ast.AST) -> set[str]:
    """Module-level constants (NAMES_IN_CAPITALS) bound exactly once, to a string written in
    the source, and never bound again anywhere in the module (as a variable, argument, import
    or loop target)."""
    once = [
        node.targets[0].id
        for node in getattr(tree, "body", [])
        if isinstance(node, ast.Assign)
        and len(node.targets) == 1
        and isinstance(node.targets[0], ast.Name)
        and isinstance(node.value, ast.Constant)
        and isinstance(node.value.value, str)
        and node.targets[0].id.lstrip("_").isupper()
    ]
    bound: dict[str, int] = {}
    for node in ast.walk(tree):
        names = []
        if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
            names = [node.id]
        elif isinstance(node, ast.arg):
            names = [node.arg]
        elif isinstance(node, ast.alias):
            names = [node.asname or node.name.split(".")[0]]
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names = [node.name]
        elif isinstance(node, ast.Global | ast.Nonlocal):
            names = list(node.names)
        for name in names:
            bound[name] = bound.get(name, 0) + 1
    return {name for name in once if bound.get(name) == 1}


def _html_sinks(tree: ast.AST) -> list[tuple[int, str]]:
    found = []
    fixed = _fixed_strings(tree)
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
            literal = isinstance(first, ast.Constant) and isinstance(first.value, str)
            if not (literal or (isinstance(first, ast.Name) and first.id in fixed)):
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
        "STYLE = '<style></style>'\nst.html(STYLE)\n"
        "def draw(text):\n    st.html(text)\n"
        "AGAIN = '<b>fixed</b>'\nfor AGAIN in ['<i>', 'user']:\n    st.html(AGAIN)\n"
        "MADE = '<b>' + 'x'\nst.html(MADE)\n"
    )
    assert sorted(line for line, _ in _html_sinks(tree)) == [3, 4, 8, 11, 13]
    fixed_once = ast.parse("import streamlit as st\nSTYLE = '<style></style>'\nst.html(STYLE)\n")
    assert _html_sinks(fixed_once) == []


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


# --- One clock: every "today" and "now" comes from db/clock.py ----------------------------
CLOCK = ROOT / "db" / "clock.py"
# All of the running code (tests may keep their own fixed dates).
RUNNING_CODE = [
    ROOT / "app.py",
    ROOT / "serve.py",
    *(
        path
        for folder in ("pages", "components", "db", "server", "benchmarks", "tools", "deploy")
        for path in sorted((ROOT / folder).rglob("*.py"))
    ),
]
# What asks the machine for the current date or time: a class's or module's functions, and
# for the `time` module's converters, only when called with no time given.
_MACHINE_CLOCK = {
    "datetime": {"today", "now", "utcnow"},
    "date": {"today"},
    "Timestamp": {"today", "now", "utcnow"},
    "time": {"time", "time_ns", "localtime", "gmtime", "ctime", "asctime", "strftime"},
}
_CLASSES = {"datetime": ("datetime", "date"), "pandas": ("Timestamp",)}


def _asks_machine(kind: str, name: str, call: ast.Call) -> bool:
    if name not in _MACHINE_CLOCK.get(kind, ()):
        return False
    if kind == "time" and name in {"localtime", "gmtime", "ctime", "asctime"}:
        return not call.args  # converting a given time is fine
    if kind == "time" and name == "strftime":
        return len(call.args) < 2
    return True


def _machine_clock_calls(tree: ast.AST) -> list[int]:
    """Lines asking the machine for the date or time of day (`date.today()`, `datetime.now()`
    with or without a zone, `time.time()`, ...), however datetime or time was imported.
    Durations (`time.monotonic`, `time.perf_counter`) are not dates and stay allowed."""
    kinds: dict[str, str] = {}  # a local (dotted) name -> "datetime", "date", "Timestamp" or "time"
    bare: dict[str, str] = {}  # `from time import time as seconds`: seconds -> time
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for a in node.names:
                local = a.asname or a.name
                if a.name == "time":
                    kinds[local] = "time"
                for cls in _CLASSES.get(a.name, ()):
                    kinds[f"{local}.{cls}"] = cls
        elif isinstance(node, ast.ImportFrom):
            for a in node.names:
                if node.module == "time":
                    bare[a.asname or a.name] = a.name
                elif a.name in _CLASSES.get(node.module or "", ()):
                    kinds[a.asname or a.name] = a.name

    def dotted(node: ast.AST) -> str:
        if isinstance(node, ast.Name):
            return node.id
        if isinstance(node, ast.Attribute):
            return f"{dotted(node.value)}.{node.attr}"
        return ""

    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Name) and func.id in bare and _asks_machine("time", bare[func.id], node):
            found.append(node.lineno)
        elif isinstance(func, ast.Attribute) and _asks_machine(
            kinds.get(dotted(func.value), ""), func.attr, node
        ):
            found.append(node.lineno)
    return found


def test_every_today_and_now_comes_from_the_clock() -> None:
    sites: dict[str, int] = {}
    for path in RUNNING_CODE:
        if path == CLOCK:
            continue
        lines = _machine_clock_calls(ast.parse(path.read_text(), str(path)))
        if lines:
            sites[str(path.relative_to(ROOT))] = len(lines)
    assert sites == {}, f"use db.clock (today, now, utcnow) instead of the machine's clock: {sites}"


def test_the_clock_rule_catches_each_way_of_asking_the_machine() -> None:
    bad = ast.parse(
        "import datetime\n"
        "import datetime as dtm\n"
        "import time\n"
        "import pandas as pd\n"
        "from datetime import UTC, date, datetime as dt\n"
        "from time import time as seconds\n"
        "date.today()\n"
        "dt.now()\n"
        "dt.now(UTC)\n"
        "dt.utcnow()\n"
        "dt.today()\n"
        "datetime.date.today()\n"
        "dtm.datetime.now(UTC)\n"
        "time.time()\n"
        "time.localtime()\n"
        "time.strftime('%Y')\n"
        "seconds()\n"
        "from time import gmtime\n"
        "gmtime()\n"
        "pd.Timestamp.now()\n"
    )
    assert len(_machine_clock_calls(bad)) == 13
    good = ast.parse(
        "import time\n"
        "from datetime import UTC, date, datetime\n"
        "from datetime import time as wall\n"
        "from time import gmtime, monotonic\n"
        "from db import clock\n"
        "from db.clock import now, today, utcnow\n"
        "clock.today(); clock.now(); clock.utcnow(); today(); now(); utcnow()\n"
        "date(2026, 1, 1); datetime(2026, 1, 1, tzinfo=UTC); datetime.fromtimestamp(0, UTC)\n"
        "time.monotonic(); time.perf_counter(); time.strftime('%Y', time.gmtime(0))\n"
        "clock.now().time(); datetime.combine(date(2026, 1, 1), datetime.min.time())\n"
        "wall(10, 0); monotonic(); gmtime(0)\n"
    )
    assert _machine_clock_calls(good) == []


# A save shows its outcome: a refusal beside what was typed (forms.show_problems), or a
# stale-copy conflict (EditConflict, forms.show_conflict). docs/architecture.md: the component
# that draws a form saves it, so none of these belongs in a page.
SAVING_SIGNS = ("EditConflict", "show_problems", "show_conflict")


def _saving_signs(source: str) -> list[str]:
    names = {n.id for n in ast.walk(ast.parse(source)) if isinstance(n, ast.Name)}
    names |= {n.attr for n in ast.walk(ast.parse(source)) if isinstance(n, ast.Attribute)}
    return sorted(names & set(SAVING_SIGNS))


def test_pages_leave_saving_to_the_components_that_draw_the_forms() -> None:
    found = {
        str(path.relative_to(ROOT)): signs
        for path in sorted((ROOT / "pages").glob("*.py"))
        if (signs := _saving_signs(path.read_text()))
    }
    assert found == {}, f"move these saves into a component (docs/architecture.md): {found}"


def test_the_saving_rule_catches_a_page_that_saves() -> None:
    page = "try:\n    save()\nexcept EditConflict as c:\n    forms.show_conflict(c)\n"
    assert _saving_signs(page) == ["EditConflict", "show_conflict"]
    assert _saving_signs("st.text('EditConflict is only a word here')\n") == []
