"""A supervision agreement on screen: read it, change a draft together, agree to it, and see
earlier revisions. The template editor for administrators uses the same terms."""

from __future__ import annotations

from datetime import timedelta

import streamlit as st

from components import a11y, fields, forms
from components.text import plain
from db import agreements, clock
from db.access import Actor
from db.agreements import FREQUENCIES, TERMS, AgreementView
from db.errors import EditConflict, NotAllowed, NotValid

FIRST_YEAR = "Assessed first year ends (newly qualified social workers)"
FIRST_YEAR_EVERY = "In the assessed first year, one-to-one every (weeks)"
LABELS = {**TERMS, **FREQUENCIES, "first_year_until": FIRST_YEAR, "first_year_every_weeks": FIRST_YEAR_EVERY}


def _flash(message: str) -> None:
    """A thank-you shown after the rerun a save causes (see show_flash)."""
    st.session_state["agr_flash"] = message


def show_flash() -> None:
    message = st.session_state.pop("agr_flash", None)
    if message:
        a11y.notice(message)


def _who_agreed(view: AgreementView) -> str:
    parts = []
    for name, day in (
        (view.practitioner, view.practitioner_agreed_on),
        (view.supervisor, view.supervisor_agreed_on),
    ):
        parts.append(f"{plain(name)} agreed on {day:%d %B %Y}" if day else f"{plain(name)} hasn't agreed yet")
    return " · ".join(parts)


def show(view: AgreementView) -> None:
    """The agreement as it stands, read-only."""
    st.caption(
        f"Revision {view.revision} · {'agreed' if view.status == 'agreed' else view.status} · {_who_agreed(view)}"
    )
    rhythm = (
        f"One-to-one every **{view.one_to_one_every_weeks} weeks**; group supervision every "
        f"**{view.group_every_weeks} week{'s' if view.group_every_weeks != 1 else ''}**."
    )
    if view.first_year_until and view.first_year_every_weeks:
        rhythm += (
            f" Until {view.first_year_until:%d %B %Y} (the assessed first year), one-to-one every "
            f"**{view.first_year_every_weeks} weeks**."
        )
    st.markdown(rhythm)
    for key, label in TERMS.items():
        st.markdown(f"**{plain(label)}**")
        st.text(view.terms.get(key) or "—")
    if view.status == "agreed":
        st.caption(
            f"To be looked at together again by {view.review_on:%d %B %Y}, or when the supervisor changes."
        )


def start_draft(actor: Actor, practitioner_id: int, *, reviewing: bool) -> None:
    """For the supervisor: a draft from the council's template (or, `reviewing`, from the
    agreement now), with the end of an assessed first year when there is one."""
    first_year_key = f"agr_until_{practitioner_id}"
    until = fields.date(
        "Assessed first year ends (only for a newly qualified social worker)", key=first_year_key
    )
    if st.button(
        "Start a review of the agreement" if reviewing else "Draft an agreement from the template",
        type="primary",
        key=f"agr_draft_{practitioner_id}",
    ):
        try:
            agreements.draft(actor, practitioner_id, first_year_until=until)
        except NotValid as problem:
            forms.show_problems(problem, {"first_year_until": "Assessed first year ends"})
        else:
            st.session_state.pop(first_year_key, None)
            st.rerun()


def edit(actor: Actor, view: AgreementView) -> None:
    """Change the draft's words (either of the two). A save from a stale copy is refused and
    shows what is saved now; what you typed stays in the form."""
    key = f"agr_{view.id}"
    version_key = f"{key}_opened"
    if version_key not in st.session_state:
        st.session_state[version_key] = view.version
    with st.form(key):
        how_often = _how_often(key, view)
        terms = {
            k: fields.area(label, key=f"{key}_{k}", value=view.terms.get(k, ""), limit=agreements.TERM_LIMIT)
            for k, label in TERMS.items()
        }
        st.caption("Saving clears any agreement already given, so you both agree to the same words.")
        if st.form_submit_button("Save the draft"):
            _save_draft(actor, view, version_key, terms=terms, **how_often)


def _how_often(key: str, view: AgreementView) -> dict:
    """How often they meet, one to one and in the group (and in an assessed first year)."""
    cols = st.columns(2)
    every = fields.whole_number(
        FREQUENCIES["one_to_one_every_weeks"],
        key=f"{key}_o2o",
        value=view.one_to_one_every_weeks,
        low=1,
        high=12,
        where=cols[0],
    )
    group = fields.whole_number(
        FREQUENCIES["group_every_weeks"],
        key=f"{key}_grp",
        value=view.group_every_weeks,
        low=1,
        high=12,
        where=cols[1],
    )
    cols = st.columns(2)
    until = fields.date(
        FIRST_YEAR,
        key=f"{key}_until",
        value=view.first_year_until,
        earliest=clock.today() - timedelta(days=366 * 2),
        latest=clock.today() + timedelta(days=366 * 2),
        where=cols[0],
        help="Leave it empty unless they are a newly qualified social worker in their assessed first year.",
    )
    first = fields.whole_number(
        FIRST_YEAR_EVERY,
        key=f"{key}_first",
        value=view.first_year_every_weeks,
        low=1,
        high=12,
        where=cols[1],
    )
    return {
        "one_to_one_every_weeks": every,
        "group_every_weeks": group,
        "first_year_until": until,
        "first_year_every_weeks": first,
    }


def _save_draft(actor: Actor, view: AgreementView, version_key: str, **typed: object) -> None:
    try:
        agreements.update(actor, view.id, version=int(st.session_state[version_key]), **typed)  # type: ignore[arg-type]  # keyword arguments from a dict of mixed values; each is checked where the dict is built
    except NotValid as problem:
        forms.show_problems(problem, LABELS)
        return
    except EditConflict as conflict:
        st.session_state[version_key] = view.version
        forms.show_conflict(conflict)
        return
    except NotAllowed as refused:
        st.warning(refused.message)
        return
    st.session_state.pop(version_key, None)
    _flash("Draft saved.")
    st.rerun()


def agree_button(actor: Actor, view: AgreementView) -> None:
    mine = (
        view.practitioner_agreed_on if actor.person_id == view.practitioner_id else view.supervisor_agreed_on
    )
    if mine:
        st.success(f"You agreed to these words on {mine:%d %B %Y}.", icon=":material/check:")
        return
    if st.button("I agree to this agreement as it stands", type="primary", key=f"agr_agree_{view.id}"):
        try:
            both = agreements.agree(actor, view.id, version=view.version)
        except EditConflict as conflict:
            forms.show_conflict(conflict, LABELS)
            return
        except (NotValid, NotAllowed) as refused:
            st.warning(
                getattr(refused, "message", None) or "; ".join(getattr(refused, "problems", {}).values())
            )
            return
        _flash(
            "Agreed by you both. The earlier version is kept."
            if both
            else "Your agreement is recorded with today's date."
        )
        st.rerun()


def template_form(actor: Actor) -> None:
    tpl = agreements.template(actor)
    key = "agr_tpl"
    if f"{key}_opened" not in st.session_state:
        st.session_state[f"{key}_opened"] = tpl.version
    labels = {**LABELS, "first_year_every_weeks": FIRST_YEAR_EVERY}
    with st.form(key):
        cols = st.columns(3)
        numbers = {
            "one_to_one_every_weeks": fields.whole_number(
                FREQUENCIES["one_to_one_every_weeks"],
                key=f"{key}_o2o",
                value=tpl.fields["one_to_one_every_weeks"],  # type: ignore[arg-type]  # typed object (a mixed-field dict's value or any record's id); its real type is set where it is made
                low=1,
                high=12,
                where=cols[0],
            ),
            "group_every_weeks": fields.whole_number(
                FREQUENCIES["group_every_weeks"],
                key=f"{key}_grp",
                value=tpl.fields["group_every_weeks"],  # type: ignore[arg-type]  # typed object (a mixed-field dict's value or any record's id); its real type is set where it is made
                low=1,
                high=12,
                where=cols[1],
            ),
            "first_year_every_weeks": fields.whole_number(
                FIRST_YEAR_EVERY,
                key=f"{key}_first",
                value=tpl.fields["first_year_every_weeks"],  # type: ignore[arg-type]  # typed object (a mixed-field dict's value or any record's id); its real type is set where it is made
                low=1,
                high=12,
                where=cols[2],
            ),
        }
        terms = {
            k: fields.area(label, key=f"{key}_{k}", value=str(tpl.fields[k]), limit=agreements.TERM_LIMIT)
            for k, label in TERMS.items()
        }
        if st.form_submit_button("Save the template", type="primary"):
            try:
                agreements.save_template(
                    actor, {**numbers, **terms}, version=int(st.session_state[f"{key}_opened"])
                )
            except NotValid as problem:
                forms.show_problems(problem, labels)
                return
            except EditConflict as conflict:
                st.session_state[f"{key}_opened"] = tpl.version
                forms.show_conflict(conflict)
                return
            st.session_state.pop(f"{key}_opened", None)
            _flash(
                "Saved. New agreements are drafted from these words; agreements already made stay as they are."
            )
            st.rerun()
