"""One induction cohort on the trainer's screen: who is in it and how they join, exercises run
with it, themes taken into supervision, notes, and the record for the induction file."""

from __future__ import annotations

import streamlit as st

from components import a11y, downloads, fields, forms
from components.text import plain, table
from db import clock, training
from db.access import Actor
from db.errors import EditConflict, NotAllowed, NotValid
from db.training import CohortView

RUN_KEY = "training_run_id"


def open_run(run_id: int) -> None:
    st.session_state[RUN_KEY] = run_id
    st.switch_page("pages/training_run.py")


def create_form(actor: Actor) -> None:
    with st.form("cohort_new"):
        name = st.text_input("What shall we call this cohort?", placeholder="Spring induction")
        starts = fields.date("First session", key="cohort_new_starts")
        with_code = st.checkbox(
            "Give it a join code, for new starters who don't have a Circle account yet", value=True
        )
        if st.form_submit_button("Start the cohort", type="primary"):
            try:
                new_id = training.create_cohort(actor, name=name, starts_on=starts, with_code=with_code)  # type: ignore[arg-type]  # the date field gives back the text typed when it is not a date; the data layer refuses it
                st.session_state["cohort_pick"] = new_id
                a11y.notice("Cohort started. Add new starters, then run your first exercise.")
                st.rerun()
            except NotValid as problem:
                forms.show_problems(problem, {"name": "Name", "starts_on": "First session"})


def join_code(actor: Actor, view: CohortView) -> None:
    with st.container(border=True):
        if view.join_code:
            st.markdown(f"**Join code: {plain(view.join_code)}**")
            if view.join_code_expires_at:
                st.caption(
                    f"It works until {clock.when(view.join_code_expires_at, '%A %d %B, %H:%M')}; "
                    "make a new one if people still need to join after that."
                )
            st.caption(
                "New starters without a Circle account open /auth/join on this site, type the code and their name, "
                "and get a sign-in that reaches only the induction exercises: no team, no families, nothing "
                "else. Switch the code off once everyone is in."
            )
        else:
            st.markdown("**No join code**: only people you add below can take part.")
        if view.status == "active":
            cols = st.columns(2)
            if cols[0].button("A new code" if view.join_code else "Switch a code on", key="cohort_code_new"):
                training.set_join_code(actor, view.id, on=True)
                st.rerun()
            if view.join_code and cols[1].button("Switch the code off", key="cohort_code_off"):
                training.set_join_code(actor, view.id, on=False)
                st.rerun()


def members(actor: Actor, view: CohortView) -> None:
    st.subheader("Who is taking part")
    if view.members:
        table(
            [
                {
                    "Name": m.name,
                    "Team whose supervision picks up themes": m.team_name or "none (joined with the code)",
                    "Joined": f"{m.joined_at:%d %b %Y}",
                }
                for m in view.members
            ]
        )
    else:
        st.caption("Nobody yet. Add new starters who have a Circle account, or share the join code.")
    if view.status != "active":
        return
    choices = {(c.person_id, c.team_id): c for c in training.starter_choices(actor)}
    in_cohort = {m.person_id for m in view.members}
    options = [k for k in choices if k[0] not in in_cohort]
    if not options:
        return
    with st.form("cohort_add"):
        picked = st.selectbox(
            "Add a new starter who has a Circle account",
            options,
            format_func=lambda k: f"{choices[k].name} · {choices[k].team_name}",
            key="cohort_add_person",
        )
        if st.form_submit_button("Add to the cohort"):
            try:
                training.add_member(actor, view.id, picked[0], picked[1])
                a11y.notice(f"{choices[picked].name} is in the cohort.")
                st.rerun()
            except NotValid as problem:
                forms.show_problems(problem, {"person": "New starter", "team": "Team"})


def runs(actor: Actor, view: CohortView) -> None:
    st.subheader("Exercises with this cohort")
    if view.status == "active":
        library = training.exercises(actor, include_retired=False)
        if library:
            ids = [e.id for e in library]
            cols = st.columns([3, 1], vertical_alignment="bottom")
            chosen = cols[0].selectbox(
                "Run an exercise now",
                ids,
                format_func=lambda i: next(e.title for e in library if e.id == i),
                key="cohort_run_exercise",
            )
            if cols[1].button(
                "Start it", type="primary", key="cohort_run_start", icon=":material/play_arrow:"
            ):
                open_run(training.start_run(actor, view.id, chosen))
        else:
            st.caption("Your exercise library is empty; add the starter library in the Exercise library tab.")
    if not view.runs:
        st.caption(
            "No exercises run yet. When you start one, participants see it on their own devices straight away."
        )
        return
    for r in view.runs:
        cols = st.columns([4, 2, 1], vertical_alignment="center")
        state = "happening now" if r.status == "open" else "finished"
        cols[0].markdown(f"**{plain(r.exercise_title)}** · {r.started_at:%d %b %Y} · {state}")
        cols[1].caption(f"step {r.current_step + 1} of {r.steps} · {r.people_answered} answered")
        if cols[2].button(
            f"Open {plain(r.exercise_title)}, {r.started_at:%d %b}", key=f"cohort_open_run_{r.id}"
        ):
            open_run(r.id)


def into_supervision(actor: Actor, view: CohortView) -> None:
    st.subheader("Into supervision")
    st.caption(
        "Training sticks when it is picked up in supervision. Choose a theme for a new starter to bring to "
        "their team's next group supervision; it appears on that agenda as a reflection they bring."
    )
    with_team = [m for m in view.members if m.team_id is not None]
    if not with_team:
        st.caption(
            "This works for new starters who are in a team; people who joined with the code have none yet."
        )
    else:
        names = {m.person_id: f"{m.name} · {m.team_name}" for m in with_team}
        with st.form("cohort_theme"):
            who = st.selectbox(
                "Whose supervision?", list(names), format_func=names.__getitem__, key="cohort_theme_who"
            )
            theme = st.text_area(
                "The theme to pick up",
                key="cohort_theme_text",
                placeholder="How I keep the relationship going when I have to share a worry",
            )
            if st.form_submit_button("Add to their team's next session"):
                try:
                    sent = training.send_theme(actor, view.id, who, theme)
                    a11y.notice(
                        f"Added to {sent.team_name}'s group supervision on {sent.scheduled_for:%A %d %B}."
                    )
                    st.rerun()
                except NotValid as problem:
                    forms.show_problems(problem, {"theme": "The theme", "person": "New starter"})
                except NotAllowed as refused:
                    st.warning(refused.message)
    if view.themes:
        st.dataframe(
            [
                {
                    "New starter": t.person,
                    "Team": t.team_name,
                    "Theme": t.theme,
                    "Session": f"{t.session_on:%d %b %Y}" if t.session_on else "",
                }
                for t in view.themes
            ],
            hide_index=True,
            width="stretch",
        )


def notes(actor: Actor, view: CohortView) -> None:
    st.subheader("Your notes on the cohort")
    with st.form(f"cohort_notes_{view.id}"):
        text = st.text_area("Notes", value=view.notes, height=140, key=f"cohort_notes_text_{view.id}")
        if st.form_submit_button("Save notes"):
            try:
                training.save_cohort_notes(actor, view.id, notes=text, version=view.version)
                a11y.notice("Notes saved.")
                st.rerun()
            except NotValid as problem:
                forms.show_problems(problem, {"notes": "Notes"})
            except EditConflict as conflict:
                forms.show_conflict(conflict, {"notes": "Notes saved now"})


def record(actor: Actor, view: CohortView) -> None:
    st.subheader("The induction record")
    rows = training.history(actor, view.id)
    with st.expander(f"Who answered what ({len(rows)} answers, with names: not for the shared screen)"):
        if rows:
            st.dataframe(
                [
                    {
                        "Person": r.person,
                        "Exercise": r.exercise,
                        "Step": r.step,
                        "Question": r.question,
                        "Answer": r.answer,
                    }
                    for r in rows
                ],
                hide_index=True,
                width="stretch",
            )
        else:
            st.caption("Answers will collect here as the cohort takes part in exercises.")
    cols = st.columns(2)
    downloads.file(
        "Download as a spreadsheet (CSV)",
        lambda who: training.history_csv(who, view.id),
        file_name="induction-record.csv",
        key="cohort_csv",
        where=cols[0],
        icon=":material/table:",
    )
    downloads.file(
        "Download as a PDF",
        lambda who: training.history_pdf(who, view.id),
        file_name="induction-record.pdf",
        key="cohort_pdf",
        where=cols[1],
        icon=":material/picture_as_pdf:",
    )
    if view.status == "active":
        with st.popover("Finish this cohort"):
            st.caption(
                "The join code stops working, exercises close, and training-only sign-ins end. "
                "The record stays here."
            )
            if st.button("Finish the cohort", key="cohort_finish"):
                training.close_cohort(actor, view.id)
                st.rerun()
