"""Words we use: the relational-language lens explained, a place to try it, and the team's own words."""

from __future__ import annotations

import streamlit as st

from components import identity, lens
from components.text import table
from db import language_lens
from db.access import supervised_team_ids
from db.errors import NotAllowed

actor = identity.actor()
st.title("Words we use")
st.caption(
    "Words shape how a child or family is seen. Circle can offer a gentle second look at some words in what "
    "you write, with kinder words and why. It never changes your writing, and you can put a hint away."
)

st.header("Try it")
sample = st.text_area(
    "Write a sentence or two, as you might in a note",
    key="language_try",
    placeholder="Contact with Mum went well at the contact centre.",
)
if sample:
    if not lens.hint(sample, key="language_try_hint", dismissible=False):
        st.caption("Nothing to suggest there.")

teams = {m.team_id: m.team_name for m in actor.memberships}
if teams:
    st.header("Your team's own words")
    team_id = st.selectbox("Team", list(teams), format_func=teams.__getitem__, key="language_team")
    try:
        terms = language_lens.team_terms(actor, team_id)
    except NotAllowed as refused:
        st.warning(refused.message)
        terms = ()
    if terms:
        table(
            [
                {
                    "Words": t.term,
                    "You might say instead": t.alternatives,
                    "Why": t.why,
                    "Added by": t.added_by,
                }
                for t in terms
            ]
        )
    elif team_id in supervised_team_ids(actor):
        st.caption(
            "Your team hasn't added any words of its own yet. Add the ones your team would like to notice."
        )
    else:
        st.caption(
            "Your team hasn't added any words of its own yet. Your supervisor can add the ones your team "
            "would like to notice."
        )
    if team_id in supervised_team_ids(actor):
        lens.team_words_editor(actor, team_id, terms)

st.header("The words Circle looks for")
st.caption(
    "Circle's own list, drawn from what care-experienced young people, families and UK practice bodies have "
    "said. Legal terms stay right in court papers, and words inside quotation marks are left alone: a "
    "child's own words belong in the record."
)
st.dataframe(language_lens.word_list(), hide_index=True, width="stretch")
