"""Shared pieces for the browser tests: Debian's Chromium, one real server with the demo
team, and waiting for Streamlit to finish drawing."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from deploy.serving import NotHealthy, demo_server
from deploy.serving import free_port as _free_port  # noqa: F401 - tests import it from here

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts" / "browser"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
IN_CI = os.environ.get("CI", "").lower() == "true"
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-quic",
    "--no-first-run",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def chromium_path() -> str:
    if not Path(CHROMIUM).exists():
        if IN_CI:
            pytest.fail(
                "CI=true needs Debian's chromium package for the browser tests (run-tests.sh installs it)."
            )
        pytest.skip("Browser tests skipped: Debian's chromium is not installed (apt-get install chromium).")
    return CHROMIUM


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory, chromium_path: str) -> Iterator[str]:
    """A real Circle server on a free port, on its own SQLite file with the demo team."""
    started = time.perf_counter()
    with own_server(tmp_path_factory.mktemp("browser")) as base:
        print(f"\ncold start to healthy: {time.perf_counter() - started:.2f} s")
        yield base


def wait_for_app(page) -> None:
    page.wait_for_selector("h1", timeout=30000)
    page.wait_for_function(
        """() => !document.querySelector('[data-testid="stStatusWidget"]')""", timeout=30000
    )
    page.wait_for_timeout(1500)  # let tables and fonts settle before a screenshot


def sign_in(page, base: str, username: str) -> None:
    from db.seed.demo import DEMO_PASSWORD

    page.goto(base + "/signin")
    page.fill("#username", username)
    page.fill("#password", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(base + "/")
    wait_for_app(page)


# ---------------------------------------------------------------- what every journey checks

# Every axe-core rule for WCAG 2.0, 2.1 and 2.2 A and AA, and axe's best practices (heading
# order, landmarks, empty table headers...): all impact levels, the whole page (Streamlit's
# own parts included), no exclusions.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
WCAG_TAGS = AXE_TAGS  # the name earlier tests imported
# Kept so older callers still import them; the audit always covers the whole page now.
APP_CONTENT = {"include": [["html"]]}
PAGE_CONTENT = {"include": [["html"]]}
# Every audit this test process ran: (screen, url, violations by rule). A test that walks
# screens writes its share out as figures (tests/test_accessibility_browser.py).
AUDITED: list[dict] = []

# Circle's own checks beside axe: links that share an accessible name but lead to different
# places (a screen reader's list of links would offer two the same), and buttons that share
# one (tests/test_distinct_names.py covers buttons through AppTest as well).
_SAME_NAMES = """() => {
  const name = (el) => {
    if (el.getAttribute('aria-label')) return el.getAttribute('aria-label').trim();
    const copy = el.cloneNode(true);  // the accessible name leaves out what is aria-hidden (icons)
    copy.querySelectorAll('[aria-hidden=true]').forEach((n) => n.remove());
    return copy.textContent.trim().replace(/\\s+/g, ' ');
  };
  const seen = new Map(); const found = [];
  for (const a of document.querySelectorAll('a[href]')) {
    if (!a.offsetParent && getComputedStyle(a).position !== 'fixed') continue;
    const n = name(a); if (!n) continue;
    const href = new URL(a.getAttribute('href'), location.href).href;
    if (seen.has(n) && seen.get(n) !== href) found.push({html: `"${n}": ${seen.get(n)} and ${href}`, name: n});
    seen.set(n, href);
  }
  return found;
}"""


def audit(page, screen: str, context: dict | None = None, *, fail: bool = True) -> list[dict]:
    """Run axe-core on the whole page as it is now and fail on any violation, of any impact
    (`fail=False`: only record it, for a walk that reports every screen's at the end).
    Each result is kept in test-artifacts/browser/axe/<screen>.json. `context` is accepted
    for older callers and ignored: Streamlit's own markup on the page is Circle's too."""
    from axe_playwright_python.base import AXE_SCRIPT

    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_SCRIPT)
    options = {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]}
    result = page.evaluate("([context, options]) => axe.run(context, options)", ["html", options])
    found = [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "nodes": [{"target": n["target"], "html": n["html"][:300]} for n in v["nodes"]],
        }
        for v in result["violations"]
    ]
    same = page.evaluate(_SAME_NAMES)
    if same:
        found.append(
            {
                "id": "circle-distinct-link-names",
                "impact": "moderate",
                "help": "Links to different places have different names",
                "nodes": [{"target": [], "html": s["html"]} for s in same],
            }
        )
    folder = ARTIFACTS / "axe"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{screen}.json").write_text(json.dumps({"url": page.url, "violations": found}, indent=2))
    AUDITED.append(
        {"screen": screen, "url": page.url, "violations": {v["id"]: len(v["nodes"]) for v in found}}
    )
    problems = [f"{v['id']} ({v['impact']}): {n['html']}" for v in found for n in v["nodes"]]
    assert not (fail and problems), f"accessibility on {screen}:\n" + "\n".join(problems)
    return found


AUDIT_SUMMARY = ROOT / "test-artifacts" / "accessibility-audit.json"
AUDIT_COMMITTED = ROOT / "docs" / "accessibility-audit.json"


def _state_kind(state: str) -> str:
    if "refused" in state:
        return "form refused, with its messages"
    if "expanders-open" in state:
        return "expanders open"
    if state.startswith("tab-"):
        return "another tab"
    return state.replace("-", " ")


def write_figures(part: str, states: list[dict], audits: list[dict]) -> dict:
    """Add one test's audit figures (`part`: walk, keyboard, phone) to
    test-artifacts/accessibility-audit.json and, with CIRCLE_WRITE_AUDIT=1, to the committed
    docs/accessibility-audit.json the statement at /accessibility reads. Totals are summed
    over the parts. Returns the whole summary."""
    import subprocess
    from collections import Counter

    from axe_playwright_python.base import AXE_SCRIPT

    from db.clock import utcnow

    by_rule: Counter[str] = Counter()
    for record in audits:
        by_rule.update(record["violations"])
    figures = {
        "roles": sorted({s["role"] for s in states}),
        "screens": sorted({s["screen"] for s in states}),
        "states": len(states),
        "audits": len(audits),
        "violations_total": sum(by_rule.values()),
        "violations_by_rule": dict(by_rule),
        "state_kinds": dict(Counter(_state_kind(s["state"]) for s in states)),
    }
    chromium = subprocess.run([CHROMIUM, "--version"], capture_output=True, text=True).stdout.strip()
    axe = AXE_SCRIPT.split("axe v", 1)[1].split()[0] if "axe v" in AXE_SCRIPT else "unknown"
    targets = [AUDIT_SUMMARY] + ([AUDIT_COMMITTED] if os.environ.get("CIRCLE_WRITE_AUDIT") == "1" else [])
    summary: dict = {}
    for target in targets:
        try:
            summary = json.loads(target.read_text())
        except (OSError, ValueError):
            summary = {}
        parts = {**summary.get("parts", {}), part: figures}
        rules: Counter[str] = Counter()
        for p in parts.values():
            rules.update(p["violations_by_rule"])
        summary = {
            "when": utcnow().strftime("%Y-%m-%d"),
            "tool": f"axe-core {axe} in {chromium}",
            "rules": AXE_TAGS,
            "roles": sorted({r for p in parts.values() for r in p["roles"]}),
            "screens": sorted({sc for p in parts.values() for sc in p["screens"]}),
            "states": sum(p["states"] for p in parts.values()),
            "audits": sum(p["audits"] for p in parts.values()),
            "violations_total": sum(rules.values()),
            "violations_by_rule": dict(rules),
            "parts": parts,
        }
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(summary, indent=2) + "\n")
    return summary


def check_headers(headers: dict[str, str], where: str) -> None:
    csp = headers.get("content-security-policy", "")
    assert "frame-ancestors 'none'" in csp, f"{where}: {csp!r}"
    assert headers.get("x-content-type-options") == "nosniff", where
    assert headers.get("referrer-policy") == "no-referrer", where


@contextlib.contextmanager
def own_server(folder: Path, *, extra_env: dict[str, str] | None = None) -> Iterator[str]:
    """A real Circle server with the demo team on its own SQLite file in `folder`, for a test
    that changes what the shared `server` fixture's other tests rely on."""
    with contextlib.ExitStack() as stack:
        try:
            running = stack.enter_context(demo_server(folder, extra_env=extra_env))
        except NotHealthy as exc:
            pytest.fail(str(exc))
        yield running.base
