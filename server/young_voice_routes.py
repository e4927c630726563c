"""The young person's check-in page: one plain, phone-first page with no account.

GET /voice/<token> shows the four questions (in the wording the practitioner chose) with
the practitioner's first name; POST answers them, once, with a double-submit token, and
thanks them, saying who will see it. A used, expired, withdrawn or unknown link gets the
same kind page, which reveals nothing (no case, no name, no way into Circle). Requests are
counted per client address in the database (`db.young_voice`), so several servers agree.

The page has no links, scripts or images: its faces are small inline drawings beside words
(never colour alone), each question is a fieldset of radio buttons with a legend, and it fits
320 px. Everything interpolated is escaped. Security headers come from
`server.security.SecurityHeaders` like every other response.
"""

from __future__ import annotations

from html import escape

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from db import young_voice
from db.sessions import CHECK_IN_ITEMS
from server.routes import client_address
from server.security import DoubleSubmit

PREFIX = "/voice"
CSRF_COOKIE = "circle_voice_csrf"
_GUARD = DoubleSubmit(CSRF_COOKIE, PREFIX)

_STYLE = """
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; font-family: system-ui, -apple-system, "Segoe UI", sans-serif; background: #f6f4ef;
       color: #1f2a2e; font-size: 1.1rem; line-height: 1.5; }
main { max-width: 34rem; margin: 0 auto; padding: 1.25rem 1rem 3rem; }
h1 { font-size: 1.6rem; line-height: 1.25; margin: .5rem 0 .75rem; }
p { margin: 0 0 1rem; }
.card { background: #fff; border-radius: 14px; padding: 1.25rem 1rem; box-shadow: 0 1px 3px rgba(0,0,0,.08); }
fieldset { border: 0; margin: 0 0 1.5rem; padding: 0; min-width: 0; }
legend { font-weight: 700; font-size: 1.15rem; margin-bottom: .5rem; padding: 0; }
.choices { display: grid; grid-template-columns: 1fr; gap: .45rem; }
.choice { display: flex; align-items: center; gap: .6rem; border: 2px solid #9aa8ad; border-radius: 10px;
          padding: .55rem .75rem; background: #fff; cursor: pointer; min-height: 48px; }
.choice input { width: 1.35rem; height: 1.35rem; margin: 0; accent-color: #2f6f73; flex: none; }
.choice .face { flex: none; }
.choice:has(input:checked) { border-color: #2f6f73; background: #eaf3f2; font-weight: 700; }
.choice:has(input:focus-visible) { outline: 3px solid #2f6f73; outline-offset: 2px; }
label.words { display: block; font-weight: 700; font-size: 1.15rem; margin-bottom: .5rem; }
textarea { width: 100%; min-height: 7rem; font: inherit; padding: .6rem .7rem; border: 2px solid #9aa8ad;
           border-radius: 10px; }
textarea:focus { outline: 3px solid #2f6f73; outline-offset: 1px; }
.hint { color: #44545a; font-size: .98rem; margin: -.25rem 0 .5rem; }
.problem { color: #8a2c0d; font-weight: 700; margin: 0 0 .5rem; }
.message { border-radius: 10px; padding: .75rem 1rem; margin: 0 0 1rem; background: #fdf3e3;
           border: 1px solid #e3c48f; }
button { width: 100%; font: inherit; font-weight: 700; padding: .85rem; border: 0; border-radius: 10px;
         background: #2f6f73; color: #fff; cursor: pointer; min-height: 48px; }
button:hover { background: #24585b; }
button:focus-visible { outline: 3px solid #1f2a2e; outline-offset: 2px; }
"""


def _html(title: str, body: str) -> str:
    return f"""<!doctype html>
<html lang="en-GB"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<title>{escape(title)}</title><style>{_STYLE}</style></head>
<body><main>{body}</main></body></html>"""


GONE_TITLE = "This link has finished"
GONE_BODY = (
    '<div class="card"><h1>This link has finished</h1>'
    "<p>It may have been used already, or it was only open for a short time. That's all right.</p>"
    "<p>If you'd like to tell your worker how things are going, you can ask them for a new one.</p></div>"
)


def _gone(status: int = 404) -> Response:
    return HTMLResponse(_html(GONE_TITLE, GONE_BODY), status_code=status)


def _wait(seconds: int) -> Response:
    minutes = max(1, round(seconds / 60))
    body = (
        '<div class="card"><h1>Please try again in a little while</h1>'
        f"<p>Lots of pages have been asked for from here just now. Please try again in about "
        f"{minutes} minute{'s' if minutes != 1 else ''}.</p></div>"
    )
    response = HTMLResponse(_html("Please try again soon", body), status_code=429)
    response.headers["retry-after"] = str(seconds)
    return response


# Faces drawn as simple line drawings (every phone shows them, whatever its emoji font), beside
# the words, in the text's own colour: the words carry the meaning, never colour or the face.
_MOUTHS = {
    4: "M8.5 16.5 Q14 23 19.5 16.5",
    3: "M9 17.5 Q14 21 19 17.5",
    2: "M9 19 L19 19",
    1: "M9 20.5 Q14 17 19 20.5",
    0: "M8.5 21.5 Q14 15 19.5 21.5",
}


def _face(step: int) -> str:
    return (
        '<svg class="face" viewBox="0 0 28 28" width="30" height="30" aria-hidden="true" focusable="false">'
        '<circle cx="14" cy="14" r="12" fill="none" stroke="currentColor" stroke-width="2"/>'
        '<circle cx="10" cy="11" r="1.7" fill="currentColor"/><circle cx="18" cy="11" r="1.7" fill="currentColor"/>'
        f'<path d="{_MOUTHS[step]}" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round"/>'
        "</svg>"
    )


def _question(
    number: int, key: str, ask: str, words: tuple[str, ...], chosen: str, problem: str | None
) -> str:
    """One question: a fieldset of radio buttons, the warmest answer first, its problem (if
    any) under the legend and named by the fieldset."""
    described = f' aria-describedby="{key}-problem"' if problem else ""
    options = []
    for step in reversed(range(young_voice.STEPS)):  # the warmest answer first
        checked = " checked" if chosen == str(step) else ""
        options.append(
            f'<label class="choice"><input type="radio" name="{key}" value="{step}"{checked}>'
            f"{_face(step)}"
            f"<span>{escape(words[step])}</span></label>"
        )
    note = f'<p class="problem" id="{key}-problem">{escape(problem)}</p>' if problem else ""
    return (
        f"<fieldset{described}><legend>{number}. {escape(ask)}</legend>{note}"
        f'<div class="choices">{"".join(options)}</div></fieldset>'
    )


def _anything_else(name: str, message: str, problem: str | None) -> str:
    """The optional words at the end, with its hint and its problem (if any)."""
    return (
        f'<label class="words" for="anything_else">{escape(young_voice.ANYTHING_ELSE.format(name=name))}</label>'
        f'<p class="hint" id="anything_else-hint">You don\'t have to write anything. Up to '
        f"{young_voice.MAX_MESSAGE:,} letters.</p>"
        + (f'<p class="problem" id="anything_else-problem">{escape(problem)}</p>' if problem else "")
        + f'<textarea id="anything_else" name="anything_else" aria-describedby="anything_else-hint'
        f'{" anything_else-problem" if problem else ""}">{escape(message)}</textarea>'
    )


def render_form(
    *,
    name: str,
    wording: str,
    action: str,
    csrf_token: str,
    chosen: dict[str, str] | None = None,
    message: str = "",
    problems: dict[str, str] | None = None,
) -> str:
    chosen, problems = chosen or {}, problems or {}
    n = escape(name)
    asks = young_voice.questions(wording, name)
    words = young_voice.ANSWER_WORDS[wording]
    parts = []
    if problems:
        parts.append(
            '<p class="message" role="alert">Nearly there: please look at the questions marked below. '
            "Everything you chose is still there.</p>"
        )
    for number, key in enumerate(CHECK_IN_ITEMS, start=1):
        parts.append(_question(number, key, asks[key], words, chosen.get(key, ""), problems.get(key)))
    parts.append(_anything_else(name, message, problems.get("anything_else")))
    intro = (
        f"<p>{n} would like to know how things are between you. There are no right or wrong answers, "
        f"and it only takes a minute.</p><p>{n} will read what you say. The people {n} works with may "
        f"talk about it too, to help {n} do a good job with you. Nobody else sees it.</p>"
    )
    return _html(
        f"How are things with {name}?",
        f"<h1>How are things with {n}?</h1>{intro}"
        f'<form class="card" method="post" action="{escape(action)}" autocomplete="off">'
        f'<input type="hidden" name="csrf" value="{escape(csrf_token)}">'
        f'{"".join(parts)}<button type="submit">Send my answers to {n}</button></form>',
    )


def render_thanks(name: str) -> str:
    n = escape(name)
    return _html(
        "Thank you",
        f'<div class="card"><h1>Thank you</h1><p>Your answers have gone to {n}.</p>'
        f"<p>{n} will read them, and the people {n} works with may talk about them too, so they "
        f"can help {n} get things right with you. Nobody else sees them.</p>"
        "<p>You can close this page now.</p></div>",
    )


def _form_response(request: Request, status: int = 200, **kwargs: object) -> Response:
    token = _GUARD.token(request)
    response = HTMLResponse(
        render_form(action=request.url.path, csrf_token=token, **kwargs),  # type: ignore[arg-type]  # keyword arguments from a dict of mixed values; each is checked where the dict is built
        status_code=status,
    )
    _GUARD.set(response, token)
    return response


async def show(request: Request) -> Response:
    token = request.path_params["token"]
    page = await run_in_threadpool(young_voice.open_link, token, client=client_address(request))
    if page.wait_seconds:
        return _wait(page.wait_seconds)
    if not page.ok:
        return _gone()
    return _form_response(request, name=page.name, wording=page.wording)


async def send(request: Request) -> Response:
    token = request.path_params["token"]
    form = await request.form()
    chosen = {k: str(form.get(k, ""))[:2] for k in CHECK_IN_ITEMS}
    message = str(form.get("anything_else", ""))[: young_voice.MAX_MESSAGE * 2]
    if not _GUARD.passed(request, form):
        page = await run_in_threadpool(young_voice.open_link, token, client=client_address(request))
        if page.wait_seconds:
            return _wait(page.wait_seconds)
        if not page.ok:
            return _gone()
        return _form_response(
            request,
            status=400,
            name=page.name,
            wording=page.wording,
            chosen=chosen,
            message=message,
            problems={"anything_else": "This page had been open a while. Please press Send again."},
        )
    result = await run_in_threadpool(
        lambda: young_voice.answer(token, chosen, message, client=client_address(request))
    )
    if result.wait_seconds:
        return _wait(result.wait_seconds)
    if result.gone:
        return _gone()
    if not result.ok:
        return _form_response(
            request,
            status=400,
            name=result.name,
            wording=result.wording,
            chosen=chosen,
            message=message,
            problems=result.problems,
        )
    response = HTMLResponse(render_thanks(result.name))
    _GUARD.clear(response)
    return response


async def bare(_request: Request) -> Response:
    return _gone()


routes = [
    Route(PREFIX, bare, methods=["GET", "POST"]),
    Route(PREFIX + "/{token}", show, methods=["GET"]),
    Route(PREFIX + "/{token}", send, methods=["POST"]),
    # Anything longer under /voice is never a link: the same page, nothing of the app.
    Route(PREFIX + "/{token}/{rest:path}", bare, methods=["GET", "POST"]),
]
