"""Issue 22: text people type is shown exactly as typed, with no typographic substitution.

Streamlit's frontend swaps `--` between spaces for a long dash, `->` for an arrow, `>=` for
a maths sign and so on, in every markdown body (titles, captions, alerts, table cells),
after escapes are read, so escaping alone didn't stop it: a reference or notes with `--`
showed a long dash. components.text.plain() now keeps each such sequence as typed. Checked
against the list in Streamlit's own bundle and in Chromium (Debian's) on a small page.
PDFs and CSVs never went through markdown; they are checked here too.
"""

from __future__ import annotations

import csv
import io
import os
import re
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
import streamlit

from components.text import SWAPPED, WORD_JOINER, plain
from db import exports
from tests.browser import LAUNCH_ARGS, ROOT, _free_port

ONE_LINE = "Ref AB-12 -- \"quoted\" and 'single' ... it's -> <- <-> >= <= ~= a--b x->y --"
TYPED = ONE_LINE + "\n-- at the start of a line, and at the end ->"
BUNDLE = next((Path(streamlit.__file__).parent / "static" / "static" / "js").glob("StreamlitMarkdown*.js"))
# Streamlit's frontend plugin: [/(^|\s)<->(\s|$)/g,`$1↔$2`], ... (its list, read from its bundle).
_PLUGIN = re.compile(r"\[/\(\^\|\\s\)(.+?)\(\\s\|\$\)/g,`\$1(.+?)\$2`\]")
_JS_SPACE = r"[\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]"


def _streamlit_swaps() -> list[tuple[str, str]]:
    found = _PLUGIN.findall(BUNDLE.read_text(encoding="utf-8"))
    assert found, "Streamlit's typographic swaps were not found in its bundle: look again"
    return [(re.sub(r"\\(.)", r"\1", token), symbol) for token, symbol in found]


def _as_streamlit_shows(markdown: str) -> str:
    """The text nodes of a markdown body after Streamlit's frontend has had its way: escapes
    read (a backslash before punctuation), then each swap applied as its plugin does."""
    text = re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", markdown).replace("  \n", "\n")
    for token, symbol in _streamlit_swaps():
        text = re.sub(rf"(^|{_JS_SPACE}){re.escape(token)}({_JS_SPACE}|$)", rf"\g<1>{symbol}\g<2>", text)
    return text


def test_plain_covers_every_swap_streamlit_makes() -> None:
    assert {token for token, _ in _streamlit_swaps()} == set(SWAPPED)


@pytest.mark.parametrize(
    "typed",
    [TYPED, "--", "->", "a -- -- b", "<->", "x <= y >= z ~= w", "-- ---- --- -->", "\u00a0--\u00a0"],
)
def test_plain_text_reaches_the_screen_as_typed(typed: str) -> None:
    shown = _as_streamlit_shows(plain(typed)).replace(WORD_JOINER, "")
    assert shown == typed.replace("\r", " ")


def test_plain_leaves_text_without_a_swap_alone() -> None:
    assert WORD_JOINER not in plain('a--b x->y it\'s ... "quoted" AB-12 <b> 3>=2')


def test_pdf_and_csv_keep_the_text_as_typed() -> None:
    from pypdf import PdfReader

    doc = exports.Document("A record")
    doc.para(TYPED)
    doc.para(TYPED, bold=True)
    read = PdfReader(io.BytesIO(doc.bytes())).pages[0].extract_text()
    assert read.count(TYPED) == 2
    data = exports.to_csv(["Notes"], [[TYPED]]).decode("utf-8-sig")
    assert [row[0] for row in csv.reader(io.StringIO(data))][1] == TYPED


SHOW = """
import sys
sys.path.insert(0, {root!r})
import streamlit as st
from components.text import plain, table
typed = {typed!r}
st.title(plain({one_line!r}))
st.markdown(plain(typed))
st.caption(plain(typed))
st.error(plain(typed))
table([{{"What was said": typed}}])
"""


@pytest.mark.browser
def test_typed_text_in_chromium_shows_no_long_dash_or_arrow(tmp_path: Path, chromium_path: str) -> None:
    from playwright.sync_api import sync_playwright

    script = tmp_path / "show.py"
    script.write_text(SHOW.format(root=str(ROOT), typed=TYPED, one_line=ONE_LINE))
    port = _free_port()
    env = {**os.environ, "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(script), "--server.headless", "true"]
        + ["--server.port", str(port), "--server.address", "127.0.0.1"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(240):
            try:
                with urllib.request.urlopen(base + "/_stcore/health", timeout=2):
                    break
            except OSError:
                time.sleep(0.25)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium_path, args=LAUNCH_ARGS)
            page = browser.new_page()
            page.goto(base)
            page.wait_for_selector('[data-testid="stTable"] td', timeout=30000)
            shown = {
                "title": page.locator("h1").first.inner_text(),
                "markdown": page.locator('[data-testid="stMarkdownContainer"]').nth(1).inner_text(),
                "caption": page.locator('[data-testid="stCaptionContainer"]').first.inner_text(),
                "alert": page.locator('[data-testid="stAlert"]').first.inner_text(),
                "table": page.locator('[data-testid="stTable"] td').first.inner_text(),
            }
            browser.close()
    finally:
        proc.terminate()
        proc.wait(timeout=20)
    for where, text in shown.items():
        text = text.replace(WORD_JOINER, "").strip()
        assert not set(text) & set("—→←↔≥≤≈"), (where, text)
        assert text == (ONE_LINE if where == "title" else TYPED), (where, text)
