"""Phone first for practitioners, in Debian's Chromium at 320 and 390 px wide: Home, the
participant's session room, a worry and a case page have no horizontal scrolling, every
target (link, button, field, tab, radio, checkbox, chooser) is at least 24×24 px, and all
text is at least 16 px; with the phone asking for reduced motion nothing animates or
transitions for longer than a millisecond. Each screen is audited with axe-core (any violation fails) and a
screenshot kept in test-artifacts/browser/phone-<width>-<screen>.png.
"""

from __future__ import annotations

import json
import re

import pytest

from tests.browser import ARTIFACTS, AUDITED, LAUNCH_ARGS, audit, sign_in, wait_for_app, write_figures

pytestmark = pytest.mark.browser

WIDTHS = (320, 390)
# What a practitioner opens on a phone. The worry and the case are reached from links.
SCREENS = ("home", "session_room", "risk_entry", "case")

MEASURE = """() => {
  const main = document.querySelector('[data-testid="stAppViewContainer"]') || document.body;
  const shown = (el) => {
    const r = el.getBoundingClientRect();
    const s = getComputedStyle(el);
    return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.display !== 'none';
  };
  const small = [];
  const targets = main.querySelectorAll(
    'a[href], button, input:not([type=hidden]), textarea, select, summary, [role=tab], [role=switch], ' +
    '[role=combobox], [role=spinbutton]');
  for (const el of targets) {
    if (!shown(el) || el.closest('[aria-hidden=true]')) continue;
    // A visually hidden input (a slider's) is reached through what holds it: the slider's thumb.
    const wrapper = el.parentElement;
    const clipped = wrapper && getComputedStyle(wrapper).clipPath === 'inset(50%)';
    // Off screen (the folded sidebar), or a skip link shown only when it has focus.
    const at = el.getBoundingClientRect();
    if (at.right <= 0 || (at.width <= 1 && at.height <= 1)) continue;
    // A hidden radio or checkbox input: its label is the target people touch.
    let box = el.getBoundingClientRect();
    if (clipped && wrapper.parentElement) {
      box = wrapper.parentElement.getBoundingClientRect();
    } else if ((el.type === 'radio' || el.type === 'checkbox') && el.closest('label')) {
      box = el.closest('label').getBoundingClientRect();
    } else if (el.closest('[data-baseweb="select"]')) {
      box = el.closest('[data-baseweb="select"]').getBoundingClientRect();
    }
    // A link inside a sentence is exempt (WCAG 2.5.8's inline exception).
    const inline = el.tagName === 'A' && getComputedStyle(el).display === 'inline'
      && el.parentElement && el.parentElement.innerText.trim() !== el.innerText.trim();
    if (inline) continue;
    if (box.width < 24 || box.height < 24) small.push(`${Math.round(box.width)}×${Math.round(box.height)} ${el.outerHTML.slice(0, 140)}`);
  }
  const tiny = [];
  const walker = document.createTreeWalker(main, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    if (!node.textContent.trim()) continue;
    const el = node.parentElement;
    if (!el || !shown(el) || el.closest('[aria-hidden=true], [data-testid="stIconMaterial"], svg, style, script')) continue;
    const size = parseFloat(getComputedStyle(el).fontSize);
    if (size < 16) tiny.push(`${size}px "${node.textContent.trim().slice(0, 40)}" in ${el.tagName.toLowerCase()}`);
  }
  return {
    scroll: document.documentElement.scrollWidth, width: window.innerWidth,
    title: parseFloat(getComputedStyle(document.querySelector('h1')).fontSize),
    wide: [...main.querySelectorAll('*')].filter((el) => shown(el) && el.getBoundingClientRect().right > window.innerWidth + 1
      && !el.closest('[data-testid="stSidebar"]')).slice(0, 5).map((el) => el.outerHTML.slice(0, 140)),
    small: small.slice(0, 20), tiny: [...new Set(tiny)].slice(0, 20),
  };
}"""


MOVING = """() => [...document.querySelectorAll('[data-testid="stAppViewContainer"] *')].filter((el) => {
  const s = getComputedStyle(el);
  const ms = (t) => parseFloat(t) * (t.trim().endsWith('ms') ? 1 : 1000);
  const longest = (list) => Math.max(...list.split(',').map(ms));
  return longest(s.transitionDuration) > 1 || (s.animationName !== 'none' && longest(s.animationDuration) > 1);
}).slice(0, 5).map((el) => el.outerHTML.slice(0, 120))"""


def _open(page, base: str, screen: str) -> None:
    if screen == "case":
        page.goto(base + "/case_board")
        wait_for_app(page)
        href = page.locator('a[href*="case?"]').first.get_attribute("href") or ""
        page.goto(href if href.startswith("http") else base + "/" + href.lstrip("/"))
    elif screen == "risk_entry":
        page.goto(base + "/")
        wait_for_app(page)
        page.get_by_role("button", name=re.compile(r"^Open this worry")).first.click()
        page.wait_for_url(re.compile(r"/risk_entry"))
    else:
        page.goto(base + ("/" if screen == "home" else f"/{screen}"))
    wait_for_app(page)


@pytest.mark.parametrize("width", WIDTHS)
def test_a_practitioners_screens_fit_a_phone(server: str, chromium_path: str, width: int) -> None:
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    problems: dict[str, dict] = {}
    states: list[dict] = []
    first = len(AUDITED)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path, args=LAUNCH_ARGS)
        context = browser.new_context(
            viewport={"width": width, "height": 800},
            device_scale_factor=2,
            is_mobile=True,
            has_touch=True,
            reduced_motion="reduce",
        )
        page = context.new_page()
        sign_in(page, server, "priya")
        for screen in SCREENS:
            _open(page, server, screen)
            violations = audit(page, f"phone-{width}-{screen}", fail=False)
            # Streamlit scrolls inside its own box: a tall window shows the whole screen at once.
            tall = page.evaluate("() => document.querySelector('[data-testid=stMain]').scrollHeight")
            page.set_viewport_size({"width": width, "height": min(int(tall) + 100, 6000)})
            page.screenshot(path=ARTIFACTS / f"phone-{width}-{screen}.png")
            page.set_viewport_size({"width": width, "height": 800})
            states.append({"role": "practitioner", "screen": screen, "state": f"phone {width} px"})
            found = page.evaluate(MEASURE)
            # The phone asks for less motion: nothing on the screen animates or transitions.
            found["moving"] = page.evaluate(MOVING)
            found["axe"] = [f"{v['id']}: {n['html'][:200]}" for v in violations for n in v["nodes"]]
            # The screen's title stays a title (text is raised to 16 px, headings never lowered).
            if (
                found["title"] < 24
                or found["scroll"] > found["width"]
                or found["small"]
                or found["tiny"]
                or found["axe"]
                or found["moving"]
            ):
                problems[screen] = found
        browser.close()
    write_figures(f"phone-{width}", states, AUDITED[first:])
    (ARTIFACTS / f"phone-{width}.json").write_text(json.dumps(problems, indent=2))
    assert not problems, json.dumps(problems, indent=2)
