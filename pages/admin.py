"""Teams and people: accounts, roles, team memberships, password resets and deactivation."""

from __future__ import annotations

import streamlit as st

from components import admin_forms, fields, identity
from components import notifications as notify_view
from db import people

actor = identity.actor()
st.title("Teams and people")

admin_forms.show_done()
st.caption("Changes to someone's role, teams or password take effect the next time they click anything.")

everyone = people.list_people(actor)
teams = people.list_teams(actor)
team_names = {t.id: t.name for t in teams}
person_names = {p.id: f"{p.display_name} ({p.username})" for p in everyone}

tab_people, tab_teams, tab_members = st.tabs(["People", "Teams", "Who is in which team"])

with tab_people:
    st.dataframe(
        [
            {
                "Name": p.display_name,
                "Username": p.username,
                "Role": people.ROLE_LABELS[p.role],
                "Teams": p.teams,
                "Can sign in": "yes" if p.is_active else "no (deactivated)",
            }
            for p in everyone
        ],
        hide_index=True,
        width="stretch",
    )
    with st.expander("Add a person"):
        admin_forms.add_person(actor, team_names)

    if everyone:
        # Chosen by id and kept in the URL, so a save (which may rename them) never moves
        # the chooser to someone else: every form below acts on exactly this person.
        chosen = fields.choose(
            "Choose someone to look after", person_names, key="admin_person", param="person"
        )
        person = next(p for p in everyone if p.id == chosen)
        admin_forms.edit_person(actor, person)
        admin_forms.reset_password(actor, person)
        admin_forms.link_identity(actor, person)
        admin_forms.activation(actor, person)

with tab_teams:
    if teams:
        st.dataframe(
            [
                {
                    "Team": t.name,
                    "About": t.description,
                    "People": t.members,
                    "Weeks before a gentle nudge": t.not_discussed_weeks,
                }
                for t in teams
            ],
            hide_index=True,
            width="stretch",
        )
    else:
        st.info("No teams yet. Add the first one below, then add people to it.", icon=":material/groups:")
    admin_forms.add_team(actor)

with tab_members:
    memberships = people.list_memberships(actor)
    if memberships:
        st.dataframe(
            [
                {
                    "Team": m.team_name,
                    "Person": m.display_name,
                    "Role in the team": m.role,
                    "Since": f"{m.joined_on:%d %b %Y}",
                }
                for m in memberships
            ],
            hide_index=True,
            width="stretch",
        )
    if teams and everyone:
        admin_forms.add_member(actor, team_names, person_names)
    if memberships:
        admin_forms.leaving(actor, memberships)

# The mail outbox: what is waiting, sent and failed (issue 17).
with st.expander("Email from Circle: waiting, sent and failed"):
    notify_view.outbox(actor)
