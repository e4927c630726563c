"""The relational-language lens shows its gentle hint under the risk log's and the case
mapping's free text, and never changes what was typed."""

from __future__ import annotations

from tests.conftest import app_for
from tests.test_risk_pages import team  # noqa: F401 - the fixture


def _hints(at) -> str:
    return " ".join(x.value for x in [*at.markdown, *at.caption, *at.info])


def test_the_risk_form_offers_a_kinder_word(team: dict) -> None:  # noqa: F811
    at = app_for(team["pat"].token).switch_page("pages/risk_log.py").run()
    at.button(key="risk_log_new").click().run()
    at.switch_page("pages/risk_entry.py").run()
    worry = next(t for t in at.text_area if t.key and t.key.endswith("_worry"))
    typed = "Dad cancelled contact again and A absconded overnight."
    worry.input(typed)
    submit = next(
        b for b in at.button if b.key and b.key.startswith("FormSubmitter:") and "Hold this" in b.key
    )
    submit.click().run()
    assert not at.exception
    shown = _hints(at)
    assert "family time" in shown.lower()
    assert next(t for t in at.text_area if t.key and t.key.endswith("_worry")).value == typed
