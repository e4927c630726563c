"""Single sign-on with the council's OpenID Connect provider, through Streamlit's `st.login`.

The journey, and why each step is where it is:
1. The sign-in screen links to `/sso`, a page of the app that calls `st.login()`. Streamlit
   sends the browser to the provider (authorisation code flow, PKCE where offered), and
   its own `/oauth2callback` route checks the answer and sets Streamlit's signed identity
   cookie (`_streamlit_user`).
2. That cookie alone would be a sign-in Circle cannot end: it is signed, not stored, and
   lives for 30 days. So the first request that carries it (and no Circle session) is sent
   to `/auth/sso/complete`, which reads the identity (issuer and subject), finds the Circle
   person an administrator linked to it (`Person.external_subject`), creates the same
   server-side session a password sign-in makes (HttpOnly, SameSite=Strict cookie, a row
   in `signin_session`) and deletes Streamlit's identity cookies. From then on sign-out,
   deactivation, role changes and every expiry work exactly as for built-in accounts.
   The provider's word counts once and only while fresh: the identity's `iat` must be
   within five minutes, its `exp` still ahead and its `nonce` one no sign-in has used (kept
   in the database, so every server agrees). A captured identity cookie replayed later, even
   after sign-out, is refused (`accounts.sign_in_external`).
3. Someone the provider knows but Circle does not gets a plain "ask your administrator"
   page naming the id to give them; the attempt is in the audit trail.

Configuration comes from the environment (`db.settings`): CIRCLE_OIDC_ISSUER,
CIRCLE_OIDC_CLIENT_ID, CIRCLE_OIDC_CLIENT_SECRET, CIRCLE_COOKIE_SECRET and
CIRCLE_PUBLIC_URL. Without them none of this is switched on and built-in accounts work as
before (they always do).
"""

from __future__ import annotations

import json
import secrets
from datetime import UTC, datetime
from html import escape

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from db import accounts
from db.settings import get_settings
from server.routes import set_session_cookie
from server.signin_page import PAGE_STYLE

COMPLETE_PATH = "/auth/sso/complete"
STREAMLIT_USER_COOKIE = "_streamlit_user"


def auth_secrets() -> dict | None:
    """The `[auth]` section for st.App(secrets=...), or None when single sign-on is off."""
    settings = get_settings()
    if not settings.sso:
        return None
    public = settings.public_url or "http://localhost:{port}"
    return {
        "auth": {
            "redirect_uri": f"{public}/oauth2callback",
            # Streamlit signs its identity cookie with this; without a fixed one every server
            # would make its own and a callback landing on another replica would fail.
            "cookie_secret": settings.cookie_secret or secrets.token_urlsafe(32),
            "client_id": settings.oidc_client_id,
            "client_secret": settings.oidc_client_secret,
            "server_metadata_url": f"{settings.oidc_issuer}/.well-known/openid-configuration",
            "client_kwargs": {"scope": "openid profile email", "prompt": "login"},
        }
    }


def _identity(request: Request) -> dict | None:
    # Streamlit 1.67's own reader for its signed (and possibly chunked) cookie.
    from streamlit.web.server.starlette.starlette_auth_routes import _get_cookie_value_from_request

    raw = _get_cookie_value_from_request(request, STREAMLIT_USER_COOKIE)
    if not raw:
        return None
    try:
        found = json.loads(raw)
    except (TypeError, ValueError):
        return None
    return found if isinstance(found, dict) and found.get("is_logged_in") else None


def _forget_streamlit_identity(response: Response, request: Request) -> None:
    from streamlit.web.server.starlette.starlette_auth_routes import _clear_auth_cookie

    _clear_auth_cookie(response, request)


def _page(title: str, body: str, *, status: int = 200, refresh: bool = False) -> HTMLResponse:
    meta = '<meta http-equiv="refresh" content="0;url=/">' if refresh else ""
    return HTMLResponse(
        f"""<!doctype html>
<html lang="en-GB"><head><meta charset="utf-8">{meta}
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)} · Circle</title><style>{PAGE_STYLE}</style></head>
<body><main><div class="card"><h1>{escape(title)}</h1>{body}</div></main></body></html>""",
        status_code=status,
    )


def _when(value: object) -> datetime | None:
    """A JWT time (seconds since 1970) as a UTC datetime, or None when missing or odd."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    try:
        return datetime.fromtimestamp(value, UTC)
    except (OverflowError, OSError, ValueError):
        return None


async def complete(request: Request) -> Response:
    """Turn the provider's word into a Circle sign-in (see the module docstring)."""
    identity = _identity(request)
    if identity is None:
        return _page(
            "Sign in again",
            '<p class="lede">That sign-in didn\'t finish. Please <a href="/signin">try again</a>.</p>',
            status=400,
        )
    issuer, subject = str(identity.get("iss") or ""), str(identity.get("sub") or "")
    result = await run_in_threadpool(
        lambda: accounts.sign_in_external(
            issuer,
            subject,
            nonce=str(identity.get("nonce") or ""),
            issued_at=_when(identity.get("iat")),
            expires_at=_when(identity.get("exp")),
            replaces=request.cookies.get(get_settings().cookie_name),
        )
    )
    if result.message == accounts.SSO_STALE_MESSAGE:
        response = _page(
            "Sign in again",
            f'<p class="lede">{escape(result.message)}</p><p><a href="/signin">Back to sign-in</a></p>',
            status=400,
        )
        _forget_streamlit_identity(response, request)
        return response
    if not result.ok:
        response = _page(
            "Ask your Circle administrator",
            f'<p class="lede">{escape(result.message)}</p>'
            "<p>Give them the id your council's sign-in knows you by:</p>"
            f'<p class="message calm"><code>{escape(subject)}</code></p>'
            '<p>Once they have linked it, <a href="/signin">sign in again</a>. '
            "If you have a Circle username and password, you can use those meanwhile.</p>",
            status=403,
        )
        _forget_streamlit_identity(response, request)
        return response
    # A page that moves on by itself, not a redirect: the browser arrived here through the
    # provider (another site), and a SameSite=Strict cookie is only sent on a navigation
    # this site starts.
    response = _page(
        "Signing you in",
        '<p class="lede">Taking you to Circle. <a href="/">Carry on</a> if nothing happens.</p>',
        refresh=True,
    )
    set_session_cookie(response, result.token or "")
    _forget_streamlit_identity(response, request)
    return response


routes = [Route(COMPLETE_PATH, complete, methods=["GET"])]
