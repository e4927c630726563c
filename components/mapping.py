"""The mapping and formulation of one case, edited by several people at once.

How editing together works on screen:
- When the form first opens, the text it starts from (the *base*) and its version are kept
  in session state. Every save is made against that version.
- If a colleague saved in between, the save is refused (db.cases.MappingConflict). What the
  person typed stays in the form. Their colleague's changes to fields this person did not
  touch are taken into the form at once; fields both of them changed are shown side by
  side, each with a button to take the colleague's text. The base moves to the colleague's
  version, so the next save goes through, and nothing was overwritten unseen.

Keys are prefixed `case_map_<case id>_`.
"""

from __future__ import annotations

import copy
import functools
from datetime import datetime

import altair as alt
import streamlit as st

from components import lens
from components.forms import show_problems
from components.text import plain
from db import cases, clock
from db.access import Actor
from db.cases import FIELD_LABELS, FORMULATION_FIELDS, MAPPING_FIELDS, MappingView, Revision
from db.errors import NotValid

SCALE_MEANING = (
    "0 means we are sure the child will be harmed if nothing changes; 10 means everyone, the "
    "family included, is confident the child is safe enough for us to step back."
)
PROMPTS = {
    "worries": "What has happened, and what are we worried could happen next?",
    "working_well": "What is already keeping the child safe and well? Who helps?",
    "needs_to_happen": "What needs to happen next, and who will do it?",
    "danger_statement": "In words the family would understand: what are we worried will happen if nothing changes?",
    "safety_goal": "In words the family would understand: what will be different when the child is safe enough?",
    "presenting": "What is happening now?",
    "predisposing": "What in the past made this more likely?",
    "precipitating": "What set it off this time?",
    "perpetuating": "What keeps it going?",
    "protective": "What and who helps? What strengths are there?",
    "plan": "So what will we do, and how will we know it helped?",
}


def _key(case_id: int, name: str) -> str:
    return f"case_map_{case_id}_{name}"


def _norm(field: str, value: object) -> object:
    return value if field == "scale" else str(value or "").strip()


def _load(case_id: int, view: MappingView) -> None:
    """Start the form from what is saved, unless it already holds this person's work."""
    ss = st.session_state
    widgets = [_key(case_id, f) for f in cases.ALL_FIELDS]
    if _key(case_id, "base") in ss and all(k in ss for k in widgets):
        pending = ss.pop(_key(case_id, "pending"), {})
        for field, value in pending.items():
            ss[_key(case_id, field)] = value
        return
    ss[_key(case_id, "base")] = view.version
    ss[_key(case_id, "snap")] = dict(view.fields)
    for field in cases.ALL_FIELDS:
        ss[_key(case_id, field)] = view.fields[field]


CHOICES = {"theirs": "Use their text", "mine": "Keep mine", "both": "Keep both"}


def _choose(case_id: int, field: str, choice: str) -> None:
    """Put their text, the person's own, or both into the form field. The comparison stays
    on screen with the person's own words (as they were when the save was refused) until they
    save or put it away, so choosing is never losing."""
    conflict = st.session_state.get(_key(case_id, "conflict"))
    if not conflict:
        return
    theirs, mine = conflict["theirs"][field], conflict["mine"][field]
    if choice == "theirs":
        value = theirs
    elif choice == "mine":
        value = mine
    else:
        value = "\n\n".join(part for part in (str(theirs or "").strip(), str(mine or "").strip()) if part)
    st.session_state[_key(case_id, field)] = value
    conflict["chosen"][field] = choice


def _dismiss(case_id: int) -> None:
    st.session_state.pop(_key(case_id, "conflict"), None)


def _save(actor: Actor, case_id: int, fields: tuple[str, ...]) -> None:
    ss = st.session_state
    changes = {f: ss[_key(case_id, f)] for f in fields}
    try:
        saved = cases.save_mapping(actor, case_id, changes, base_version=ss[_key(case_id, "base")])
    except cases.MappingConflict as conflict:
        base = ss[_key(case_id, "snap")]
        theirs = conflict.theirs
        mine = {f: ss[_key(case_id, f)] for f in cases.ALL_FIELDS}
        taken, contested = [], []
        for f in cases.ALL_FIELDS:
            theirs_changed = _norm(f, theirs[f]) != _norm(f, base[f])
            mine_changed = _norm(f, mine[f]) != _norm(f, base[f])
            if theirs_changed and not mine_changed:
                taken.append(f)
            elif theirs_changed and _norm(f, mine[f]) != _norm(f, theirs[f]):
                contested.append(f)
        ss[_key(case_id, "pending")] = {f: theirs[f] for f in taken}
        ss[_key(case_id, "conflict")] = {
            "message": conflict.message,
            "saved_by": conflict.saved_by,
            "version": conflict.version,
            "theirs": dict(theirs),
            "mine": {f: mine[f] for f in contested},
            "chosen": {},
            "contested": contested,
            "taken": taken,
        }
        ss[_key(case_id, "base")] = conflict.version
        ss[_key(case_id, "snap")] = dict(theirs)
        st.rerun()
    except NotValid as problem:
        show_problems(problem, FIELD_LABELS)
        return
    if saved.changed:
        ss[_key(case_id, "base")] = saved.version
        ss[_key(case_id, "snap")] = {
            **ss[_key(case_id, "snap")],
            **{f: _clean(f, v) for f, v in changes.items()},
        }
        ss.pop(_key(case_id, "conflict"), None)
        ss["case_flash"] = (f"Saved as version {saved.version}. The whole team sees it now.", saved.warning)
    else:
        ss["case_flash"] = ("Nothing had changed, so there was nothing new to save.", None)
    st.rerun()


def _clean(field: str, value: object) -> object:
    return value if field == "scale" else str(value or "").strip()


def conflict_panel(case_id: int) -> None:
    """Both versions side by side, while a refused save is being merged."""
    conflict = st.session_state.get(_key(case_id, "conflict"))
    if not conflict:
        return
    with st.container(border=True):
        st.warning(plain(conflict["message"]), icon=":material/group:")
        if conflict["taken"]:
            st.info(
                f"{plain(conflict['saved_by'])} also changed "
                + ", ".join(cases.FIELD_SHORT[f] for f in conflict["taken"])
                + ". You hadn't touched those, so their text is now in your form.",
                icon=":material/merge:",
            )
        for field in conflict["contested"]:
            label = FIELD_LABELS[field]
            st.markdown(f"**{label}**: you both changed this")
            theirs_col, mine_col = st.columns(2)
            with theirs_col:
                st.caption(f"Saved by {plain(conflict['saved_by'])} (version {conflict['version']})")
                st.text(_show(conflict["theirs"][field]))
            with mine_col:
                st.caption("Yours, as you typed it (not saved yet)")
                st.text(_show(conflict["mine"][field]))
            choices = CHOICES if field != "scale" else {k: v for k, v in CHOICES.items() if k != "both"}
            buttons = st.columns(len(choices))
            for column, (choice, words) in zip(buttons, choices.items(), strict=True):
                column.button(
                    f"{words}: {label}",
                    key=_key(case_id, f"{choice}_{field}"),
                    on_click=_choose,
                    args=(case_id, field, choice),
                    type="primary" if conflict["chosen"].get(field) == choice else "secondary",
                )
            chosen = conflict["chosen"].get(field)
            st.caption(
                {
                    None: "The form still holds yours. Choose, or edit the form yourself.",
                    "theirs": "The form now holds their text; yours is still shown here until you save.",
                    "mine": "The form holds yours.",
                    "both": "The form holds theirs, then yours. Edit it so it says what you both meant.",
                }[chosen]
            )
        if not conflict["contested"]:
            st.caption("Nothing you typed clashes with theirs. Have a look at the form, then save again.")
        else:
            st.caption(
                "Edit the form so it holds what you both meant (you can copy from either side), then save again."
            )
        st.button("Hide this comparison", key=_key(case_id, "dismiss"), on_click=_dismiss, args=(case_id,))


def _show(value: object) -> str:
    if value is None:
        return "(not scaled)"
    text = str(value)
    return text if text.strip() else "(empty)"


def _scale_widget(case_id: int) -> None:
    st.select_slider(
        "Safety scale: where are things now, from 0 to 10?",
        options=[None, *range(11)],
        format_func=lambda v: "not yet" if v is None else str(v),
        key=_key(case_id, "scale"),
        help=SCALE_MEANING,
    )
    st.caption(SCALE_MEANING)


def mapping_form(actor: Actor, case_id: int, view: MappingView) -> None:
    _load(case_id, view)
    with st.form(_key(case_id, "mapping_form")):
        cols = st.columns(3)
        for column, field in zip(cols, ("worries", "working_well", "needs_to_happen"), strict=True):
            column.text_area(
                FIELD_LABELS[field],
                key=_key(case_id, field),
                height=260,
                placeholder=PROMPTS[field],
            )
        left, right = st.columns(2)
        left.text_area(
            FIELD_LABELS["danger_statement"],
            key=_key(case_id, "danger_statement"),
            placeholder=PROMPTS["danger_statement"],
        )
        right.text_area(
            FIELD_LABELS["safety_goal"],
            key=_key(case_id, "safety_goal"),
            placeholder=PROMPTS["safety_goal"],
        )
        _scale_widget(case_id)
        if st.form_submit_button("Save the mapping", type="primary", icon=":material/save:"):
            _save(actor, case_id, MAPPING_FIELDS)
    _lens(case_id, MAPPING_FIELDS)


def formulation_form(actor: Actor, case_id: int, view: MappingView) -> None:
    _load(case_id, view)
    st.caption(
        "A second lens on the same family: what is happening now, how it came about, what keeps it "
        "going, what helps, and what you will do."
    )
    with st.form(_key(case_id, "formulation_form")):
        left, right = st.columns(2)
        for i, field in enumerate(FORMULATION_FIELDS):
            (left if i % 2 == 0 else right).text_area(
                FIELD_LABELS[field],
                key=_key(case_id, field),
                placeholder=PROMPTS[field],
            )
        if st.form_submit_button("Save the formulation", type="primary", icon=":material/save:"):
            _save(actor, case_id, FORMULATION_FIELDS)
    _lens(case_id, FORMULATION_FIELDS)


def _lens(case_id: int, fields: tuple[str, ...]) -> None:
    """A gentle second look at the words, under the form; it never changes them."""
    text = "\n".join(str(st.session_state.get(_key(case_id, f)) or "") for f in fields if f != "scale")
    lens.hint(text, key=_key(case_id, f"lens_{fields[0]}"))


def read_only(view: MappingView, fields: tuple[str, ...]) -> None:
    """For those who look on (managers): the same text, without the editing."""
    if view.version == 0:
        st.info("The team hasn't mapped this case yet.", icon=":material/map:")
        return
    text_fields = [f for f in fields if f != "scale"]
    # The three mapping columns side by side, then the statements (or the six Ps) in pairs.
    rows = [text_fields[:3], text_fields[3:]] if fields == MAPPING_FIELDS else [text_fields]
    for row in rows:
        columns = st.columns(len(row) if fields == MAPPING_FIELDS else 2)
        for i, field in enumerate(row):
            with columns[i % len(columns)]:
                st.markdown(f"**{FIELD_LABELS[field]}**")
                st.text(_show(view.fields[field]))
    if "scale" in fields:
        st.markdown(f"**Safety scale**: {_show(view.fields['scale'])} out of 10")
        st.caption(SCALE_MEANING)


def saved_line(view: MappingView) -> None:
    if view.version == 0:
        st.caption(
            "Nobody has mapped this case yet. What the team writes here is kept, with every "
            "version, so you can always see how thinking changed."
        )
    elif view.saved_at:
        st.caption(
            f"Version {view.version}, saved by {plain(view.saved_by or 'a colleague')} "
            f"on {clock.when(view.saved_at, '%d %B %Y at %H:%M')}"
        )


@functools.cache
def _scale_spec() -> dict:
    """The chart's shape, built once by Altair (its checks run once, not on every rerun); each
    draw adds only the points."""
    return (
        alt.Chart(alt.NamedData("points"))
        .mark_line(point=alt.OverlayMarkDef(size=80), strokeWidth=3)
        .encode(
            x=alt.X("When:T", title="When the mapping was saved"),
            y=alt.Y("Scale:Q", scale=alt.Scale(domain=[0, 10]), title="Safety scale (0 to 10)"),
            tooltip=["Version:Q", "Scale:Q", "Saved by:N", alt.Tooltip("When:T", format="%d %b %Y")],
        )
        .properties(title="How safe the team judged things each time the mapping was saved", height=240)
        .to_dict()
    )


def scale_chart(revisions: list[Revision]) -> None:
    points = [
        {"When": r.saved_at, "Scale": r.scale, "Saved by": r.saved_by, "Version": r.version}
        for r in revisions
        if r.scale is not None
    ]
    if len(points) < 2:
        st.caption("The scale's history will draw here once the mapping has been scaled at least twice.")
        return
    values = [{**p, "When": p["When"].isoformat()} for p in points]  # type: ignore[attr-defined]  # typed object (a mixed-field dict's value or any record's id); its real type is set where it is made
    st.vega_lite_chart({**copy.deepcopy(_scale_spec()), "data": {"values": values}}, width="stretch")
    first, last = points[-1]["Scale"], points[0]["Scale"]
    if last > first:  # type: ignore[operator]  # typed object (a mixed-field dict's value or any record's id); its real type is set where it is made
        st.caption(f"The scale has moved up from {first} to {last} since it was first scored.")
    elif last < first:  # type: ignore[operator]  # typed object (a mixed-field dict's value or any record's id); its real type is set where it is made
        st.caption(
            f"The scale has moved down from {first} to {last} since it was first scored: "
            "worth asking together what has changed."
        )
    else:
        st.caption(f"The scale is where it started, at {last}.")


def history(revisions: list[Revision]) -> None:
    if not revisions:
        st.info(
            "Every saved version of the mapping will be listed here, with who saved it and what changed.",
            icon=":material/history:",
        )
        return
    for r in revisions:
        when = f"{r.saved_at:%d %b %Y, %H:%M}" if isinstance(r.saved_at, datetime) else ""
        with st.expander(f"Version {r.version} · {plain(r.saved_by)} · {when}"):
            if not r.changes:
                st.caption("Saved with nothing changed.")
            for change in r.changes:
                st.markdown(f"**{change.label}**")
                before, after = st.columns(2)
                before.caption("Before")
                before.text(_show(change.before) if r.version > 1 else "(new)")
                after.caption("After")
                after.text(_show(change.after))
