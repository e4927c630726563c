"""What the risk log's reads and writes share: scope, small queries, and checking a draft."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from db import clock, names, restriction
from db.access import Actor, case_team_ids
from db.clock import utcnow
from db.engine import session_scope
from db.errors import EditConflict, NotAllowed
from db.models import (
    WHOSE_RISK,
    Case,
    RiskEntry,
    RiskHolder,
    RiskReview,
    SupervisionSession,
    Team,
)
from db.risk_log.labels import FIELD_LABELS, REVIEW_WITHIN_DAYS, Choice, FormOptions, RiskDraft
from db.risk_threads import is_closed, next_review
from db.validation import Checks, shown


# --- Scope ---------------------------------------------------------------------------------
def teams_for(actor: Actor) -> tuple[Choice, ...]:
    """The teams whose log this person may open (none for trainers and administrators)."""
    reachable = case_team_ids(actor)
    return tuple(Choice(m.team_id, m.team_name) for m in actor.memberships if m.team_id in reachable)


def _require_team(actor: Actor, team_id: int) -> None:
    if team_id not in case_team_ids(actor):
        raise NotAllowed(
            "This team's worries aren't open to you: only the team and its managers see its log."
        )


def _is_manager_of(actor: Actor, team_id: int) -> bool:
    return actor.role == "manager" and any(
        m.team_id == team_id and m.role == "manager" for m in actor.memberships
    )


def _today(today: date | None) -> date:
    return today or clock.today()


# --- Small queries shared by reads and writes ----------------------------------------------
def _latest(s: Session, thread_id: str, *, lock: bool = False) -> RiskEntry | None:
    query = (
        select(RiskEntry)
        .where(RiskEntry.thread_id == thread_id)
        .order_by(col(RiskEntry.revision).desc())
        .limit(1)
    )
    if lock:  # PostgreSQL: two people writing to one thread queue here (SQLite already does)
        query = query.with_for_update()
    return s.exec(query).first()


def _reviews(s: Session, thread_id: str) -> list[RiskReview]:
    return list(
        s.exec(
            select(RiskReview)
            .where(RiskReview.thread_id == thread_id)
            .order_by(col(RiskReview.reviewed_at), col(RiskReview.id))
        ).all()
    )


def _stamp(entry: RiskEntry, reviews: list[RiskReview]) -> str:
    return f"{entry.revision}.{len(reviews)}"


def _current_members(s: Session, team_id: int) -> dict[int, str]:
    return dict(names.team_members(s, team_id))


def _names(s: Session, ids: set[int]) -> dict[int, str]:
    return names.of(s, ids)


def _session_label(session: SupervisionSession) -> str:
    return f"Group supervision, {session.scheduled_for:%A %d %B %Y}"


def form_options(actor: Actor, team_id: int) -> FormOptions:
    """The families, people and sessions an entry for this team can name."""
    _require_team(actor, team_id)
    with session_scope() as s:
        team = s.get(Team, team_id)
        if team is None:
            raise NotAllowed("That team isn't in Circle any more.")
        cases = s.exec(
            select(Case.id, Case.reference)
            .where(Case.team_id == team_id, Case.status != "closed", restriction.case_in_use(Case.id))
            .order_by(Case.reference)
        ).all()
        sessions = s.exec(
            select(SupervisionSession)
            .where(
                SupervisionSession.team_id == team_id,
                SupervisionSession.scheduled_for <= utcnow() + timedelta(days=7),
            )
            .order_by(col(SupervisionSession.scheduled_for).desc())
            .limit(12)
        ).all()
        return FormOptions(
            team_id=team_id,
            team_name=team.name,
            cases=tuple(Choice(int(cid), ref) for cid, ref in cases),
            members=tuple(Choice(pid, name) for pid, name in _current_members(s, team_id).items()),
            sessions=tuple(Choice(int(x.id), _session_label(x)) for x in sessions),
        )


# --- Validation ----------------------------------------------------------------------------
def _check_draft(
    s: Session,
    team_id: int,
    draft: RiskDraft,
    *,
    today: date,
    raised_on: date | None = None,
    unchanged_review_on: date | None = None,
    kept: RiskEntry | None = None,
) -> dict[str, object]:
    """Clean an entry's fields, or raise NotValid with a message for each thing to change."""
    c = Checks()
    values: dict[str, object] = {}
    _check_words(c, draft, values)
    _check_people(s, c, team_id, draft, values, kept)
    _check_links(s, c, team_id, draft, values, kept)
    _check_review_on(
        c, draft, values, today=today, raised_on=raised_on or today, unchanged_review_on=unchanged_review_on
    )
    c.raise_if_any()
    return values


def _check_words(c: Checks, draft: RiskDraft, values: dict[str, object]) -> None:
    """The worry, whose risk it feels like and why, what was decided, and the two scales."""
    values["worry"] = c.text("worry", draft.worry, "The worry", max_len=2000)
    values["whose_risk"] = draft.whose_risk
    if draft.whose_risk not in WHOSE_RISK:
        c.add(
            "whose_risk",
            "Please choose whose risk this feels like. There's no wrong answer; 'some of each' is fine.",
        )
    values["whose_risk_reasoning"] = c.text(
        "whose_risk_reasoning", draft.whose_risk_reasoning, "What makes you think so", max_len=2000
    )
    for name in ("reasonable_for_age", "family_view", "keeping_safe"):
        values[name] = c.text(name, getattr(draft, name), FIELD_LABELS[name], required=False, max_len=2000)
    values["decision"] = c.text("decision", draft.decision, "What we decided", max_len=2000)
    values["decision_reasons"] = c.text("decision_reasons", draft.decision_reasons, "Why", max_len=2000)
    values["worry_before"] = c.scale("worry_before", draft.worry_before, "Worry before talking")
    values["worry_after"] = c.scale("worry_after", draft.worry_after, "Worry after talking")
    values["needs_manager"] = bool(draft.needs_manager)


def _check_people(
    s: Session, c: Checks, team_id: int, draft: RiskDraft, values: dict[str, object], kept: RiskEntry | None
) -> None:
    """Who holds it (two or more, all in the team now) and who raised it."""
    members = _current_members(s, team_id)
    holders = tuple(dict.fromkeys(draft.holder_ids))
    strangers = [pid for pid in holders if pid not in members]
    if strangers:
        gone = _names(s, set(strangers))
        c.add(
            "holder_ids",
            "Everyone holding a worry needs to be in the team now; "
            + ", ".join(gone.get(p, "someone") for p in strangers)
            + " isn't. Please choose someone else.",
        )
    elif len(holders) < 2:
        c.add(
            "holder_ids",
            "Please choose at least two people to hold this: nobody holds a worry alone.",
        )
    values["holder_ids"] = holders

    raised_by = draft.raised_by_id
    # A correction may keep who raised it even if they have since left the team.
    if raised_by is None or (raised_by not in members and not (kept and raised_by == kept.raised_by_id)):
        c.add("raised_by_id", "Please choose who raised this from the people in the team now.")
    values["raised_by_id"] = raised_by


def _check_links(
    s: Session, c: Checks, team_id: int, draft: RiskDraft, values: dict[str, object], kept: RiskEntry | None
) -> None:
    """The family and the session it names, both the team's own."""
    if draft.case_id is not None:
        status = s.exec(select(Case.status).where(Case.id == draft.case_id, Case.team_id == team_id)).first()
        if status is None:
            c.add("case_id", "That family isn't on this team's board; please choose again.")
        elif restriction.is_restricted(s, "case", draft.case_id):
            raise NotAllowed(restriction.RESTRICTED_MESSAGE)
        elif status == "closed" and not (kept and kept.case_id == draft.case_id):
            c.add(
                "case_id", "Our work with that family has closed; please choose a family we're working with."
            )
    values["case_id"] = draft.case_id
    if draft.session_id is not None:
        found = s.exec(
            select(SupervisionSession.id).where(
                SupervisionSession.id == draft.session_id, SupervisionSession.team_id == team_id
            )
        ).first()
        if found is None:
            c.add("session_id", "That session isn't one of this team's; please choose again.")
    values["session_id"] = draft.session_id


def _check_review_on(
    c: Checks,
    draft: RiskDraft,
    values: dict[str, object],
    *,
    today: date,
    raised_on: date,
    unchanged_review_on: date | None,
) -> None:
    """When the team looks at it again: after it was raised, and (when changed) within six months."""
    # The form hands over the text typed when it isn't a date: refused, naming the field.
    review_on = c.readable_day("review_on", draft.review_on, FIELD_LABELS["review_on"])
    if review_on is None:
        c.add("review_on", "Please choose when the team will look at this again.")
    elif review_on <= raised_on:
        c.add(
            "review_on",
            f"The review needs to come after the worry was raised ({raised_on:%d %B %Y}); "
            "please choose a later date.",
        )
    elif review_on != unchanged_review_on:
        if review_on <= today or review_on > today + timedelta(days=REVIEW_WITHIN_DAYS):
            c.add(
                "review_on",
                f"The review can be from {shown(today + timedelta(days=1))} to "
                f"{shown(today + timedelta(days=REVIEW_WITHIN_DAYS))} (within six months, so the team "
                f"comes back to it while it's still fresh); {shown(review_on)} is outside that. "
                "You can always keep holding it for longer at the review.",
            )
    values["review_on"] = review_on


def _add_revision(s: Session, entry: RiskEntry, holder_ids: tuple[int, ...]) -> RiskEntry:
    s.add(entry)
    s.flush()
    s.add_all(RiskHolder(risk_entry_id=entry.id, person_id=pid) for pid in holder_ids)
    return entry


def _holder_ids(s: Session, entry_id: int) -> tuple[int, ...]:
    return tuple(
        int(pid)
        for pid in s.exec(select(RiskHolder.person_id).where(RiskHolder.risk_entry_id == entry_id)).all()
    )


def _copy(entry: RiskEntry, **changes: object) -> RiskEntry:
    data = entry.model_dump(exclude={"id"})
    data.update(changes)
    return RiskEntry(**data)


def _writable_thread(
    s: Session, actor: Actor, thread_id: str, stamp: str
) -> tuple[RiskEntry, list[RiskReview]]:
    """The newest revision, locked, after checking scope and that nobody changed it meanwhile."""
    entry = _latest(s, thread_id, lock=True)
    if entry is None:
        raise NotAllowed("That worry isn't in the log.")
    _require_team(actor, entry.team_id)
    restriction.require_worry_in_use(s, thread_id)
    reviews = _reviews(s, thread_id)
    if _stamp(entry, reviews) != stamp:
        newest = max(
            [(entry.created_at, entry.created_by_id)] + [(r.reviewed_at, r.reviewed_by_id) for r in reviews]
        )
        who = _names(s, {newest[1]}).get(newest[1], "A colleague")
        last = reviews[-1] if reviews else None
        due = next_review(entry, last)
        theirs: dict[str, object] = {
            FIELD_LABELS["worry"]: entry.worry,
            FIELD_LABELS["keeping_safe"]: entry.keeping_safe,
            FIELD_LABELS["decision"]: entry.decision,
            FIELD_LABELS["status"]: "closed" if is_closed(entry, last) else "open",
            FIELD_LABELS["review_on"]: f"{due:%d %B %Y}" if due else "",
        }
        if last is not None:
            theirs[FIELD_LABELS["what_we_learned"]] = last.what_we_learned
        raise EditConflict(
            f"{who} added to this worry at {newest[0]:%H:%M on %d %B} while you had it open, so "
            "nothing was saved over their change. What you typed is still in the form: have a look at "
            "the worry as it is now, then save again if it still fits.",
            theirs,
        )
    return entry, reviews


def _integrity_to_conflict(exc: IntegrityError) -> EditConflict:
    return EditConflict(
        "A colleague saved a change to this worry at the same moment, so nothing was saved over theirs. "
        "What you typed is still in the form: look at the worry as it is now, then save again."
    )
