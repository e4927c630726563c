"""The sign-in screen, served as a plain HTML form by a server route.

The form posts to the server, which sets an HttpOnly cookie: the password never passes
through the app's websocket and no token ever appears in a URL or in page JavaScript.
Everything interpolated here is escaped.
"""

from __future__ import annotations

from html import escape

# The look of the plain pages served beside the app: sign-in and sign-out, joining a cohort,
# single sign-on's answers and the accessibility statement.
PAGE_STYLE = """
:root { color-scheme: light; }
body { margin: 0; font-family: "Source Sans Pro", system-ui, -apple-system, "Segoe UI", sans-serif;
       background: #f6f4ef; color: #1f2a2e; }
main { max-width: 28rem; margin: 8vh auto; padding: 0 1.25rem; }
.card { background: #fff; border-radius: 14px; padding: 2rem 2rem 1.5rem;
        box-shadow: 0 1px 3px rgba(0,0,0,.08); }
h1 { font-size: 1.9rem; margin: 0 0 .25rem; letter-spacing: .01em; }
.lede { margin: 0 0 1.5rem; color: #44545a; line-height: 1.45; }
label { display: block; font-weight: 600; margin: 1rem 0 .35rem; }
input[type=text], input[type=password] { width: 100%; box-sizing: border-box; font-size: 1.05rem;
       padding: .65rem .75rem; border: 1px solid #9aa8ad; border-radius: 8px; }
input:focus { outline: 3px solid #2f6f73; outline-offset: 1px; }
button { margin-top: 1.5rem; width: 100%; font-size: 1.05rem; font-weight: 600; padding: .75rem;
         border: 0; border-radius: 8px; background: #2f6f73; color: #fff; cursor: pointer; }
button:hover { background: #24585b; }
.message { border-radius: 8px; padding: .75rem 1rem; margin: 0 0 1rem; line-height: 1.4;
           background: #fdf3e3; border: 1px solid #e3c48f; }
.message.calm { background: #eaf3f2; border-color: #a9cdc9; }
.demo { margin-top: 1.5rem; background: #fff; border-radius: 14px; padding: 1.25rem 1.5rem;
        box-shadow: 0 1px 3px rgba(0,0,0,.08); font-size: .95rem; }
.demo h2 { font-size: 1.05rem; margin: 0 0 .5rem; }
.demo table { border-collapse: collapse; width: 100%; }
.demo td, .demo th { text-align: left; padding: .3rem .4rem; border-top: 1px solid #e6e2da; vertical-align: top; }
.demo code { background: #f1efe9; padding: .05rem .3rem; border-radius: 4px; }
.or { text-align: center; color: #5b6b70; margin: 1rem 0 .5rem; }
a.council { display: block; text-align: center; font-size: 1.05rem; font-weight: 600; padding: .7rem;
            border: 2px solid #2f6f73; border-radius: 8px; color: #24585b; text-decoration: none; }
a.council:hover, a.council:focus { background: #eaf3f2; }
footer a[href="/accessibility"] { display: inline-block; min-height: 24px; line-height: 24px; }
footer { margin-top: 1rem; color: #5b6b70; font-size: .85rem; text-align: center; }
"""


def render(
    *,
    csrf_token: str,
    username: str = "",
    message: str = "",
    calm: bool = False,
    demo_signins: list[tuple[str, str, str]] | None = None,
    demo_password: str = "",
    sso: bool = False,
) -> str:
    note = ""
    if message:
        css = "message calm" if calm else "message"
        note = f'<p class="{css}" role="alert">{escape(message)}</p>'
    council = (
        '<p class="or">or</p><a class="council" href="/sso">Sign in with your council account</a>'
        if sso
        else ""
    )
    demo = ""
    if demo_signins:
        rows = "".join(
            f"<tr><td><code>{escape(u)}</code></td><td>{escape(r)}</td><td>{escape(w)}</td></tr>"
            for u, r, w in demo_signins
        )
        demo = (
            '<section class="demo" aria-labelledby="demo-title">'
            '<h2 id="demo-title">Demo mode: try Circle as someone in the team</h2>'
            f"<p>Every demo account uses the password <code>{escape(demo_password)}</code>. "
            "The team and its families are made up.</p>"
            f"<table><thead><tr><th>Username</th><th>Role</th><th>What to try</th></tr></thead>"
            f"<tbody>{rows}</tbody></table></section>"
        )
    return f"""<!doctype html>
<html lang="en-GB"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sign in · Circle</title><style>{PAGE_STYLE}</style></head>
<body><main>
<div class="card">
<h1>Circle</h1>
<p class="lede">A place for your team to think together, hold worries together,
and keep the relationship with each child and family at the centre.</p>
{note}
<form method="post" action="/signin" autocomplete="on">
<input type="hidden" name="csrf" value="{escape(csrf_token)}">
<label for="username">Username</label>
<input id="username" name="username" type="text" autocomplete="username" required maxlength="64"
 value="{escape(username)}" autofocus>
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required maxlength="256">
<button type="submit">Sign in</button>
</form>
{council}
</div>
{demo}
<footer>Forgotten your password? Your Circle administrator can set a new one for you.<br>
Joining an induction session with a code from your trainer? <a href="/auth/join">Join with a code</a>.<br>
<a href="/accessibility">Accessibility statement</a></footer>
</main></body></html>"""


def render_signout(*, csrf_token: str) -> str:
    """The page `GET /auth/signout` shows: a button, because following a link must never sign
    anyone out (a link on another site could)."""
    return f"""<!doctype html>
<html lang="en-GB"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sign out · Circle</title><style>{PAGE_STYLE}</style></head>
<body><main>
<div class="card">
<h1>Sign out of Circle?</h1>
<p class="lede">Signing out ends your sign-in on this browser straight away, so nobody else
can carry on from this screen.</p>
<form method="post" action="/auth/signout">
<input type="hidden" name="csrf" value="{escape(csrf_token)}">
<button type="submit">Sign out</button>
</form>
</div>
<footer><a href="/">Back to Circle</a></footer>
</main></body></html>"""
