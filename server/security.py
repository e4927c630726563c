"""Security headers on every HTTP response, a gentle redirect to sign-in, and the
double-submit check every form Circle serves outside Streamlit uses (`DoubleSubmit`).

The headers are pure ASGI middleware (not BaseHTTPMiddleware) so websockets pass straight
through and responses are not buffered.
"""

from __future__ import annotations

import base64
import hashlib
import os
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from db.settings import get_settings


def _inline_script_hashes() -> list[str]:
    """CSP hashes of the inline scripts Circle's pages need: the one in Streamlit's own
    index.html (it sets `window.prerenderReady`), and the fixed redirect app.py draws for a
    sign-in that has ended. Hashes instead of 'unsafe-inline', so an injected script can't run."""
    import streamlit

    index = Path(streamlit.__file__).parent / "static" / "index.html"
    bodies = re.findall(r"<script>(.*?)</script>", index.read_text(), flags=re.S)
    bodies.append(ENDED_REDIRECT_SCRIPT)
    return [f"'sha256-{base64.b64encode(hashlib.sha256(b.encode()).digest()).decode()}'" for b in bodies]


# app.py's redirect for a sign-in that has ended (st.html with unsafe_allow_javascript).
ENDED_REDIRECT_SCRIPT = "window.location.replace('/auth/ended');"

# As tight as Streamlit 1.67 allows (checked in Chromium on every screen, tests/test_csp.py):
# scripts only from this origin or the two inline ones hashed above (no 'unsafe-eval': its
# Vega charts use the CSP-safe expression interpreter; 'wasm-unsafe-eval' lets protobuf's
# long-integer maths compile its small WebAssembly module, and allows no JavaScript eval); styles may be inline (Streamlit's
# emotion styles are injected at run time); the websocket is same-origin ('self'); no
# frames, plugins or other sites; nobody may frame Circle.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self' 'wasm-unsafe-eval' " + " ".join(_inline_script_hashes()),
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "frame-src 'none'",
        "worker-src 'self' blob:",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
# Browsers must come back over HTTPS only, for a year (sent when the cookie is Secure, which
# is how Circle knows it is served over HTTPS).
STRICT_TRANSPORT_SECURITY = (b"strict-transport-security", b"max-age=31536000; includeSubDomains")

SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-frame-options", b"DENY"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
    (b"cache-control", b"no-store"),
]

# Paths that never need a sign-in cookie to load.
_OPEN_PREFIXES = (
    "/_stcore",
    "/static",
    "/media",
    "/component",
    "/signin",
    "/auth",
    "/accessibility",  # the accessibility statement: anyone may read it (server/accessibility.py)
    "/api",
    "/favicon",
    "/sso",  # the page that starts single sign-on (st.login)
    "/oauth2callback",  # Streamlit's own end of the single sign-on journey
    "/voice",  # a young person's check-in page: no account (server/young_voice_routes.py)
    "/calendar",  # a personal calendar feed: the token is the key (server/calendar_routes.py)
)
# Streamlit's signed identity cookie, set at the end of single sign-on (see server/sso.py).
_SSO_COOKIE = b"_streamlit_user="


class SecurityHeaders:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        # Behind a load balancer, CIRCLE_SERVER_NAME says which replica answered (for operators).
        name = os.environ.get("CIRCLE_SERVER_NAME", "")
        self.extra = [(b"x-circle-server", name.encode()[:64])] if name else []
        if get_settings().cookie_secure:
            self.extra.append(STRICT_TRANSPORT_SECURITY)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope.get("path", "")
        static = path.startswith(("/static", "/_stcore/static"))

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                existing = {k.lower() for k, _ in message.get("headers", [])}
                headers = list(message.get("headers", []))
                for key, value in [*SECURITY_HEADERS, *self.extra]:
                    if key == b"cache-control" and static:
                        continue  # hashed front-end bundles may be cached
                    if key not in existing:
                        headers.append((key, value))
                message["headers"] = headers
            await send(message)

        if scope["method"] == "GET" and not path.startswith(_OPEN_PREFIXES) and not _has_cookie(scope):
            # A first visit without a sign-in goes straight to the sign-in screen; one that has
            # just come back from the council's sign-in goes to turn it into a Circle session.
            where = b"/auth/sso/complete" if _has_cookie(scope, _SSO_COOKIE) else b"/signin"
            await send_with_headers(
                {"type": "http.response.start", "status": 303, "headers": [(b"location", where)]}
            )
            await send({"type": "http.response.body", "body": b""})
            return
        await self.app(scope, receive, send_with_headers)


def _has_cookie(scope: Scope, name: bytes | None = None) -> bool:
    name = name or get_settings().cookie_name.encode() + b"="
    for key, value in scope.get("headers", []):
        if key == b"cookie" and name in value:
            return True
    return False


@dataclass(frozen=True)
class DoubleSubmit:
    """A form's guard against cross-site posting (OWASP's double-submit cookie): the page
    carries a random token in a hidden `csrf` field and in an HttpOnly, SameSite=Strict
    cookie kept to the form's own path; a post counts only when the two match."""

    cookie: str
    path: str

    def token(self, request: Request) -> str:
        """The token this browser already holds, or a fresh one."""
        return request.cookies.get(self.cookie) or secrets.token_urlsafe(24)

    def set(self, response: Response, token: str) -> None:
        response.set_cookie(
            self.cookie,
            token,
            httponly=True,
            samesite="strict",
            secure=get_settings().cookie_secure,
            path=self.path,
        )

    def passed(self, request: Request, form: Mapping) -> bool:
        """The form's token matches the cookie's (a post from another site can't know it)."""
        cookie_token = request.cookies.get(self.cookie, "")
        return bool(cookie_token) and secrets.compare_digest(cookie_token, str(form.get("csrf", "")))

    def clear(self, response: Response) -> None:
        response.delete_cookie(self.cookie, path=self.path)
