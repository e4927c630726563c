"""Joining an induction cohort with its code: a training-only sign-in, served beside the app.

GET /auth/join shows a small form (the code and the name to show the trainer); POST checks
the code in the data layer (`db.training.join`), which creates a trainee with no team and no
password, and answers with the same HttpOnly, SameSite=Strict session cookie as sign-in.
A trainee's navigation holds only the induction exercises screen. A double-submit token
guards the form, and wrong codes slow further tries from the same address.
"""

from __future__ import annotations

from html import escape

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from db import training
from db.settings import get_settings
from server.routes import client_address, set_session_cookie
from server.security import DoubleSubmit
from server.signin_page import PAGE_STYLE  # one look for both doors into Circle

JOIN_PATH = "/auth/join"
CSRF_COOKIE = "circle_join_csrf"
_GUARD = DoubleSubmit(CSRF_COOKIE, JOIN_PATH)


def render(*, csrf_token: str, code: str = "", name: str = "", message: str = "") -> str:
    note = f'<p class="message" role="alert">{escape(message)}</p>' if message else ""
    return f"""<!doctype html>
<html lang="en-GB"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Join your induction · Circle</title><style>{PAGE_STYLE}</style></head>
<body><main>
<div class="card">
<h1>Join your induction</h1>
<p class="lede">Your trainer will give you a short code. With it you can answer the practice
exercises from this device. Everything in them is made up: no real families, no team records.</p>
{note}
<form method="post" action="{JOIN_PATH}" autocomplete="off">
<input type="hidden" name="csrf" value="{escape(csrf_token)}">
<label for="code">Join code</label>
<input id="code" name="code" type="text" required maxlength="20" value="{escape(code)}" autofocus
 autocapitalize="characters" spellcheck="false">
<label for="name">Your name, as the trainer will see it</label>
<input id="name" name="name" type="text" required maxlength="60" value="{escape(name)}" autocomplete="name">
<button type="submit">Join</button>
</form>
</div>
<footer>Have a Circle account already? <a href="/signin">Sign in</a> instead.</footer>
</main></body></html>"""


def _page(
    request: Request, *, code: str = "", name: str = "", message: str = "", status: int = 200
) -> Response:
    token = _GUARD.token(request)
    response = HTMLResponse(
        render(csrf_token=token, code=code, name=name, message=message), status_code=status
    )
    _GUARD.set(response, token)
    return response


async def join_form(request: Request) -> Response:
    return _page(request)


async def join_submit(request: Request) -> Response:
    form = await request.form()
    code = str(form.get("code", ""))[:20]
    name = str(form.get("name", ""))[:60]
    if not _GUARD.passed(request, form):
        return _page(
            request,
            code=code,
            name=name,
            status=400,
            message="This page had been open a while, so we refreshed it. Please press Join again.",
        )
    result = await run_in_threadpool(
        lambda: training.join(
            code,
            name,
            client_key=client_address(request),
            replaces=request.cookies.get(get_settings().cookie_name),
        )
    )
    if not result.ok:
        return _page(
            request, code=code, name=name, message=result.message, status=429 if result.wait_seconds else 400
        )
    response = RedirectResponse("/", status_code=303)
    set_session_cookie(response, result.token or "")
    _GUARD.clear(response)
    return response


routes = [
    Route(JOIN_PATH, join_form, methods=["GET"]),
    Route(JOIN_PATH, join_submit, methods=["POST"]),
]
