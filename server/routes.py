"""Server routes beside Streamlit: sign-in, sign-out and health.

Sign-in is a classic form post: the route checks the password in the data layer (in a
worker thread, never on the event loop), stores a server-side session and answers with an
HttpOnly, SameSite=Strict cookie and a redirect to the app. A double-submit token guards
the form against cross-site posting. At most `MAX_SIGNINS_IN_FLIGHT` sign-ins are worked on
at once per server; past that the form says "busy, try again in a moment" straight away,
so a flood can't tie up the threads every other route needs.

Sign-out is a POST: from the sidebar's button (a same-origin form, which the browser's
`Sec-Fetch-Site`/`Origin` headers prove) or from the page `GET /auth/signout` shows (its
form carries a double-submit token). A GET never signs anyone out, so a link or an image on
another site can't.
"""

from __future__ import annotations

import ipaddress
import os
from urllib.parse import urlsplit

from sqlalchemy import text
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from db import accounts
from db.engine import get_engine
from db.migrate import is_up_to_date
from db.settings import get_settings
from server import signin_page
from server.security import DoubleSubmit

CSRF_COOKIE = "circle_signin_csrf"
SIGNOUT_CSRF_COOKIE = "circle_signout_csrf"
SIGNOUT_PATH = "/auth/signout"
_SIGNIN_GUARD = DoubleSubmit(CSRF_COOKIE, "/signin")
_SIGNOUT_GUARD = DoubleSubmit(SIGNOUT_CSRF_COOKIE, SIGNOUT_PATH)
# Sign-ins being worked on at once in this server (each waits for a password check).
MAX_SIGNINS_IN_FLIGHT = 24
_in_flight = 0


def client_address(request: Request) -> str:
    """Who is asking, for the back-off: the peer's address, or, when the peer is a proxy we
    trust (CIRCLE_TRUSTED_PROXIES, loopback by default), the address that proxy saw (the last
    one it added to X-Forwarded-For)."""
    peer = request.client.host if request.client else "unknown"
    trusted = os.environ.get("CIRCLE_TRUSTED_PROXIES", "127.0.0.1,::1")
    forwarded = request.headers.get("x-forwarded-for", "")
    if forwarded and peer in {t.strip() for t in trusted.split(",") if t.strip()}:
        last = forwarded.split(",")[-1].strip()
        try:
            return str(ipaddress.ip_address(last))
        except ValueError:
            return peer
    return peer


def same_origin(request: Request) -> bool:
    """The browser says this request came from one of our own pages (OWASP's "verify origin
    with standard headers"): Sec-Fetch-Site where sent, else an Origin naming this host."""
    site = request.headers.get("sec-fetch-site")
    if site:
        return site == "same-origin"
    origin = request.headers.get("origin")
    return bool(origin) and urlsplit(origin).netloc == request.headers.get("host", "")


def _busy(render_page) -> Response:
    response = render_page(
        message="Lots of people are signing in at this moment. Please try again in a few seconds.",
        status=503,
    )
    response.headers["retry-after"] = "5"
    return response


def _demo_lines() -> tuple[list[tuple[str, str, str]] | None, str]:
    if not get_settings().demo_mode:
        return None, ""
    from db.seed.demo import DEMO_PASSWORD, DEMO_SIGNINS

    return [(d.username, d.role.capitalize(), d.what_to_try) for d in DEMO_SIGNINS], DEMO_PASSWORD


def _page(
    request: Request, *, username: str = "", message: str = "", calm: bool = False, status: int = 200
) -> Response:
    token = _SIGNIN_GUARD.token(request)
    demo, demo_password = _demo_lines()
    response = HTMLResponse(
        signin_page.render(
            csrf_token=token,
            username=username,
            message=message,
            calm=calm,
            demo_signins=demo,
            demo_password=demo_password,
            sso=get_settings().sso,
        ),
        status_code=status,
    )
    _SIGNIN_GUARD.set(response, token)
    return response


_NOTES = {
    "signed_out": "You've signed out. Thank you for the work you do.",
    "ended": "Your sign-in came to an end, so nobody else can carry on from this screen. Please sign in again.",
}


def set_session_cookie(response: Response, token: str) -> None:
    """The sign-in cookie every door into Circle sets: HttpOnly, same-site only, for the
    whole site, and no longer-lived than the sign-in itself."""
    settings = get_settings()
    response.set_cookie(
        settings.cookie_name,
        token,
        httponly=True,
        samesite="strict",
        secure=settings.cookie_secure,
        path="/",
        max_age=settings.absolute_lifetime_hours * 3600,
    )


async def signin_form(request: Request) -> Response:
    note = _NOTES.get(request.query_params.get("note", ""), "")
    return _page(request, message=note, calm=bool(note))


async def signin_submit(request: Request) -> Response:
    form = await request.form()
    username = str(form.get("username", ""))[:64]
    password = str(form.get("password", ""))[:256]
    if not _SIGNIN_GUARD.passed(request, form):
        return _page(
            request,
            username=username,
            status=400,
            message="This page had been open a while, so we refreshed it. Please sign in again.",
        )
    if not username.strip() or not password:
        return _page(
            request,
            username=username,
            status=400,
            message="Please enter both your username and your password.",
        )
    global _in_flight
    if _in_flight >= MAX_SIGNINS_IN_FLIGHT:
        return _busy(lambda **kw: _page(request, username=username, **kw))
    _in_flight += 1
    try:
        result = await run_in_threadpool(
            lambda: accounts.sign_in(
                username,
                password,
                client=client_address(request),
                replaces=request.cookies.get(get_settings().cookie_name),
            )
        )
    finally:
        _in_flight -= 1
    if result is accounts.BUSY:
        return _busy(lambda **kw: _page(request, username=username, **kw))
    if not result.ok:
        return _page(
            request, username=username, message=result.message, status=429 if result.wait_seconds else 401
        )
    response = RedirectResponse("/", status_code=303)
    set_session_cookie(response, result.token or "")
    _SIGNIN_GUARD.clear(response)
    return response


def delete_session_cookie(response: Response) -> None:
    settings = get_settings()
    response.delete_cookie(
        settings.cookie_name, path="/", httponly=True, samesite="strict", secure=settings.cookie_secure
    )


def _signout_page(request: Request, *, status: int = 200) -> Response:
    token = _SIGNOUT_GUARD.token(request)
    response = HTMLResponse(signin_page.render_signout(csrf_token=token), status_code=status)
    _SIGNOUT_GUARD.set(response, token)
    return response


async def signout_form(request: Request) -> Response:
    """A GET only offers the button: following a link never signs anyone out."""
    return _signout_page(request)


async def signout(request: Request) -> Response:
    form = await request.form()
    if not (_SIGNOUT_GUARD.passed(request, form) or same_origin(request)):
        return _signout_page(request, status=403)
    await run_in_threadpool(accounts.sign_out_token, request.cookies.get(get_settings().cookie_name))
    response = RedirectResponse("/signin?note=signed_out", status_code=303)
    delete_session_cookie(response)
    _SIGNOUT_GUARD.clear(response)
    return response


async def ended(request: Request) -> Response:
    """Where the app sends a browser whose sign-in has expired or been revoked."""
    response = RedirectResponse("/signin?note=ended", status_code=303)
    token = request.cookies.get(get_settings().cookie_name)
    # Only a cookie whose sign-in really has ended is removed: a link from another site (which
    # sends no SameSite=Strict cookie) must not be able to sign anyone out of this browser.
    if token and await run_in_threadpool(accounts.actor_for_token, token) is None:
        delete_session_cookie(response)
    return response


def _database_ok() -> tuple[bool, bool]:
    engine = get_engine()
    with engine.connect() as conn:
        conn.execute(text("SELECT 1"))
    return True, is_up_to_date(engine)


async def health(_request: Request) -> Response:
    try:
        reachable, migrated = await run_in_threadpool(_database_ok)
    except Exception:  # noqa: BLE001 - any failure means "not healthy"; details stay in the log
        return JSONResponse({"status": "unavailable", "database": "unreachable"}, status_code=503)
    status = 200 if reachable and migrated else 503
    return JSONResponse(
        {
            "status": "ok" if status == 200 else "unavailable",
            "database": "ok" if migrated else "needs migrating",
        },
        status_code=status,
    )


routes = [
    Route("/signin", signin_form, methods=["GET"]),
    Route("/signin", signin_submit, methods=["POST"]),
    Route(SIGNOUT_PATH, signout_form, methods=["GET"]),
    Route(SIGNOUT_PATH, signout, methods=["POST"]),
    Route("/auth/ended", ended, methods=["GET"]),
    Route("/api/health", health, methods=["GET"]),
]
