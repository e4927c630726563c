"""Circle's server: Streamlit's app (app.py) with our routes and security headers.

Start it with `streamlit run serve.py` (the README's start command does this for you).
Before the first page is served, a quick integrity check runs (a damaged SQLite file stops
the app with a clear message) and migrations are applied.
"""

from __future__ import annotations

from contextlib import asynccontextmanager

import streamlit as st
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware

from db import mailer
from db.backup import startup_check
from db.migrate import upgrade
from server.accessibility import routes as accessibility_routes
from server.calendar_routes import routes as calendar_routes
from server.routes import routes
from server.security import SecurityHeaders
from server.sso import auth_secrets
from server.sso import routes as sso_routes
from server.training_routes import routes as training_routes
from server.young_voice_routes import routes as young_voice_routes


@asynccontextmanager
async def lifespan(_app):
    await run_in_threadpool(startup_check)
    await run_in_threadpool(upgrade)
    # With CIRCLE_SMTP_URL set, each server sends the outbox in a background thread.
    mailer.start_background()
    yield


app = st.App(
    "app.py",
    routes=[
        *routes,
        *accessibility_routes,
        *training_routes,
        *sso_routes,
        *young_voice_routes,
        *calendar_routes,
    ],
    middleware=[Middleware(SecurityHeaders)],
    lifespan=lifespan,
    # The [auth] section st.login needs, from CIRCLE_OIDC_* (None: single sign-on is off).
    secrets=auth_secrets(),
)

if __name__ == "__main__":
    app.run()
