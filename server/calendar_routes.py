"""The personal calendar feed: GET /calendar/<token>.ics, for Outlook, Google Calendar or any
calendar that subscribes to a URL. The token is the only key (calendars can't sign in), so
it is long and random, kept only as a hash, and revocable on *Your account*; an unknown or
revoked token gets a plain 404 that says nothing about whether it ever existed. The feed
holds no case content: "Group supervision · <team>", when and where.
"""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from db import calendar


async def feed(request: Request) -> Response:
    token = str(request.path_params.get("token", ""))
    body = await run_in_threadpool(calendar.feed, token)
    if body is None:
        return PlainTextResponse("Not found", status_code=404)
    return Response(
        body,
        media_type="text/calendar; charset=utf-8",
        headers={"Content-Disposition": 'inline; filename="group-supervision.ics"'},
    )


routes = [Route("/calendar/{token}.ics", feed, methods=["GET"])]
