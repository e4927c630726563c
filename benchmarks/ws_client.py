"""How the benchmarks' simulated people reach Circle the way a browser does: the sign-in form
(its CSRF field and cookie), Streamlit's XSRF cookie, the websocket at /_stcore/stream, and
one run of a page over it (a `rerun_script` BackMsg, then ForwardMsgs until the run
finishes). And the figures every benchmark prints: percentiles, a process's memory and CPU.
"""

from __future__ import annotations

import asyncio
import http.cookiejar
import os
import re
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from email.message import Message
from pathlib import Path
from typing import Any


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """One person's browser over HTTP: a cookie jar, and redirects not followed, so the sign-in's
    303 is seen as it is."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect)

    def get(self, path: str, *, headers: dict[str, str] | None = None, timeout: float = 60) -> bytes:
        request = urllib.request.Request(self.base + path, headers=headers or {})
        with self.opener.open(request, timeout=timeout) as r:
            return r.read()

    def csrf(self, *, headers: dict[str, str] | None = None, timeout: float = 60) -> str:
        """The sign-in form's CSRF field (its cookie lands in the jar)."""
        found = re.search(
            r'name="csrf" value="([^"]+)"', self.get("/signin", headers=headers, timeout=timeout).decode()
        )
        if not found:
            raise RuntimeError("the sign-in form had no CSRF field")
        return found.group(1)

    def post_sign_in(
        self,
        username: str,
        password: str,
        csrf: str,
        *,
        headers: dict[str, str] | None = None,
        timeout: float = 60,
    ) -> tuple[int, Message]:
        """Submit the sign-in form: the answer's status (303 when signed in) and headers."""
        form = urllib.parse.urlencode({"username": username, "password": password, "csrf": csrf}).encode()
        request = urllib.request.Request(
            self.base + "/signin", data=form, method="POST", headers=headers or {}
        )
        try:
            with self.opener.open(request, timeout=timeout) as r:
                return r.status, r.headers
        except urllib.error.HTTPError as answer:  # the 303 to "/" lands here: redirects aren't followed
            return answer.code, answer.headers

    def stream_cookies(self, *, required: bool = True, timeout: float = 60) -> tuple[str, str]:
        """Fetch Streamlit's XSRF cookie; return the websocket's Cookie header (every cookie but
        the form's) and the XSRF token. `required`: both the sign-in's and Streamlit's cookies
        must be there."""
        self.get("/_stcore/health", timeout=timeout)
        cookies = {c.name: c.value for c in self.jar}
        if required and not {"circle_session", "_streamlit_xsrf"} <= cookies.keys():
            raise RuntimeError(f"sign-in did not set both cookies: {sorted(cookies)}")
        header = "; ".join(f"{k}={v}" for k, v in cookies.items() if k != "circle_signin_csrf")
        return header, cookies.get("_streamlit_xsrf", "")  # type: ignore[return-value]  # a cookie from the jar always has a value; http.cookiejar types it str | None


def open_stream(base: str, cookie: str, xsrf: str, *, open_timeout: float = 30, **options: Any):
    """Streamlit's websocket as the browser opens it (use with `async with`)."""
    import websockets

    return websockets.connect(
        base.replace("http://", "ws://") + "/_stcore/stream",
        subprotocols=["streamlit", xsrf],  # type: ignore[list-item]  # websockets types subprotocols as a NewType of str
        additional_headers={"Cookie": cookie, "Origin": base},
        max_size=None,
        open_timeout=open_timeout,
        **options,
    )


def rerun_message(
    *, page: str | None = None, query: str = "", page_hash: str = "", fragment: str = "", widget_id: str = ""
) -> bytes:
    """A `rerun_script` BackMsg: a page by name (with a query string), or the page the browser
    is on (its hash); one live part's timer (`fragment`); a button pressed (`widget_id`)."""
    from streamlit.proto.BackMsg_pb2 import BackMsg

    msg = BackMsg()
    rs = msg.rerun_script
    if page is not None:
        rs.page_name = page
    else:
        rs.page_script_hash = page_hash
    if query:
        rs.query_string = query
    if fragment:
        rs.fragment_id = fragment
        rs.is_auto_rerun = True
    if widget_id:
        state = rs.widget_states.widgets.add()
        state.id = widget_id
        state.trigger_value = True
    return msg.SerializeToString()


async def read_run(ws, recv_timeout: Callable[[], float], on_message: Callable | None = None) -> str | None:
    """ForwardMsgs until the run finishes; what went wrong in it (an exception drawn, a page not
    found, a compile error) or None. Every other message goes to `on_message`."""
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    finished = (ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY)
    problem = None
    while True:
        raw = await asyncio.wait_for(ws.recv(), timeout=recv_timeout())
        fwd = ForwardMsg()
        fwd.ParseFromString(raw)
        kind = fwd.WhichOneof("type")
        element = fwd.delta.new_element if kind == "delta" else None
        if element is not None and element.WhichOneof("type") == "exception":
            problem = f"exception: {element.exception.message[:120]}"
        elif kind == "page_not_found":
            problem = "page not found"
        elif kind == "script_finished" and fwd.script_finished == ForwardMsg.FINISHED_WITH_COMPILE_ERROR:
            return "compile error"
        elif kind == "script_finished" and fwd.script_finished in finished:
            return problem
        elif on_message is not None:
            on_message(fwd)


# ------------------------------------------------------------------------------- figures
def pct(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))], 1)


def spread(values: list[float]) -> dict[str, float]:
    return {
        "count": len(values),
        "p50": pct(values, 0.50),
        "p95": pct(values, 0.95),
        "p99": pct(values, 0.99),
        "max": round(max(values), 1) if values else 0.0,
    }


def rss_kib(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def cpu_seconds(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return 0.0
