"""Circle's entry script: page setup, who is signed in, and navigation built from their role.

Served by serve.py (`streamlit run serve.py`), which adds the sign-in routes and headers.
"""

from __future__ import annotations

import streamlit as st

from components import a11y, identity
from components.navigation import SCREENS, SECTION_ORDER, pages_for
from db.settings import get_settings

st.set_page_config(page_title="Circle", page_icon="◯", layout="wide")
a11y.style()


def _signed_out() -> None:
    st.title("Circle")
    st.write("Your sign-in has come to an end, so nobody else can carry on from this screen.")
    # A fixed link, no user text: the server route clears the old cookie and shows sign-in.
    st.html('<p><a href="/auth/ended" target="_self">Sign in again</a></p>')
    st.html("<script>window.location.replace('/auth/ended');</script>", unsafe_allow_javascript=True)


def _single_sign_on() -> None:
    st.title("Circle")
    st.write("Taking you to your council's sign-in…")
    st.login()


actor = identity.resolve()
if actor is None:
    doors = [st.Page(_signed_out, title="Sign in", url_path="signed-out")]
    if get_settings().sso:
        doors.append(st.Page(_single_sign_on, title="Council sign-in", url_path="sso"))
    st.navigation(doors, position="hidden").run()
    st.stop()

sections: dict[str, list] = {name: [] for name in SECTION_ORDER}
for key in pages_for(actor.role):
    screen = SCREENS[key]
    sections[screen.section].append(
        st.Page(
            screen.script,
            title=screen.title,
            icon=screen.icon,
            default=key == "home",
            visibility="hidden" if screen.hidden else "visible",
        )
    )

# Routing only: Streamlit's own sidebar list isn't a valid list for a screen reader, so the
# links are Circle's own (components/a11y.py says why).
current = st.navigation([page for pages in sections.values() for page in pages], position="hidden")
a11y.navigation(sections)

with st.sidebar:
    st.caption("Signed in as")
    st.text(f"{actor.display_name} · {actor.role.capitalize()}")
    # A POST from this page (the server checks the browser's same-origin headers): a link or
    # a GET can't sign anyone out.
    st.html(
        '<form method="post" action="/auth/signout" class="circle-signout">'
        '<button type="submit" style="background:none;border:0;padding:0;font:inherit;color:inherit;'
        'text-decoration:underline;cursor:pointer">Sign out</button></form>'
    )

current.run()
