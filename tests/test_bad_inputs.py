"""Bad input, everywhere: the corpus in tests/bad_inputs.py pushed through every text field
on every page each demo role can reach, with AppTest.

Each submission must end one of two ways: refused with a message, the typed text still in
its field; or stored, and then shown only as text (no markdown body anywhere on the page
holds it unescaped, so no link, tag or directive in it ever works). No page may raise.
The same corpus is checked through the data layer (stored exactly, or refused), spreadsheet
exports neutralise formulas, and numbers and dates out of range are refused.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
from collections.abc import Iterator
from datetime import date, time, timedelta
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from components.identity import TEST_TOKEN_KEY
from components.navigation import SCREENS, pages_for
from db import accounts, credentials, exports, sessions
from db.engine import dispose_engines, make_engine
from db.errors import NotValid
from db.migrate import upgrade
from db.seed.demo import DEMO_PASSWORD, DEMO_SIGNINS
from tests import permission_grid as grid
from tests.bad_inputs import CORPUS, RAW_IN_MARKDOWN, SWAPPED_IN_MARKDOWN

ROOT = Path(__file__).resolve().parent.parent
SHORT = [text for name, text in CORPUS if name not in ("very long",)]
# Three submissions per field keep the run short: everything hostile at once, the very long
# text, and control characters on their own (so a refusal for one can't hide the others).
COMPOSITE = " ".join(t for n, t in CORPUS if n not in ("very long", "control characters", "line separator"))
PAYLOADS = (COMPOSITE, dict(CORPUS)["very long"], dict(CORPUS)["control characters"])


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "circle.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    engine.dispose()
    before = os.environ.get("DATABASE_URL")
    os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    try:
        from db.seed.demo import load_demo

        load_demo()
    finally:
        dispose_engines()
        if before is None:
            os.environ.pop("DATABASE_URL", None)
        else:
            os.environ["DATABASE_URL"] = before
    return path


@pytest.fixture
def demo_db(demo_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    path = tmp_path / "circle.db"
    shutil.copy(demo_file, path)
    dispose_engines()
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{path}")
    yield str(path)
    dispose_engines()


def _markdown_bodies(at: AppTest) -> list[str]:
    found = []
    for kind in (
        "markdown",
        "caption",
        "info",
        "success",
        "warning",
        "error",
        "title",
        "header",
        "subheader",
        "toast",
    ):
        found += [str(e.value) for e in at.get(kind)]  # type: ignore[union-attr]  # Streamlit's AppTest types a found node as Element | Block; the test found a widget
    found += [str(getattr(e, "label", "")) for e in at.get("expander")]
    found += [str(getattr(e, "label", "")) for e in at.get("tab")]
    # Widget labels read markdown too (a name in "Open this worry: …" or "Deactivate …").
    for kind in ("button", "checkbox", "toggle", "radio"):
        found += [str(getattr(e, "label", "")) for e in at.get(kind)]
    for radio in at.get("radio"):
        found += [str(o) for o in getattr(radio, "options", [])]
    return found


def _fields(at: AppTest) -> list[tuple[str, str, int]]:
    """(kind, label, index among fields of that kind and label) of every text field shown."""
    found = []
    for kind in ("text_input", "text_area"):
        seen: dict[str, int] = {}
        for widget in at.get(kind):
            if getattr(widget, "type", "default") == "password":
                continue  # never shown back; pushing text there only changes someone's password
            label = widget.label  # type: ignore[union-attr]  # Streamlit's AppTest types a found node as Element | Block; the test found a widget
            found.append((kind, label, seen.get(label, 0)))
            seen[label] = seen.get(label, 0) + 1
    return found


def _find(at: AppTest, kind: str, label: str, index: int):
    matches = [w for w in at.get(kind) if w.label == label]  # type: ignore[union-attr]  # Streamlit's AppTest types a found node as Element | Block; the test found a widget
    return matches[index] if index < len(matches) else None


def _submit(at: AppTest, widget) -> None:
    form = getattr(widget, "form_id", "")
    if form:
        for button in at.get("button"):
            if getattr(button, "form_id", "") == form:
                button.click()  # type: ignore[union-attr]  # Streamlit's AppTest types a found node as Element | Block; the test found a widget
                break
    at.run()


def _open(who: str, script: str) -> AppTest:
    """A fresh sign-in each time: a form can end the person's own sessions (deactivating or
    renaming someone may be them), and the next field deserves a clean page."""
    token = accounts.sign_in(who, DEMO_PASSWORD).token
    assert token, who
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.session_state[TEST_TOKEN_KEY] = token
    at.run()
    if script != SCREENS["home"].script:
        at.switch_page(script).run()
    return at


@pytest.mark.parametrize("who", [d.username for d in DEMO_SIGNINS if d.username != "leo"])
def test_every_text_field_on_every_page_keeps_hostile_text_inert(demo_db: str, who: str) -> None:
    role = next(d.role for d in DEMO_SIGNINS if d.username == who)
    if role == "trainee":
        # A trainee joins with a code and has no password; sign them in as the join does.
        from db.engine import session_scope
        from db.models import Person

        with session_scope(write=True) as s:
            person = next(p for p in s.query(Person).all() if p.username == who)
            person.password_hash = credentials.hash_password(DEMO_PASSWORD)
    problems: list[str] = []
    pushed = 0
    for page in pages_for(role):
        script = SCREENS[page].script
        at = _open(who, script)
        assert not at.exception, (page, at.exception)
        for kind, label, index in _fields(at):
            for payload in PAYLOADS:
                at = _open(who, script)
                widget = _find(at, kind, label, index)
                if widget is None or widget.disabled:
                    continue
                # The browser stops typing at max_chars, so that is what a person could type.
                typed = payload[: widget.max_chars] if widget.max_chars else payload
                widget.input(typed)
                _submit(at, widget)
                pushed += 1
                where = f"{who} · {page} · {label!r} · {payload[:30]!r}"
                if at.exception:
                    problems.append(f"{where}: raised {at.exception[0].value[:200]}")
                    continue
                for body in _markdown_bodies(at):
                    if RAW_IN_MARKDOWN.search(body):
                        problems.append(f"{where}: shown as markdown: {body[:120]!r}")
                    if SWAPPED_IN_MARKDOWN.search(body):
                        problems.append(f"{where}: -- or -> would show as a dash or an arrow: {body[:120]!r}")
                if at.error:
                    still = _find(at, kind, label, index)
                    if still is not None and still.value != typed:
                        problems.append(f"{where}: refused, but the typed text was not kept")
    assert problems == []
    assert pushed > 0 or role == "trainee"


# --- Through the data layer: stored exactly, or refused ------------------------------------------
@pytest.fixture
def world(db: str) -> grid.World:
    return grid.build_world()


@pytest.mark.parametrize(("name", "text"), CORPUS, ids=[n for n, _ in CORPUS])
def test_free_text_is_stored_exactly_or_refused(world: grid.World, name: str, text: str) -> None:
    team = world.teams["own"]
    sam = team.supervisor.actor()
    try:
        item = sessions.bring(sam, team.session, case_id=None, ask=text)
    except NotValid as problem:
        assert problem.problems["ask"]  # a message for the field
        assert name in ("very long", "control characters")
        return
    stored = next(i for i in sessions.agenda(sam, team.session).items if i.id == item)
    assert stored.ask == text.strip()


def test_exports_neutralise_formula_prefixes() -> None:
    for prefix in ("=", "+", "-", "@", "\t", "\r"):
        assert exports.safe_cell(prefix + "1+1").startswith("'")
    data = exports.to_csv(["a"], [[t] for _, t in CORPUS]).decode("utf-8-sig")
    cells = [row[0] for row in csv.reader(io.StringIO(data))][1:]
    assert all(not c.startswith(("=", "+", "-", "@")) for c in cells)
    assert "'=HYPERLINK" in data and "'+cmd" in data


def test_numbers_and_dates_out_of_range_are_refused(world: grid.World) -> None:
    team = world.teams["own"]
    sam = team.supervisor.actor()
    for score in (-1, 11, 10**9, True):
        with pytest.raises(NotValid):
            sessions.record_arrival(sam, team.session, person_id=sam.person_id, score=score)
    for day in (date(1900, 1, 1), date(9999, 12, 31), grid.TODAY - timedelta(days=30)):
        with pytest.raises(NotValid):
            sessions.plan(sam, team.id, day=day, start=time(10), duration_minutes=90)
    for minutes in (0, 29, 181, 10**6):
        with pytest.raises(NotValid):
            sessions.plan(
                sam, team.id, day=grid.TODAY + timedelta(days=40), start=time(10), duration_minutes=minutes
            )
    with pytest.raises(NotValid):
        sessions.add_action(
            sam, team.session, description="Ring school", owner_id=sam.person_id, due_on=date(1066, 10, 14)
        )


def test_board_weeks_refuse_a_fraction_with_the_whole_number_message(world: grid.World) -> None:
    from db import case_board

    team = world.teams["own"]
    sam = team.supervisor.actor()
    settings = case_board.board_settings(sam, team.id)
    for typed, said in (
        ("10.5", "Weeks before a gentle nudge takes a whole number from 1 to 26, and “10.5” isn't one"),
        (10.5, "Weeks before a gentle nudge takes a whole number from 1 to 26, and “10.5” isn't one"),
        ("ten", "and “ten” isn't one"),
        ("27", "Weeks before a gentle nudge goes from 1 to 26; 27 is outside that."),
        ("", "Please fill in Weeks before a gentle nudge with a whole number from 1 to 26."),
    ):
        with pytest.raises(NotValid) as refused:
            case_board.save_board_settings(
                sam,
                team.id,
                labels={},
                not_discussed_weeks=typed,  # type: ignore[arg-type]  # a deliberately wrong input: the data layer must refuse it, which is what the test checks
                version=settings.version,
            )
        assert said in refused.value.problems["not_discussed_weeks"]
        assert "{label}" in refused.value.templates["not_discussed_weeks"]
    assert case_board.board_settings(sam, team.id).not_discussed_weeks == settings.not_discussed_weeks
    case_board.save_board_settings(
        sam, team.id, labels={}, not_discussed_weeks=" 10 ", version=settings.version
    )
    assert case_board.board_settings(sam, team.id).not_discussed_weeks == 10
