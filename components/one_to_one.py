"""The pieces of a one-to-one: planning, arriving, the cases brought (check-ins, discussion,
worries), wellbeing and development, actions and closing. The kept record is
components/one_to_one_record.py.

Forms keep what was typed when a save is refused; a stale save shows what is saved now and
keeps your words. The version each part was opened at is kept in session state, so a
colleague's save in between is noticed rather than written over.
"""

from __future__ import annotations

from datetime import time, timedelta

import streamlit as st

from components import a11y, fields, forms
from components.scale import ends, scale
from components.text import plain
from db import clock, one_to_one, risk_log
from db.access import Actor
from db.errors import EditConflict, NotAllowed, NotValid
from db.one_to_one import ActionView, OneToOneView, PrivateView
from db.sessions import CHECK_IN_ITEMS

PARAM = "one_to_one"
OUTCOME_WORDS = {"done": "Done", "carried_over": "Carry it over", "dropped": "Let it go"}
STATUS_WORDS = {"planned": "Planned", "closed": "Held and closed", "cancelled": "Cancelled"}
PRIVATE_NOTE = (
    "This part stays between the two of you. A manager sees only that your one-to-one happened "
    "and when, never what was said here."
)


def flash(message: str) -> None:
    """A line to show after the rerun a save causes (`show_flash`)."""
    st.session_state["o2o_flash"] = message


def show_flash() -> None:
    message = st.session_state.pop("o2o_flash", None)
    if message:
        a11y.notice(message)


def clear(*keys: str) -> None:
    for key in keys:
        st.session_state.pop(key, None)


def _opened_version(key: str, current: int) -> int:
    """The version this person opened the part at (kept until they save it)."""
    if key not in st.session_state:
        st.session_state[key] = current
    return int(st.session_state[key])


# ---------------------------------------------------------------- planning


def plan_form(actor: Actor) -> None:
    people = dict(one_to_one.practitioners(actor))
    if not people:
        st.info("When practitioners join the team you supervise, you can plan their one-to-ones here.")
        return
    labels = {
        "practitioner": "With",
        "day": "Date",
        "start": "Start time",
        "duration_minutes": "How long (minutes)",
        "recurs_every_weeks": "Again every (weeks)",
    }
    keys = ["o2o_plan_day", "o2o_plan_start", "o2o_plan_length", "o2o_plan_every"]
    with st.form("o2o_plan"):
        who = st.selectbox(
            labels["practitioner"], list(people), format_func=people.__getitem__, key="o2o_plan_who"
        )
        cols = st.columns(4)
        day = fields.date(
            labels["day"],
            key="o2o_plan_day",
            earliest=clock.today() - timedelta(days=1),
            latest=clock.today() + timedelta(days=366),
            where=cols[0],
        )
        start = cols[1].time_input(labels["start"], value=time(14, 0), key="o2o_plan_start", step=900)
        minutes = fields.whole_number(
            labels["duration_minutes"], key="o2o_plan_length", value=60, low=15, high=180, where=cols[2]
        )
        every = fields.whole_number(
            labels["recurs_every_weeks"],
            key="o2o_plan_every",
            value=4,
            low=1,
            high=12,
            where=cols[3],
            help="Leave it empty for a one-off. The next one is planned when this one closes.",
        )
        if st.form_submit_button("Plan the one-to-one", type="primary"):
            try:
                new_id = one_to_one.plan(
                    actor, who, day=day, start=start, duration_minutes=minutes, recurs_every_weeks=every
                )
            except NotValid as problem:
                forms.show_problems(problem, labels)
                return
            except NotAllowed as refused:
                st.warning(refused.message)
                return
            clear(*keys)
            st.query_params[PARAM] = str(new_id)
            flash(f"Planned with {people[who]}.")
            st.rerun()


def line_label(line: one_to_one.Line, actor: Actor) -> str:
    other = line.practitioner if actor.person_id == line.supervisor_id else line.supervisor
    return f"{clock.when(line.scheduled_for, '%a %d %b %Y, %H:%M')} · with {other} · {STATUS_WORDS[line.status].lower()}"


# ---------------------------------------------------------------- arriving


def arrival(actor: Actor, view: OneToOneView, mine: PrivateView) -> None:
    st.caption(PRIVATE_NOTE)
    if mine.arrival_score is not None:
        st.markdown(
            f"{plain(view.practitioner)} is arriving at **{mine.arrival_score} out of 10**"
            + (f", “{plain(mine.arrival_word)}”" if mine.arrival_word else "")
        )
    if actor.person_id != view.practitioner_id:
        if mine.arrival_score is None:
            st.info(f"How {plain(view.practitioner)} is arriving will show here once they've shared it.")
        return
    _private_form(
        actor,
        view,
        mine,
        "arrival",
        lambda: (
            {
                "arrival_score": scale(
                    "How are you arriving today?",
                    key=f"o2o_arr_{view.id}",
                    low="running on empty",
                    high="full of energy",
                ),
                "arrival_word": fields.text(
                    "A word for it (optional)", key=f"o2o_arrw_{view.id}", limit=40, value=mine.arrival_word
                ),
            },
            {"arrival_score": f"o2o_arr_{view.id}", "arrival_word": f"o2o_arrw_{view.id}"},
        ),
        {"arrival_score": "How are you arriving today?", "arrival_word": "A word for it (optional)"},
        "Share how I'm arriving",
    )


def _private_form(actor, view, mine, part, draw, labels, submit) -> None:
    """One form over part of the private record. Only the fields this person changed since
    they opened it are sent, so two people writing different fields both keep their words;
    if the other saved in between, the save is refused, what is saved now is shown, the
    fields you didn't touch take the saved words, and yours stay for you to save again."""
    version_key = f"o2o_private_v_{view.id}"
    base_key = f"o2o_private_base_{view.id}"
    conflict_key = f"o2o_private_conflict_{view.id}_{part}"
    opened = _opened_version(version_key, mine.version)
    if base_key not in st.session_state:
        st.session_state[base_key] = dict(mine.__dict__)
    base = st.session_state[base_key]
    if conflict_key in st.session_state:
        forms.show_conflict(st.session_state.pop(conflict_key))
    with st.form(f"o2o_{part}_{view.id}"):
        typed, widget_keys = draw()
        if st.form_submit_button(submit, type="primary"):
            changed = {k: v for k, v in typed.items() if v != base.get(k)}
            if changed and part == "arrival":
                changed = dict(typed)  # a number and its word go together
            if not changed:
                a11y.notice("Nothing has changed since you opened it.")
                return
            try:
                saved = one_to_one.save_private(actor, view.id, changed, version=opened)
            except NotValid as problem:
                forms.show_problems(problem, labels)
                return
            except EditConflict as conflict:
                st.session_state[version_key] = mine.version
                st.session_state[base_key] = dict(mine.__dict__)
                for k in typed:
                    if k not in changed:
                        st.session_state.pop(widget_keys[k], None)
                st.session_state[conflict_key] = conflict
                st.rerun()
            except NotAllowed as refused:
                st.warning(refused.message)
                return
            st.session_state[version_key] = saved
            st.session_state.pop(base_key, None)
            flash("Saved. Only the two of you will see it.")
            st.rerun()


# ---------------------------------------------------------------- cases


def cases(actor: Actor, view: OneToOneView) -> None:
    st.caption(
        "The children and families you'd like to think about together. Check-ins join the same trend "
        "as in group supervision; the summary goes to the case page once the one-to-one is closed."
    )
    for item in view.items:
        with st.container(border=True):
            st.markdown(f"### {plain(item.case_reference)}")
            if item.ask:
                st.markdown(f"*{plain(item.ask)}*")
            st.page_link(
                "pages/case.py",
                label=f"Open {plain(item.case_reference)} on the case board",
                icon=":material/folder_open:",
                query_params={"case": str(item.case_id)},
            )
            checked = [c for c in view.check_ins if c.case_reference == item.case_reference]
            for c in checked:
                st.caption(
                    f"Check-in {clock.when(c.created_at, '%H:%M')}: "
                    + ", ".join(f"{CHECK_IN_ITEMS[k].lower()} {n}" for k, n in c.scores.items())
                )
            with st.expander(f"Relationship check-in for {plain(item.case_reference)}", expanded=not checked):
                _check_in_form(actor, view, item.case_id, key=f"o2o_ci_{item.id}")
            _discussion(actor, item)
            _worries(actor, item.case_id, item.case_reference)
    _bring_form(actor, view)


def _bring_form(actor: Actor, view: OneToOneView) -> None:
    options = dict(one_to_one.cases_to_bring(actor, view.id))
    if not options:
        st.info("When your team has open cases, you can bring one here.")
        return
    labels = {"case_id": "Which child or family?", "ask": "What would you like to think about?"}
    with st.form(f"o2o_bring_{view.id}"):
        st.markdown("**Bring a child or family**")
        case_id = st.selectbox(
            labels["case_id"], list(options), format_func=options.__getitem__, key=f"o2o_bring_case_{view.id}"
        )
        ask = fields.area(labels["ask"], key=f"o2o_bring_ask_{view.id}", limit=1500)
        if st.form_submit_button("Bring this one"):
            try:
                one_to_one.bring(actor, view.id, case_id=case_id, ask=ask)
            except NotValid as problem:
                forms.show_problems(problem, labels)
                return
            except NotAllowed as refused:
                st.warning(refused.message)
                return
            clear(f"o2o_bring_ask_{view.id}")
            flash("Added.")
            st.rerun()


def _check_in_form(actor: Actor, view: OneToOneView, case_id: int, *, key: str) -> None:
    texts = {
        "working_well": "What's working in the relationship?",
        "gets_in_the_way": "What gets in the way?",
    }
    keys = [f"{key}_{k}" for k in (*CHECK_IN_ITEMS, *texts)]
    with st.form(key):
        ends("not yet", "as strong as it could be")
        scores = {k: scale(label, key=f"{key}_{k}") for k, label in CHECK_IN_ITEMS.items()}
        typed = {k: fields.area(label, key=f"{key}_{k}", limit=1500) for k, label in texts.items()}
        if st.form_submit_button("Save the check-in"):
            try:
                one_to_one.record_check_in(actor, view.id, case_id, scores=scores, **typed)
            except NotValid as problem:
                forms.show_problems(problem, dict(CHECK_IN_ITEMS) | texts)
                return
            except NotAllowed as refused:
                st.warning(refused.message)
                return
            clear(*keys)
            flash("Check-in saved.")
            st.rerun()


def _discussion(actor: Actor, item: one_to_one.ItemView) -> None:
    version_key = f"o2o_item_v_{item.id}"
    opened = _opened_version(version_key, item.version)
    labels = {
        "discussion_notes": "What we thought together",
        "case_file_summary": "Summary for the case file",
    }
    with st.form(f"o2o_notes_{item.id}"):
        notes = fields.area(
            labels["discussion_notes"], key=f"o2o_notes_t_{item.id}", value=item.discussion_notes, limit=6000
        )
        summary = fields.area(
            labels["case_file_summary"] + " (short; the notes above stay in this one-to-one)",
            key=f"o2o_summary_{item.id}",
            value=item.case_file_summary,
            limit=2000,
        )
        if st.form_submit_button("Save the notes"):
            try:
                one_to_one.save_discussion(actor, item.id, notes=notes, summary=summary, version=opened)
            except NotValid as problem:
                forms.show_problems(problem, labels)
                return
            except EditConflict as conflict:
                st.session_state[version_key] = item.version
                forms.show_conflict(conflict)
                return
            st.session_state[version_key] = opened + 1
            flash("Notes saved.")
            st.rerun()


def _open_worry(thread_id: str) -> None:
    st.session_state["risk_new"] = False
    st.session_state["risk_thread"] = thread_id


def _name_worry() -> None:
    st.session_state["risk_new"] = True
    st.session_state.pop("risk_thread", None)


def _worries(actor: Actor, case_id: int, reference: str) -> None:
    try:
        held = [w for w in risk_log.case_log(actor, case_id) if w.is_open]
    except NotAllowed:
        return
    if held:
        st.caption("Worries the team is holding for this family")
        for w in held:
            cols = st.columns([4, 1])
            cols[0].markdown(
                f"{plain(w.worry[:140])}"
                + (f" · review by {w.next_review_on:%d %b %Y}" if w.next_review_on else "")
            )
            if cols[1].button(
                f"Open this worry: {plain(reference)} · {plain(w.worry[:30])}",
                key=f"o2o_w_{case_id}_{w.thread_id}",
                on_click=_open_worry,
                args=(w.thread_id,),
            ):
                st.switch_page("pages/risk_entry.py")
    if st.button(
        f"Name a worry for {plain(reference)}",
        key=f"o2o_name_{case_id}",
        on_click=_name_worry,
        icon=":material/handshake:",
    ):
        st.switch_page("pages/risk_entry.py")


# ---------------------------------------------------------------- wellbeing and development


def wellbeing(actor: Actor, view: OneToOneView, mine: PrivateView) -> None:
    st.caption(PRIVATE_NOTE)
    labels = {k: one_to_one.PRIVATE_FIELDS[k] for k in ("learning", "been_hard", "support_needed")}
    _private_form(
        actor,
        view,
        mine,
        "wellbeing",
        lambda: (
            {
                k: fields.area(
                    label, key=f"o2o_{k}_{view.id}", value=getattr(mine, k), limit=one_to_one.TEXT_LIMIT
                )
                for k, label in labels.items()
            },
            {k: f"o2o_{k}_{view.id}" for k in labels},
        ),
        labels,
        "Save wellbeing and development",
    )


# ---------------------------------------------------------------- actions


def actions(actor: Actor, view: OneToOneView) -> None:
    if view.to_review:
        st.markdown("**From last time**")
    for a in view.to_review:
        with st.container(border=True):
            st.markdown(f"{plain(a.description)} · {plain(a.owner)} · by {a.due_on:%d %b %Y}")
            if a.status != "open":
                st.caption(
                    OUTCOME_WORDS.get(a.status, a.status)
                    + (f": {plain(a.status_reason)}" if a.status_reason else "")
                )
                continue
            _look_back(actor, view, a)
    st.markdown("**What happens next**")
    for a in view.actions:
        st.markdown(f"- {plain(a.description)} · {plain(a.owner)} · by {a.due_on:%d %b %Y}")
    _add_action(actor, view)


def _look_back(actor: Actor, view: OneToOneView, a: ActionView) -> None:
    """How an action from last time went."""
    with st.form(f"o2o_review_{a.id}"):
        outcome = st.radio(
            "How did it go?",
            list(OUTCOME_WORDS),
            format_func=OUTCOME_WORDS.__getitem__,
            horizontal=True,
            key=f"o2o_rv_{a.id}",
        )
        reason = fields.text("If you let it go, why?", key=f"o2o_rvr_{a.id}", limit=500)
        if st.form_submit_button(f"Save how it went: {plain(a.description[:30])}"):
            try:
                one_to_one.review_action(
                    actor, view.id, a.id, outcome=outcome, reason=reason, version=a.version
                )
            except NotValid as problem:
                forms.show_problems(
                    problem, {"reason": "If you let it go, why?", "outcome": "How did it go?"}
                )
                return
            except EditConflict as conflict:
                forms.show_conflict(conflict)
                return
            flash("Saved.")
            st.rerun()


def _add_action(actor: Actor, view: OneToOneView) -> None:
    owners = {view.practitioner_id: view.practitioner, view.supervisor_id: view.supervisor}
    labels = {"description": "What will happen?", "owner_id": "Who", "due_on": "By when"}
    keys = [f"o2o_act_d_{view.id}", f"o2o_act_due_{view.id}"]
    with st.form(f"o2o_action_{view.id}"):
        description = fields.area(labels["description"], key=keys[0], limit=1000)
        cols = st.columns(2)
        owner = cols[0].selectbox(
            labels["owner_id"], list(owners), format_func=owners.__getitem__, key=f"o2o_act_o_{view.id}"
        )
        due = fields.date(
            labels["due_on"],
            key=keys[1],
            earliest=clock.today(),
            latest=clock.today() + timedelta(days=366),
            where=cols[1],
        )
        if st.form_submit_button("Add the action"):
            try:
                one_to_one.add_action(actor, view.id, description=description, owner_id=owner, due_on=due)
            except NotValid as problem:
                forms.show_problems(problem, labels)
                return
            clear(*keys)
            flash("Action added.")
            st.rerun()


# ---------------------------------------------------------------- closing and the record


def closing(actor: Actor, view: OneToOneView, mine: PrivateView) -> None:
    st.caption(PRIVATE_NOTE)
    label = "What was helpful today?"
    _private_form(
        actor,
        view,
        mine,
        "closing",
        lambda: (
            {
                "helpful_today": fields.area(
                    label, key=f"o2o_helpful_{view.id}", value=mine.helpful_today, limit=one_to_one.TEXT_LIMIT
                )
            },
            {"helpful_today": f"o2o_helpful_{view.id}"},
        ),
        {"helpful_today": label},
        "Share my closing",
    )
    if actor.person_id == view.supervisor_id:
        every = (
            f" The next one is planned {view.recurs_every_weeks} weeks on." if view.recurs_every_weeks else ""
        )
        st.caption(
            "Closing keeps the record as it is; either of you can add an amendment afterwards." + every
        )
        if st.button("Close this one-to-one", type="primary", key=f"o2o_close_{view.id}"):
            try:
                nxt = one_to_one.close(actor, view.id, version=view.version)
            except (NotValid, EditConflict, NotAllowed) as refused:
                st.warning(
                    plain(
                        getattr(refused, "message", None)
                        or "; ".join(getattr(refused, "problems", {}).values())
                    )
                )
                return
            flash("Closed and kept. Thank you both.")
            if nxt:
                st.query_params[PARAM] = str(nxt)
            st.rerun()
