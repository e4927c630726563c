"""Supervision agreements: how a practitioner and their supervisor will work together.

- An administrator keeps the council's template (`template`, `save_template`); every new
  agreement is drafted from it, or, at a review, from the agreement it replaces.
- The practitioner's supervisor drafts (`draft`); either of the two edits the draft
  (`update`, versioned: a stale save is refused with what is saved now); each records their
  agreement with the date (`agree`). Changing the words after someone agreed clears their
  agreement, so both always agreed to the same words.
- Once both have agreed, the revision is agreed and the one before it is kept, marked
  superseded. Agreements are reviewed yearly (`review_on`) or when the supervisor changes.

Who reaches what: the practitioner their own; a supervisor those of their supervised teams'
practitioners; nobody else (managers see only dates and counts, through
`db.supervision_frequency`; administrators find them through subject access).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlmodel import Session, col, select

from db import audit, names, versioning
from db.access import Actor, supervised_team_ids
from db.clock import today as local_today
from db.clock import utcnow
from db.engine import session_scope
from db.errors import NotAllowed, NotValid
from db.models import Membership, Person
from db.supervision_models import AgreementTemplate, SupervisionAgreement
from db.validation import Checks

TERMS = {
    "where_we_meet": "Where and when we meet",
    "practitioner_brings": "What the practitioner brings",
    "supervisor_brings": "What the supervisor brings",
    "disagreements": "How we raise disagreements and worries about practice",
    "missed_sessions": "If a session is missed",
    "confidentiality": "Confidentiality, and its limits",
}
FREQUENCIES = {
    "one_to_one_every_weeks": "One-to-one supervision every (weeks)",
    "group_every_weeks": "Group supervision every (weeks)",
}
TERM_LIMIT = 3000
REVIEW_AFTER = timedelta(days=365)

DEFAULT_TEMPLATE: dict[str, object] = {
    "one_to_one_every_weeks": 4,
    "group_every_weeks": 1,
    "first_year_every_weeks": 2,
    "where_we_meet": (
        "A quiet room where we won't be interrupted, or a video call when one of us is working "
        "away. We protect the time in both our diaries and start and finish when we said we would."
    ),
    "practitioner_brings": (
        "The children and families you'd like to think about, what's going well, what's been "
        "hard, and anything you'd like to learn. You choose what comes first."
    ),
    "supervisor_brings": (
        "Time that is yours, curiosity rather than a checklist, honest feedback given kindly, and "
        "what you need to know about changes in the service. I bring the actions we agreed last time."
    ),
    "disagreements": (
        "We say so, in supervision or soon after, and try to understand each other's view. If we "
        "still see a decision about a child differently, either of us can ask the service manager "
        "to talk it through with us both. Raising a worry about practice is welcome, never held against you."
    ),
    "missed_sessions": (
        "Whoever has to cancel rearranges within a week. If two in a row are missed, we talk about "
        "what's getting in the way and what would help."
    ),
    "confidentiality": (
        "What you share about your own wellbeing stays between us. Discussions about children and "
        "families are summarised for their case files. If something you tell me means a child or "
        "someone else could be at risk of harm, or raises a concern about conduct, I will need to act "
        "on it, and I will tell you first what I'm going to do."
    ),
}


@dataclass(frozen=True)
class Template:
    fields: dict[str, object]
    version: int
    updated_at: datetime | None


@dataclass(frozen=True)
class AgreementView:
    id: int
    practitioner_id: int
    practitioner: str
    supervisor_id: int
    supervisor: str
    team_id: int
    revision: int
    status: str
    one_to_one_every_weeks: int
    group_every_weeks: int
    first_year_until: date | None
    first_year_every_weeks: int | None
    terms: dict[str, str]
    practitioner_agreed_on: date | None
    supervisor_agreed_on: date | None
    review_on: date
    updated_at: datetime
    version: int

    def every_weeks_on(self, day: date) -> int:
        """How often one-to-ones are agreed on that day (more often in the assessed first year)."""
        if self.first_year_until and self.first_year_every_weeks and day <= self.first_year_until:
            return self.first_year_every_weeks
        return self.one_to_one_every_weeks


@dataclass(frozen=True)
class Practitioner:
    person_id: int
    name: str
    team_id: int
    current: AgreementView | None
    draft: AgreementView | None
    needs_review: bool


# ---------------------------------------------------------------- the council's template


def _template_row(s: Session) -> AgreementTemplate | None:
    return s.exec(select(AgreementTemplate).order_by(col(AgreementTemplate.id)).limit(1)).first()


def template(actor: Actor) -> Template:
    """The council's wording (supervisors draft from it; administrators change it)."""
    if actor.role not in ("supervisor", "admin"):
        raise NotAllowed("The agreement template is kept by administrators and used by supervisors.")
    with session_scope() as s:
        row = _template_row(s)
        if row is None:
            return Template(dict(DEFAULT_TEMPLATE), 0, None)
        return Template({k: getattr(row, k) for k in DEFAULT_TEMPLATE}, row.version, row.updated_at)


def save_template(actor: Actor, fields: dict[str, object], *, version: int) -> None:
    if actor.role != "admin":
        raise NotAllowed("Only an administrator changes the council's agreement template.")
    c = Checks()
    clean: dict[str, object] = {
        k: c.text(k, str(fields.get(k) or ""), label, max_len=TERM_LIMIT) for k, label in TERMS.items()
    }
    for k, label in FREQUENCIES.items():
        clean[k] = c.whole_number(k, fields.get(k), label, low=1, high=12)
    clean["first_year_every_weeks"] = c.whole_number(
        "first_year_every_weeks",
        fields.get("first_year_every_weeks"),
        "In the assessed first year, one-to-one every (weeks)",
        low=1,
        high=12,
    )
    c.raise_if_any()
    with session_scope(write=True) as s:
        row = _template_row(s)
        versioning.check(
            row,
            version,
            "Someone changed the template after you opened it. What is saved now is shown below; "
            "your changes are still in the form.",
            lambda: {TERMS.get(k, FREQUENCIES.get(k, k)): getattr(row, k) for k in DEFAULT_TEMPLATE},
        )
        if row is None:
            row = AgreementTemplate(version=0)
        for k, v in clean.items():
            setattr(row, k, v)
        row.version += 1
        row.updated_by_id = actor.person_id
        row.updated_at = utcnow()
        s.add(row)
        s.flush()
        audit.by(s, actor, "update", "agreement_template", row.id)


# ---------------------------------------------------------------- scope


def _names(s: Session, ids: set[int]) -> dict[int, str]:
    return names.of(s, ids)


def _view(s: Session, row: SupervisionAgreement, names: dict[int, str] | None = None) -> AgreementView:
    names = names or _names(s, {row.practitioner_id, row.supervisor_id})
    return AgreementView(
        row.id,
        row.practitioner_id,
        names.get(row.practitioner_id, ""),
        row.supervisor_id,
        names.get(row.supervisor_id, ""),
        row.team_id,
        row.revision,
        row.status,
        row.one_to_one_every_weeks,
        row.group_every_weeks,
        row.first_year_until,
        row.first_year_every_weeks,
        {k: getattr(row, k) for k in TERMS},
        row.practitioner_agreed_on,
        row.supervisor_agreed_on,
        row.review_on,
        row.updated_at,
        row.version,
    )


def _practitioner_team(s: Session, actor: Actor, practitioner_id: int) -> int:
    """The supervised team the practitioner is a current practitioner of; else refused."""
    teams = supervised_team_ids(actor)
    if practitioner_id == actor.person_id and actor.role == "practitioner":
        teams = actor.team_ids
    if not teams:
        raise NotAllowed("Supervision agreements are open to the practitioner and their supervisor.")
    found = s.exec(
        select(Membership.team_id).where(
            Membership.person_id == practitioner_id,
            col(Membership.team_id).in_(teams),
            Membership.role == "practitioner",
            col(Membership.left_on).is_(None),
        )
    ).first()
    if found is None:
        raise NotAllowed("That agreement isn't one of yours.")
    return int(found)


def _may_see(actor: Actor, row: SupervisionAgreement) -> bool:
    if actor.role == "practitioner":
        return row.practitioner_id == actor.person_id
    if actor.role == "supervisor":
        return row.supervisor_id == actor.person_id or row.team_id in supervised_team_ids(actor)
    return False


def _load(s: Session, actor: Actor, agreement_id: int) -> SupervisionAgreement:
    row = s.get(SupervisionAgreement, agreement_id)
    if row is None or not _may_see(actor, row):
        raise NotAllowed("That agreement isn't one of yours.")
    return row


def _audit(s: Session, actor: Actor, action: str, row: SupervisionAgreement) -> None:
    audit.by(s, actor, action, "supervision_agreement", row.id, row.team_id)


# ---------------------------------------------------------------- reading


def revisions(actor: Actor, practitioner_id: int | None = None) -> tuple[AgreementView, ...]:
    """Every revision of one practitioner's agreement, newest first (the practitioner's own
    by default)."""
    practitioner_id = practitioner_id or actor.person_id
    with session_scope() as s:
        if actor.role not in ("practitioner", "supervisor"):
            raise NotAllowed("Supervision agreements are open to the practitioner and their supervisor.")
        rows = s.exec(
            select(SupervisionAgreement)
            .where(SupervisionAgreement.practitioner_id == practitioner_id)
            .order_by(col(SupervisionAgreement.revision).desc())
        ).all()
        mine = [r for r in rows if _may_see(actor, r)]
        if not mine:
            _practitioner_team(s, actor, practitioner_id)  # refuses someone not theirs to see
            return ()
        names = _names(s, {practitioner_id} | {r.supervisor_id for r in mine})
        return tuple(_view(s, r, names) for r in mine)


def agreement(actor: Actor, agreement_id: int) -> AgreementView:
    with session_scope() as s:
        row = _load(s, actor, agreement_id)
        view = _view(s, row)
    audit.record_view(actor, "supervision_agreement", agreement_id, team_id=view.team_id)
    return view


def _supervisor_of(s: Session, team_id: int) -> int | None:
    return s.exec(
        select(Membership.person_id).where(
            Membership.team_id == team_id, Membership.role == "supervisor", col(Membership.left_on).is_(None)
        )
    ).first()


def practitioners(actor: Actor) -> tuple[Practitioner, ...]:
    """A supervisor's practitioners with their current agreement and any draft under way."""
    teams = supervised_team_ids(actor)
    if not teams:
        raise NotAllowed("Only a supervisor sees their team's agreements.")
    today = local_today()
    with session_scope() as s:
        people = s.exec(
            select(Person.id, Person.display_name, Membership.team_id)
            .join(Membership, col(Membership.person_id) == col(Person.id))
            .where(
                col(Membership.team_id).in_(teams),
                Membership.role == "practitioner",
                col(Membership.left_on).is_(None),
                Person.is_active,
            )
            .order_by(Person.display_name)
        ).all()
        ids = [p for p, _, _ in people]
        rows = (
            s.exec(
                select(SupervisionAgreement).where(
                    col(SupervisionAgreement.practitioner_id).in_(ids),
                    SupervisionAgreement.status != "superseded",
                )
            ).all()
            if ids
            else []
        )
        names = _names(s, {r.supervisor_id for r in rows} | set(ids))
        out = []
        for pid, name, team_id in people:
            current = next((r for r in rows if r.practitioner_id == pid and r.status == "agreed"), None)
            draft = next((r for r in rows if r.practitioner_id == pid and r.status == "draft"), None)
            needs_review = current is not None and (
                current.review_on <= today or current.supervisor_id != actor.person_id
            )
            out.append(
                Practitioner(
                    pid,
                    name,
                    team_id,
                    _view(s, current, names) if current else None,
                    _view(s, draft, names) if draft else None,
                    needs_review,
                )
            )
        return tuple(out)


# ---------------------------------------------------------------- writing


def draft(actor: Actor, practitioner_id: int, *, first_year_until: date | str | None = None) -> int:
    """A new draft: from the council's template, or at a review from the current agreement."""
    if actor.role != "supervisor":
        raise NotAllowed("The practitioner's supervisor drafts their agreement.")
    c = Checks()
    until = c.day(
        "first_year_until",
        first_year_until,
        "Assessed first year ends",
        required=False,
        past_days=366,
        future_days=366 * 2,
    )
    c.raise_if_any()
    with session_scope(write=True) as s:
        team_id = _practitioner_team(s, actor, practitioner_id)
        existing = s.exec(
            select(SupervisionAgreement)
            .where(SupervisionAgreement.practitioner_id == practitioner_id)
            .order_by(col(SupervisionAgreement.revision).desc())
        ).all()
        if any(r.status == "draft" for r in existing):
            raise NotValid({"draft": "There is already a draft under way for them; carry on with that one."})
        current = next((r for r in existing if r.status == "agreed"), None)
        if current is not None:
            base: dict[str, object] = {
                k: getattr(current, k) for k in DEFAULT_TEMPLATE if k != "first_year_every_weeks"
            }
            base["first_year_every_weeks"] = current.first_year_every_weeks
            base["first_year_until"] = until or current.first_year_until
        else:
            tpl = _template_row(s)
            base = {k: getattr(tpl, k) for k in DEFAULT_TEMPLATE} if tpl else dict(DEFAULT_TEMPLATE)
            base["first_year_until"] = until
            if until is None:
                base["first_year_every_weeks"] = None
        row = SupervisionAgreement(
            practitioner_id=practitioner_id,
            supervisor_id=actor.person_id,
            team_id=team_id,
            revision=(existing[0].revision + 1) if existing else 1,
            review_on=local_today() + REVIEW_AFTER,
            created_by_id=actor.person_id,
            **base,  # type: ignore[arg-type]  # keyword arguments from a dict of mixed values; each is checked where the dict is built
        )
        s.add(row)
        s.flush()
        _audit(s, actor, "create", row)
        return int(row.id)


def _check_version(s: Session, row: SupervisionAgreement, version: int) -> None:
    """Refuse an edit made on a stale copy, naming the two who may have saved since."""

    def message() -> str:
        who = _names(s, {row.practitioner_id, row.supervisor_id})
        return (
            f"{who.get(row.practitioner_id, 'Someone')} or {who.get(row.supervisor_id, 'their supervisor')} "
            "saved this agreement after you opened it. What is saved now is below; your words are still in the form."
        )

    versioning.check(
        row,
        version,
        message,
        lambda: {label: getattr(row, k) for k, label in {**FREQUENCIES, **TERMS}.items()},
    )


def update(
    actor: Actor,
    agreement_id: int,
    *,
    terms: dict[str, str],
    one_to_one_every_weeks: object,
    group_every_weeks: object,
    first_year_until: date | str | None = None,
    first_year_every_weeks: object = None,
    version: int,
) -> None:
    """Change a draft's words. Either of the two may; an agreement already given is cleared."""
    fields = _checked_terms(
        terms, one_to_one_every_weeks, group_every_weeks, first_year_until, first_year_every_weeks
    )
    with session_scope(write=True) as s:
        row = _load(s, actor, agreement_id)
        if actor.person_id not in (row.practitioner_id, row.supervisor_id):
            raise NotAllowed("Only the two people in an agreement change it.")
        if row.status != "draft":
            raise NotValid(
                {
                    "status": "This agreement has been agreed and is kept as it was; start a review to change it."
                }
            )
        _check_version(s, row, version)
        for k, v in fields.items():
            setattr(row, k, v)
        row.practitioner_agreed_on = row.supervisor_agreed_on = None
        row.updated_at = utcnow()
        versioning.saved(s, actor, row, "update", "supervision_agreement", row.id, team_id=row.team_id)


def _checked_terms(
    terms: dict[str, str],
    one_to_one_every_weeks: object,
    group_every_weeks: object,
    first_year_until: date | str | None,
    first_year_every_weeks: object,
) -> dict[str, object]:
    """A draft's words and frequencies as typed, checked (NotValid names what to fix)."""
    c = Checks()
    clean: dict[str, object] = {
        k: c.text(k, terms.get(k, ""), label, max_len=TERM_LIMIT) for k, label in TERMS.items()
    }
    clean["one_to_one_every_weeks"] = c.whole_number(
        "one_to_one_every_weeks",
        one_to_one_every_weeks,
        FREQUENCIES["one_to_one_every_weeks"],
        low=1,
        high=12,
    )
    clean["group_every_weeks"] = c.whole_number(
        "group_every_weeks", group_every_weeks, FREQUENCIES["group_every_weeks"], low=1, high=12
    )
    until = c.day(
        "first_year_until",
        first_year_until,
        "Assessed first year ends",
        required=False,
        past_days=366 * 2,
        future_days=366 * 2,
    )
    first = c.whole_number(
        "first_year_every_weeks",
        first_year_every_weeks,
        "In the assessed first year, one-to-one every (weeks)",
        low=1,
        high=12,
        required=until is not None,
    )
    c.raise_if_any()
    clean["first_year_until"] = until
    clean["first_year_every_weeks"] = first if until else None
    return clean


def agree(actor: Actor, agreement_id: int, *, version: int) -> bool:
    """Record that you agree to this draft as it stands, with today's date. True once both have."""
    with session_scope(write=True) as s:
        row = _load(s, actor, agreement_id)
        if actor.person_id not in (row.practitioner_id, row.supervisor_id):
            raise NotAllowed("Only the two people in an agreement agree to it.")
        if row.status != "draft":
            raise NotValid({"status": "This agreement has already been agreed by you both."})
        _check_version(s, row, version)
        today = local_today()
        if actor.person_id == row.practitioner_id:
            row.practitioner_agreed_on = today
        if actor.person_id == row.supervisor_id:
            row.supervisor_agreed_on = today
        done = row.practitioner_agreed_on is not None and row.supervisor_agreed_on is not None
        if done:
            for earlier in s.exec(
                select(SupervisionAgreement).where(
                    SupervisionAgreement.practitioner_id == row.practitioner_id,
                    SupervisionAgreement.status == "agreed",
                )
            ).all():
                earlier.status = "superseded"
                earlier.version += 1
                s.add(earlier)
            row.status = "agreed"
            row.review_on = today + REVIEW_AFTER
        row.updated_at = utcnow()
        versioning.saved(s, actor, row, "agree", "supervision_agreement", row.id, team_id=row.team_id)
        return done


# ---------------------------------------------------------------- for the frequency view


def agreed_terms(s: Session, practitioner_ids: list[int]) -> dict[int, list[SupervisionAgreement]]:
    """Agreed and superseded revisions per practitioner, oldest first (inside the data layer only)."""
    if not practitioner_ids:
        return {}
    rows = s.exec(
        select(SupervisionAgreement)
        .where(
            col(SupervisionAgreement.practitioner_id).in_(practitioner_ids),
            SupervisionAgreement.status != "draft",
        )
        .order_by(col(SupervisionAgreement.practitioner_id), col(SupervisionAgreement.revision))
    ).all()
    out: dict[int, list[SupervisionAgreement]] = {}
    for r in rows:
        out.setdefault(r.practitioner_id, []).append(r)
    return out


def every_weeks(rows: list[SupervisionAgreement], day: date) -> tuple[int, bool] | None:
    """How often (weeks) and whether in the assessed first year, by the agreement in force that day."""
    in_force = [
        r for r in rows if (r.practitioner_agreed_on or r.supervisor_agreed_on or day) <= day
    ] or rows[:1]
    if not in_force:
        return None
    r = in_force[-1]
    if r.first_year_until and r.first_year_every_weeks and day <= r.first_year_until:
        return r.first_year_every_weeks, True
    return r.one_to_one_every_weeks, False
