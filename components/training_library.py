"""The exercise library on the trainer's screen: browse, preview, edit, copy, retire, import, export."""

from __future__ import annotations

import json

import streamlit as st

from components import a11y, downloads, forms, training_step
from components.text import plain
from db import training
from db.access import Actor
from db.errors import EditConflict, NotValid
from db.training import KIND_LABELS, ExerciseView

LABELS = {
    "title": "Title",
    "kind": "Kind of exercise",
    "vignette": "The case",
    "steps": "Steps",
    "file": "The file",
    "exercise": "Exercise",
    "status": "Status",
}


def _imported(result: training.ImportResult) -> None:
    parts = []
    if result.added:
        parts.append(f"{len(result.added)} added")
    if result.updated:
        parts.append(f"{len(result.updated)} updated")
    if result.copied:
        parts.append(f"{len(result.copied)} added as copies (the originals have been run with a cohort)")
    if result.unchanged:
        parts.append(f"{len(result.unchanged)} already here as they are")
    a11y.notice("Imported: " + ", ".join(parts) + ".")


def import_export(actor: Actor, library: tuple[ExerciseView, ...]) -> None:
    cols = st.columns(2)
    with cols[0]:
        if library:
            downloads.file(
                "Export the library (JSON)",
                training.export_exercises,
                file_name="circle-exercises.json",
                key="library_export",
                icon=":material/download:",
            )
    with cols[1], st.popover("Import exercises from a file", icon=":material/upload:"):
        upload = st.file_uploader("A Circle exercise file (.json)", type=["json"], key="library_upload")
        if st.button("Import them", key="library_import", disabled=upload is None):
            try:
                _imported(training.import_exercises(actor, upload.getvalue()))  # type: ignore[union-attr]  # None is ruled out before this line, in a way mypy does not follow
                st.rerun()
            except NotValid as problem:
                forms.show_problems(problem, LABELS)


def empty(actor: Actor) -> None:
    st.info(
        "Your library is empty. Circle comes with seven exercises on made-up families (a relationship "
        "check-in, which risk are we managing, the social discipline window, rewriting a case note, "
        "three columns and a scale, the six Ps and restorative questions). Add them to start, then edit "
        "or copy them to make your own.",
        icon=":material/library_books:",
    )
    if st.button("Add the starter library", key="library_starter", type="primary"):
        _imported(training.import_starter_library(actor))
        st.rerun()


def table(library: tuple[ExerciseView, ...]) -> None:
    st.dataframe(
        [
            {
                "Exercise": e.title,
                "Kind": KIND_LABELS.get(e.kind, e.kind),
                "Steps": len(e.steps),
                "Run with cohorts": e.runs,
                "In use": "yes" if e.status == "active" else "retired",
            }
            for e in library
        ],
        hide_index=True,
        width="stretch",
    )


def preview(ex: ExerciseView) -> None:
    st.markdown("**The case**")
    st.text(ex.vignette)
    for n, step in enumerate(ex.steps):
        with st.container(border=True):
            training_step.prompt(step, n + 1, len(ex.steps))
            for f in step.fields:
                kind = {"scale": "0 to 10", "choice": " / ".join(f.options), "text": "written answer"}[f.type]
                st.markdown(f"- {plain(f.label)} · *{plain(kind)}*")
            training_step.model_answer(step)


def actions(actor: Actor, ex: ExerciseView) -> None:
    cols = st.columns(3)
    if cols[0].button("Make a copy to change", key=f"library_copy_{ex.id}", icon=":material/content_copy:"):
        new_id = training.copy_exercise(actor, ex.id)
        st.session_state["library_pick"] = new_id
        a11y.notice("Copied. The copy is open below for you to change.")
        st.rerun()
    retiring = ex.status == "active"
    if cols[1].button(
        "Retire it" if retiring else "Bring it back into use",
        key=f"library_status_{ex.id}",
        icon=":material/archive:" if retiring else ":material/unarchive:",
    ):
        try:
            training.set_status(actor, ex.id, "retired" if retiring else "active", ex.version)
            a11y.notice(
                "Retired: it stays in cohorts' history, and won't be offered for new runs."
                if retiring
                else "Back in use."
            )
            st.rerun()
        except EditConflict as conflict:
            st.warning(conflict.message)
    downloads.file(
        "Export this one",
        lambda who: training.export_exercises(who, [ex.id]),
        file_name=f"{ex.slug}.json",
        key=f"library_export_{ex.id}",
        where=cols[2],
        icon=":material/download:",
    )


def edit_form(actor: Actor, ex: ExerciseView) -> None:
    key = f"library_edit_{ex.id}_{ex.version}"
    with st.form(key):
        title = st.text_input("Title", value=ex.title, key=f"{key}_title")
        kinds = list(KIND_LABELS)
        kind = st.selectbox(
            "Kind of exercise",
            kinds,  # type: ignore[arg-type]  # Streamlit's option type is inferred from format_func=dict.get and collapses to Never
            index=kinds.index(ex.kind) if ex.kind in kinds else len(kinds) - 1,
            format_func=KIND_LABELS.get,  # type: ignore[arg-type]  # dict.get as format_func: every option is one of the dict's keys
            key=f"{key}_kind",
        )
        vignette = st.text_area(
            "The case (fictional, always)",
            value=ex.vignette,
            height=200,
            key=f"{key}_vignette",
        )
        steps = []
        for n, step in enumerate(ex.steps):
            st.markdown(f"**Step {n + 1}**")
            data = step.as_dict()
            data["title"] = st.text_input("Step title", value=step.title, key=f"{key}_t{n}")
            data["prompt"] = st.text_area("Prompt", value=step.prompt, key=f"{key}_p{n}")
            data["model_answer"] = st.text_area(
                "Model answer (revealed by you during the run)",
                value=step.model_answer,
                key=f"{key}_m{n}",
            )
            raw = st.text_area(
                "Questions (JSON: text, scale 0 to 10, or choice with options)",
                value=json.dumps(data["fields"], ensure_ascii=False, indent=1),
                height=120,
                key=f"{key}_f{n}",
            )
            try:
                data["fields"] = json.loads(raw)
            except json.JSONDecodeError:
                data["fields"] = None
            steps.append(data)
        more = st.checkbox("Add a step with one written answer at the end", key=f"{key}_more")
        if st.form_submit_button("Save changes", type="primary"):
            if more:
                steps.append(
                    {
                        "title": "A new step",
                        "prompt": "What do you notice?",
                        "fields": [{"key": "answer", "label": "Your answer", "type": "text"}],
                    }
                )
            try:
                training.update_exercise(
                    actor, ex.id, version=ex.version, title=title, kind=kind, vignette=vignette, steps=steps  # type: ignore[arg-type]  # Optional in its type, set on this path (a saved row, a chosen option or a checked value)
                )
                a11y.notice("Saved.")
                st.rerun()
            except NotValid as problem:
                forms.show_problems(problem, LABELS)
            except EditConflict as conflict:
                forms.show_conflict(conflict, {"title": "Title", "vignette": "The case"})


def new_form(actor: Actor) -> None:
    with st.form("library_new"):
        title = st.text_input("Title", key="library_new_title")
        kind = st.selectbox(
            "Kind of exercise", list(KIND_LABELS), format_func=KIND_LABELS.__getitem__, key="library_new_kind"
        )
        vignette = st.text_area(
            "The case",
            height=160,
            key="library_new_vignette",
            help="Always made up. Use first names or initials that belong to nobody you work with.",
        )
        prompt = st.text_area("The first question", key="library_new_prompt")
        model = st.text_area("Your model answer (optional)", key="library_new_model")
        if st.form_submit_button("Add to the library"):
            try:
                new_id = training.create_exercise(
                    actor,
                    title=title,
                    kind=kind,
                    vignette=vignette,
                    steps=[
                        {
                            "title": "First thoughts",
                            "prompt": prompt,
                            "fields": [{"key": "answer", "label": "Your answer", "type": "text"}],
                            "model_answer": model,
                        }
                    ],
                )
                st.session_state["library_pick"] = new_id
                a11y.notice("Added. You can add more steps by editing it.")
                st.rerun()
            except NotValid as problem:
                forms.show_problems(problem, LABELS | {"steps": "The first question"})


def show(actor: Actor) -> None:
    library = training.exercises(actor)
    import_export(actor, library)
    if not library:
        empty(actor)
        return
    table(library)
    with st.expander("Write a new exercise"):
        new_form(actor)
    ids = [e.id for e in library]
    picked = st.session_state.get("library_pick")
    chosen = st.selectbox(
        "Open an exercise",
        ids,
        index=ids.index(picked) if picked in ids else 0,
        format_func=lambda i: next(e.title for e in library if e.id == i),
    )
    st.session_state["library_pick"] = chosen
    ex = next(e for e in library if e.id == chosen)
    actions(actor, ex)
    look, change = st.tabs(["What people will see", "Change it"])
    with look:
        preview(ex)
    with change:
        if ex.runs:
            st.caption(
                "A cohort has answered this exercise, so you can change its wording but not its questions. "
                "Make a copy to change the questions."
            )
        edit_form(actor, ex)
