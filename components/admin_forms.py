"""Teams and people, the administrator's forms: adding a person or a team, a person's name
and role, a new password, their council sign-in, deactivating and reactivating them, and
who is in which team.

Each form saves through the data layer for the signed-in person. A save says whom it
touched after the rerun that shows it (`show_done`); a refused one keeps what was typed
and names what to change, or what someone else saved first.
"""

from __future__ import annotations

import streamlit as st

from components import fields, forms
from components.text import plain
from db import people
from db.access import Actor
from db.errors import EditConflict, NotValid
from db.models import ROLES, TEAM_ROLES
from db.people import MembershipRow, PersonRow

DONE_KEY = "admin_done"


def _done(message: str) -> None:
    """Say whom the action touched, after the rerun that shows it."""
    st.session_state[DONE_KEY] = message
    st.rerun()


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


def show_done() -> None:
    """The line left by the last save, once."""
    if message := st.session_state.pop(DONE_KEY, None):
        st.success(plain(message), icon=":material/check:")


def add_person(actor: Actor, team_names: dict[int, str]) -> None:
    with st.form("admin_add_person"):
        username = fields.text(
            "Username",
            limit=64,
            help="Lower-case letters, numbers, dots or dashes.",
            key="admin_new_username",
        )
        display_name = fields.text("Name", limit=120, key="admin_new_name")
        role = st.selectbox("Role", ROLES, format_func=people.ROLE_LABELS.__getitem__)
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
                _done(f"{display_name} can now sign in.")
            except NotValid as problem:
                forms.show_problems(problem, LABELS)


def edit_person(actor: Actor, person: PersonRow) -> None:
    with st.form(f"admin_edit_{person.id}"):
        new_name = fields.text(
            "Name", limit=120, value=person.display_name, key=f"admin_name_{person.id}_{person.version}"
        )
        new_role = st.selectbox(
            "Role",
            ROLES,
            index=ROLES.index(person.role),
            format_func=people.ROLE_LABELS.__getitem__,
            key=f"admin_role_{person.id}_{person.version}",
        )
        if st.form_submit_button("Save changes"):
            try:
                saved = people.update_person(
                    actor, person.id, display_name=new_name, role=new_role, version=person.version
                )
                _done(f"Saved {saved}. Their screens will follow the change at their next click.")
            except NotValid as problem:
                forms.show_problems(problem, LABELS)
            except EditConflict as conflict:
                forms.show_conflict(conflict, {"display_name": "Name", "role": "Role"})


def reset_password(actor: Actor, person: PersonRow) -> None:
    who = f"{person.display_name} ({person.username})"
    who_label = plain(who)  # widget labels read markdown
    with st.form(f"admin_reset_{person.id}"):
        new_password = st.text_input(
            "Set a new password",
            type="password",
            help="They'll be signed out everywhere and use this next time.",
            key=f"admin_password_{person.id}",
        )
        sure = st.checkbox(
            f"Yes, this new password is for {who_label}", key=f"admin_password_sure_{person.id}"
        )
        if st.form_submit_button(f"Set a new password for {plain(person.display_name)}"):
            if not sure:
                st.warning(
                    f"Please tick the box to confirm the new password is for {plain(who)}.",
                    icon=":material/person_check:",
                )
            else:
                try:
                    name = people.reset_password(actor, person.id, new_password)
                    st.success(f"New password set for {plain(name)}. They've been signed out everywhere.")
                except NotValid as problem:
                    forms.show_problems(problem, LABELS)


def link_identity(actor: Actor, person: PersonRow) -> None:
    with st.form(f"admin_identity_{person.id}"):
        linked = people.linked_subject(actor, person.id)
        subject = fields.text(
            "Their council sign-in id (single sign-on)",
            limit=200,
            value=linked or "",
            key=f"admin_subject_{person.id}",
            help=(
                "The id your council's identity provider knows them by. Someone whose council "
                "account isn't linked yet is shown theirs when they try to sign in."
            ),
        )
        if st.form_submit_button("Save the link" if not linked else "Change or remove the link"):
            try:
                people.link_identity(actor, person.id, subject)
                _done(
                    f"Saved: {person.display_name} can sign in with their council account now."
                    if subject
                    else f"Link removed for {person.display_name}."
                )
            except NotValid as problem:
                forms.show_problems(problem, {"subject": "Their council sign-in id (single sign-on)"})


def activation(actor: Actor, person: PersonRow) -> None:
    """Deactivating someone (after a tick to confirm), or reactivating them."""
    who = f"{person.display_name} ({person.username})"
    who_label = plain(who)  # widget labels read markdown
    if person.is_active:
        with st.form(f"admin_deactivate_{person.id}"):
            sure = st.checkbox(
                f"Yes, deactivate {who_label}: they can no longer sign in",
                key=f"admin_deactivate_sure_{person.id}",
            )
            if st.form_submit_button(f"Deactivate {plain(person.display_name)}"):
                if not sure:
                    st.warning(
                        f"Please tick the box to confirm it's {plain(who)} you mean to deactivate.",
                        icon=":material/person_check:",
                    )
                else:
                    try:
                        _done(
                            f"Deactivated {people.set_active(actor, person.id, False)}: they can no longer sign in."
                        )
                    except NotValid as problem:
                        forms.show_problems(problem, {**LABELS, "person": who})
    elif st.button(f"Reactivate {plain(person.display_name)}", key=f"admin_reactivate_{person.id}"):
        _done(f"Reactivated {people.set_active(actor, person.id, True)}: they can sign in again.")


def add_team(actor: Actor) -> None:
    with st.form("admin_add_team"):
        name = fields.text("Team name", limit=120, key="admin_team_name")
        description = fields.area("Description (optional)", limit=500, key="admin_team_description")
        weeks = fields.whole_number(
            "Weeks before the board gently flags a case nobody has talked about",
            low=1,
            high=26,
            value=4,
            key="admin_team_weeks",
        )
        if st.form_submit_button("Add team"):
            try:
                people.create_team(actor, name, description, weeks)  # type: ignore[arg-type]  # Checks collects problems and refuses before any write: a required value is not None here
                _done(f"{name} is ready. Add people to it on the next tab.")
            except NotValid as problem:
                forms.show_problems(problem, LABELS)


def add_member(actor: Actor, team_names: dict[int, str], person_names: dict[int, str]) -> None:
    """Adding someone to a team, or changing their role in it."""
    with st.form("admin_add_member"):
        team_id = fields.choose("Team", team_names, key="admin_member_team")
        person_id = fields.choose("Person", person_names, key="admin_member_person")
        member_role = st.selectbox("Role in the team", TEAM_ROLES)
        if st.form_submit_button("Add to team (or change their role in it)"):
            try:
                people.add_membership(actor, team_id, person_id, member_role)
                _done(f"Saved: {person_names[person_id]} is in {team_names[team_id]} as {member_role}.")
            except NotValid as problem:
                forms.show_problems(problem, LABELS)


def leaving(actor: Actor, memberships: list[MembershipRow]) -> None:
    """Someone leaving a team."""
    labels = {m.id: f"{m.display_name} in {m.team_name}" for m in memberships}
    gone = fields.choose("Someone leaving a team", labels, key="admin_leaving")
    if st.button(f"{plain(labels[gone])}: they've left this team", key="admin_end_membership"):
        people.end_membership(actor, gone)
        _done(f"Saved: {labels[gone]} has left that team.")
