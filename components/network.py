"""The people around the child: who they are, how strong the relationship is, and who is
best placed to have which conversation. Editors add and change; others look on."""

from __future__ import annotations

import streamlit as st

from components import fields, text
from components.forms import show_conflict, show_problems
from components.text import plain
from db import cases
from db.access import Actor
from db.cases import NETWORK_KINDS, NETWORK_LABELS, NetworkPerson
from db.errors import EditConflict, NotValid

KIND_WORDS = {"family": "Family", "carer": "Carer", "friend": "Friend", "professional": "Professional"}
STRENGTH_HELP = "0 means there is no real relationship yet; 10 means the child trusts them completely."


def table(people: list[NetworkPerson]) -> None:
    if not people:
        st.info(
            "Nobody is mapped around this child yet. Who matters to them: family, carers, friends, "
            "the professionals they trust? Add the first person below.",
            icon=":material/diversity_3:",
        )
        return
    # A real table: a screen reader reads it in place (a grid on a canvas needs focusing first).
    text.table(
        [
            {
                NETWORK_LABELS["label"]: p.label,
                NETWORK_LABELS["kind"]: KIND_WORDS.get(p.kind, p.kind),
                "Relationship (0 to 10)": f"{p.relationship_strength} of 10",
                NETWORK_LABELS["best_placed_for"]: p.best_placed_for,
            }
            for p in people
        ]
    )


def _fields(prefix: str, person: NetworkPerson | None) -> tuple[str, str, int | None, str]:
    """The four fields, keyed so a refused save keeps what was typed."""
    ss = st.session_state
    if f"{prefix}_label" not in ss:
        ss[f"{prefix}_label"] = person.label if person else ""
        ss[f"{prefix}_kind"] = person.kind if person and person.kind in NETWORK_KINDS else NETWORK_KINDS[0]
        ss[f"{prefix}_strength"] = person.relationship_strength if person else None
        ss[f"{prefix}_best"] = person.best_placed_for if person else ""
    label = st.text_input(
        NETWORK_LABELS["label"],
        placeholder="A role, not a name: Nan, school nurse, boxing coach",
        key=f"{prefix}_label",
    )
    kind = st.selectbox(
        NETWORK_LABELS["kind"], NETWORK_KINDS, format_func=KIND_WORDS.__getitem__, key=f"{prefix}_kind"
    )
    strength = st.select_slider(
        NETWORK_LABELS["relationship_strength"],
        options=[None, *range(11)],
        format_func=lambda v: "not sure yet" if v is None else str(v),
        help=STRENGTH_HELP,
        key=f"{prefix}_strength",
    )
    best = st.text_area(
        NETWORK_LABELS["best_placed_for"],
        placeholder="Which conversations would the child most want to have with them?",
        key=f"{prefix}_best",
    )
    return label, kind, strength, best


def _forget(prefix: str) -> None:
    for name in ("label", "kind", "strength", "best"):
        st.session_state.pop(f"{prefix}_{name}", None)


def editor(actor: Actor, case_id: int, people: list[NetworkPerson]) -> None:
    with st.expander("Add someone who matters to the child", icon=":material/person_add:"):
        with st.form(f"case_net_add_{case_id}"):
            label, kind, strength, best = _fields(f"case_net_add_{case_id}", None)
            if st.form_submit_button("Add to the network"):
                try:
                    warning = cases.add_network_member(
                        actor,
                        case_id,
                        label=label,
                        kind=kind,
                        relationship_strength=strength,
                        best_placed_for=best,
                    )
                    st.session_state["case_flash"] = (
                        f"{plain(label.strip())} is in the network now.",
                        warning,
                    )
                    _forget(f"case_net_add_{case_id}")  # the next person starts from an empty form
                    st.rerun()
                except NotValid as problem:
                    show_problems(problem, NETWORK_LABELS)
    if not people:
        return
    with st.expander("Change someone's details", icon=":material/edit:"):
        names = {p.member_id: p.label for p in people}
        # By id, so renaming someone keeps the same person chosen (not whoever is first).
        chosen = fields.choose("Who", names, key=f"case_net_pick_{case_id}")
        person = next(p for p in people if p.member_id == chosen)
        base_key = f"case_net_base_{chosen}"
        if f"case_net_edit_{chosen}_label" not in st.session_state:
            st.session_state[base_key] = person.version  # the form starts from what is saved now
        with st.form(f"case_net_edit_{chosen}"):
            label, kind, strength, best = _fields(f"case_net_edit_{chosen}", person)
            if st.form_submit_button("Save changes"):
                try:
                    warning = cases.update_network_member(
                        actor,
                        chosen,
                        label=label,
                        kind=kind,
                        relationship_strength=strength,
                        best_placed_for=best,
                        version=st.session_state[base_key],
                    )
                    del st.session_state[base_key]
                    _forget(f"case_net_edit_{chosen}")
                    st.session_state["case_flash"] = ("Saved. The network is up to date.", warning)
                    st.rerun()
                except NotValid as problem:
                    show_problems(problem, NETWORK_LABELS)
                except EditConflict as conflict:
                    st.session_state[base_key] = person.version
                    show_conflict(conflict)
