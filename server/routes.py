"""Server routes beside Streamlit: sign-in, sign-out and health.

Sign-in is a classic form post: the route checks the password in the data layer, stores a
server-side session and answers with an HttpOnly, SameSite=Strict cookie and a redirect to
the app. A double-submit token guards the form against cross-site posting.
"""

from __future__ import annotations

import secrets

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

CSRF_COOKIE = "circle_signin_csrf"


def _demo_lines() -> tuple[list[tuple[str, str, str]] | None, str]:
    if not get_settings().demo_mode:
        return None, ""
    from db.demo import DEMO_PASSWORD, DEMO_SIGNINS

    return [(d.username, d.role.capitalize(), d.what_to_try) for d in DEMO_SIGNINS], DEMO_PASSWORD


def _page(
    request: Request, *, username: str = "", message: str = "", calm: bool = False, status: int = 200
) -> Response:
    token = request.cookies.get(CSRF_COOKIE) or secrets.token_urlsafe(24)
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
    response.set_cookie(
        CSRF_COOKIE,
        token,
        httponly=True,
        samesite="strict",
        secure=get_settings().cookie_secure,
        path="/signin",
    )
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
    cookie_token = request.cookies.get(CSRF_COOKIE, "")
    if not cookie_token or not secrets.compare_digest(cookie_token, str(form.get("csrf", ""))):
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
    result = await run_in_threadpool(accounts.sign_in, username, password)
    if not result.ok:
        return _page(
            request, username=username, message=result.message, status=429 if result.wait_seconds else 401
        )
    response = RedirectResponse("/", status_code=303)
    set_session_cookie(response, result.token or "")
    response.delete_cookie(CSRF_COOKIE, path="/signin")
    return response


async def signout(request: Request) -> Response:
    settings = get_settings()
    await run_in_threadpool(accounts.sign_out_token, request.cookies.get(settings.cookie_name))
    response = RedirectResponse("/signin?note=signed_out", status_code=303)
    response.delete_cookie(settings.cookie_name, path="/", httponly=True, samesite="strict")
    return response


async def ended(request: Request) -> Response:
    """Where the app sends a browser whose sign-in has expired or been revoked."""
    settings = get_settings()
    response = RedirectResponse("/signin?note=ended", status_code=303)
    response.delete_cookie(settings.cookie_name, path="/", httponly=True, samesite="strict")
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
    Route("/auth/signout", signout, methods=["GET", "POST"]),
    Route("/auth/ended", ended, methods=["GET"]),
    Route("/api/health", health, methods=["GET"]),
]
