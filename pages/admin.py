"""Teams and people: accounts, roles, team memberships, password resets and deactivation."""

from __future__ import annotations

import streamlit as st

from components import forms, identity
from components.text import plain
from db import people
from db.errors import EditConflict, NotValid
from db.models import ROLES, TEAM_ROLES

actor = identity.actor()
st.title("Teams and people")
st.caption("Changes to someone's role, teams or password take effect the next time they click anything.")

LABELS = {
    "username": "Username",
    "display_name": "Name",
    "role": "Role",
    "password": "Password",
    "team_id": "Team",
    "team_role": "Role in the team",
    "name": "Team name",
    "description": "Description",
    "not_discussed_weeks": "Weeks before a gentle nudge",
}

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
    with st.expander("Add a person"), st.form("admin_add_person"):
        username = st.text_input(
            "Username",
            max_chars=64,
            help="Lower-case letters, numbers, dots or dashes.",
            key="admin_new_username",
        )
        display_name = st.text_input("Name", max_chars=120, key="admin_new_name")
        role = st.selectbox("Role", ROLES, format_func=people.ROLE_LABELS.get)
        password = st.text_input(
            "First password",
            type="password",
            help="At least 8 characters. Share it with them in person or by phone.",
            key="admin_new_password",
        )
        team_choice = st.selectbox(
            "Team (optional)",
            [None, *team_names],
            format_func=lambda t: "No team yet" if t is None else team_names[t],
        )
        team_role = st.selectbox("Role in the team", TEAM_ROLES)
        if st.form_submit_button("Add person"):
            try:
                people.create_person(
                    actor,
                    username,
                    display_name,
                    role,
                    password,
                    team_id=team_choice,
                    team_role=team_role if team_choice else None,
                )
                st.toast(f"{plain(display_name)} can now sign in.")
                st.rerun()
            except NotValid as problem:
                forms.show_problems(problem, LABELS)

    if everyone:
        chosen = st.selectbox(
            "Choose someone to look after",
            list(person_names),
            format_func=person_names.get,
            key="admin_person",
        )
        person = next(p for p in everyone if p.id == chosen)
        with st.form(f"admin_edit_{person.id}"):
            new_name = st.text_input("Name", value=person.display_name, max_chars=120)
            new_role = st.selectbox(
                "Role", ROLES, index=ROLES.index(person.role), format_func=people.ROLE_LABELS.get
            )
            if st.form_submit_button("Save changes"):
                try:
                    people.update_person(
                        actor, person.id, display_name=new_name, role=new_role, version=person.version
                    )
                    st.toast("Saved. Their screens will follow the change at their next click.")
                    st.rerun()
                except NotValid as problem:
                    forms.show_problems(problem, LABELS)
                except EditConflict as conflict:
                    forms.show_conflict(conflict, {"display_name": "Name", "role": "Role"})
        with st.form(f"admin_reset_{person.id}"):
            new_password = st.text_input(
                "Set a new password",
                type="password",
                help="They'll be signed out everywhere and use this next time.",
            )
            if st.form_submit_button("Set new password"):
                try:
                    people.reset_password(actor, person.id, new_password)
                    st.success("New password set. They've been signed out everywhere.")
                except NotValid as problem:
                    forms.show_problems(problem, LABELS)
        with st.form(f"admin_identity_{person.id}"):
            linked = people.linked_subject(actor, person.id)
            subject = st.text_input(
                "Their council sign-in id (single sign-on)",
                value=linked or "",
                max_chars=200,
                help=(
                    "The id your council's identity provider knows them by. Someone whose council "
                    "account isn't linked yet is shown theirs when they try to sign in."
                ),
            )
            if st.form_submit_button("Save the link" if not linked else "Change or remove the link"):
                try:
                    people.link_identity(actor, person.id, subject)
                    st.toast(
                        "Saved. They can sign in with their council account now."
                        if subject
                        else "Link removed."
                    )
                except NotValid as problem:
                    forms.show_problems(problem, {"subject": "Their council sign-in id"})
        if person.is_active:
            if st.button("Deactivate (they can no longer sign in)", key=f"admin_deactivate_{person.id}"):
                try:
                    people.set_active(actor, person.id, False)
                    st.rerun()
                except NotValid as problem:
                    forms.show_problems(problem, LABELS)
        elif st.button("Reactivate", key=f"admin_reactivate_{person.id}"):
            people.set_active(actor, person.id, True)
            st.rerun()

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
    with st.form("admin_add_team"):
        name = st.text_input("Team name", max_chars=120)
        description = st.text_area("Description (optional)", max_chars=500)
        weeks = st.number_input(
            "Weeks before the board gently flags a case nobody has talked about",
            min_value=1,
            max_value=26,
            value=4,
            step=1,
        )
        if st.form_submit_button("Add team"):
            try:
                people.create_team(actor, name, description, int(weeks))
                st.toast(f"{plain(name)} is ready. Add people to it on the next tab.")
                st.rerun()
            except NotValid as problem:
                forms.show_problems(problem, LABELS)

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
        with st.form("admin_add_member"):
            team_id = st.selectbox("Team", list(team_names), format_func=team_names.get)
            person_id = st.selectbox("Person", list(person_names), format_func=person_names.get)
            member_role = st.selectbox("Role in the team", TEAM_ROLES)
            if st.form_submit_button("Add to team (or change their role in it)"):
                try:
                    people.add_membership(actor, team_id, person_id, member_role)
                    st.toast("Saved: their teams have changed.")
                    st.rerun()
                except NotValid as problem:
                    forms.show_problems(problem, LABELS)
    if memberships:
        labels = {m.id: f"{m.display_name} in {m.team_name}" for m in memberships}
        leaving = st.selectbox(
            "Someone leaving a team", list(labels), format_func=labels.get, key="admin_leaving"
        )
        if st.button("They've left this team", key="admin_end_membership"):
            people.end_membership(actor, leaving)
            st.rerun()
