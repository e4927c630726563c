"""The young person's own view of the relationship, beside the practitioner's (issue 19).

- **Check-in links.** The case's practitioner (or the team's supervisor) makes a link for the
  child or young person, in one of two wordings (`younger`, `teen`). The link carries a long
  random token; Circle stores only its SHA-256, as it does for sign-ins, so the link can be
  shown once and never again. A link works once, for `CIRCLE_YOUNG_LINK_DAYS` days (7 unless
  set), and can be withdrawn. Making, opening, answering and withdrawing are all audited.
- **The public page** (`server/young_voice_routes.py`) calls `open_link` and `answer` with
  the token and the client's address: no account, no actor. They reveal nothing but the
  practitioner's first name and the questions, and only for a link that is still usable;
  anything else (used, expired, withdrawn, unknown, or a case restricted or closed) reads
  the same. Requests are counted per client address in the database (every server agrees):
  an unusable token costs more than a usable one, and past the limit the page asks them to
  wait.
- **Their answers** are four choices on a five-step scale (0 to 4, shown in words and
  faces) matching the four relationship items, and an optional message, stored against the
  case and marked as their own words. `beside` puts them next to the practitioner's check-ins
  for the team, with the gap between the two views and any drop in theirs.
- **A note written for them** ("what we talked about, for you"): plain words from the
  practitioner, kept on the case with who and when; `reading_age` gives a rough reading age.

Answers and notes follow their case: team scope for practitioners and supervisors, the
restriction rule, erasure and retention (they go with the case), and subject access (they
name the practitioner by key).
"""

from __future__ import annotations

import functools
import hashlib
import os
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from db import audit, restriction
from db.access import Actor, supervised_team_ids
from db.cases import case_in_reach
from db.clock import utcnow
from db.engine import session_scope
from db.errors import NotAllowed, NotValid
from db.models import Case, Person, SignInThrottle
from db.sessions import CHECK_IN_ITEMS, CheckIn, check_in_history
from db.validation import Checks
from db.young_voice_models import WORDINGS, YoungVoiceAnswer, YoungVoiceLink, YoungVoiceNote

ROLES = ("practitioner", "supervisor")
DEFAULT_DAYS = 7
MAX_MESSAGE = 1000
MAX_NOTE = 3000
# Per client address, in a ten-minute window: each page costs 1, an unusable link 6.
WINDOW = timedelta(minutes=10)
CLIENT_LIMIT = 60
MISS_COST = 6
# A gap this big (0 to 10) between the two views is offered to the team as a question.
GAP_TO_ASK = 3

WORDING_LABELS = {"younger": "A younger child", "teen": "A teenager"}
STEPS = 5  # answers are 0..4
# The scale in words (the page draws a face beside each; never colour alone), per wording, lowest first.
ANSWER_WORDS = {
    "younger": ("No", "Not really", "A bit", "Mostly", "Yes, lots"),
    "teen": ("Not at all", "Not really", "Sometimes", "Mostly", "Completely"),
}
QUESTIONS = {
    "younger": {
        "trust": "Do you trust {name}?",
        "feel_heard": "Does {name} listen to you?",
        "what_matters": "Do you and {name} work on things that matter to you?",
        "hope": "Do you feel things will get better?",
    },
    "teen": {
        "trust": "How much do you trust {name}?",
        "feel_heard": "Does {name} listen to you and get what you mean?",
        "what_matters": "Are you and {name} working on what matters to you?",
        "hope": "How hopeful do you feel about where things are going?",
    },
}
ANYTHING_ELSE = "Anything else you want {name} to know?"
STATUS_WORDS = {
    "waiting": "Waiting for an answer",
    "opened": "Opened, not answered yet",
    "answered": "Answered",
    "expired": "Came to the end of its time",
    "withdrawn": "Withdrawn",
}


def link_days() -> int:
    """How long a new link works, from CIRCLE_YOUNG_LINK_DAYS (1 to 60; 7 otherwise)."""
    raw = os.environ.get("CIRCLE_YOUNG_LINK_DAYS", "").strip()
    try:
        days = int(raw) if raw else DEFAULT_DAYS
    except ValueError:
        return DEFAULT_DAYS
    return days if 1 <= days <= 60 else DEFAULT_DAYS


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def first_name(display_name: str) -> str:
    return (display_name.split() or ["your worker"])[0]


def questions(wording: str, name: str) -> dict[str, str]:
    return {k: q.format(name=name) for k, q in QUESTIONS[wording].items()}


# ------------------------------------------------------------------ read models
@dataclass(frozen=True)
class NewLink:
    id: int
    token: str  # shown once; Circle keeps only its hash
    wording: str
    expires_at: datetime


@dataclass(frozen=True)
class LinkLine:
    id: int
    wording: str
    created_by: str
    created_at: datetime
    expires_at: datetime
    status: str

    @property
    def status_words(self) -> str:
        return STATUS_WORDS[self.status]

    @property
    def can_withdraw(self) -> bool:
        return self.status in ("waiting", "opened")


@dataclass(frozen=True)
class TheirAnswer:
    id: int
    created_at: datetime
    wording: str
    trust: int
    feel_heard: int
    what_matters: int
    hope: int
    anything_else: str

    def steps(self) -> dict[str, int]:
        return {k: getattr(self, k) for k in CHECK_IN_ITEMS}

    def on_ten(self) -> dict[str, float]:
        """Their answers on the practitioner's 0 to 10 (each step is 2.5)."""
        return {k: v * 10 / (STEPS - 1) for k, v in self.steps().items()}

    def words(self, item: str) -> str:
        return ANSWER_WORDS[self.wording][getattr(self, item)]


@dataclass(frozen=True)
class Gap:
    item: str  # the item's label, as the team knows it
    theirs: str  # in their words
    theirs_on_ten: float
    ours: int

    @property
    def difference(self) -> float:
        return self.ours - self.theirs_on_ten

    @property
    def worth_asking(self) -> bool:
        return abs(self.difference) >= GAP_TO_ASK


@dataclass(frozen=True)
class TheirDrop:
    item: str
    before: str
    now: str


@dataclass(frozen=True)
class Beside:
    who: str  # "the child" or "the young person"
    answers: tuple[TheirAnswer, ...]  # oldest first
    ours: tuple[CheckIn, ...]  # the practitioner's check-ins, oldest first
    gaps: tuple[Gap, ...]  # latest of each, item by item (empty without both)
    drops: tuple[TheirDrop, ...]

    @property
    def question(self) -> str:
        return f"Where do we see this differently from {self.who}?"

    @property
    def differ(self) -> tuple[Gap, ...]:
        return tuple(g for g in self.gaps if g.worth_asking)


@dataclass(frozen=True)
class NoteLine:
    id: int
    case_reference: str
    body: str
    written_by: str
    created_at: datetime


@dataclass(frozen=True)
class PublicPage:
    """What the public page may show: the first name and the questions, nothing else."""

    ok: bool
    name: str = ""
    wording: str = ""
    wait_seconds: int = 0


@dataclass(frozen=True)
class PublicAnswer:
    ok: bool
    name: str = ""
    problems: dict[str, str] | None = None
    gone: bool = False
    wait_seconds: int = 0
    wording: str = ""


# ------------------------------------------------------------------ scope
def _case(s: Session, actor: Actor, case_id: int) -> Case:
    """The case, if it is one of this practitioner's or supervisor's teams' and in use (a
    refusal is noted in the audit trail)."""
    return case_in_reach(s, actor, case_id, roles=ROLES)


def _allowed(actor: Actor, case_id: int, *, theirs: bool) -> None:
    """Check before writing (and note a refusal): in the team's reach, and for `theirs`, the
    case's practitioner or the team's supervisor."""
    with session_scope() as s:
        case = _case(s, actor, case_id)
        if theirs:
            _require_theirs(actor, case)


def _require_theirs(actor: Actor, case: Case) -> None:
    """Only the case's practitioner, or the team's supervisor, speaks to the young person."""
    if actor.person_id != case.lead_practitioner_id and case.team_id not in supervised_team_ids(actor):
        raise NotAllowed(
            "Links and notes for a young person are made by the case's practitioner or the team's supervisor."
        )


def may_send(actor: Actor, case_id: int) -> bool:
    with session_scope() as s:
        try:
            case = _case(s, actor, case_id)
            _require_theirs(actor, case)
        except NotAllowed:
            return False
    return True


def _audit(
    s: Session, actor: Actor | None, action: str, record_type: str, record_id: object, team_id: int
) -> None:
    audit.record(
        s,
        action,
        actor_id=actor.person_id if actor else None,
        actor_label=actor.username if actor else "young person's link",
        record_type=record_type,
        record_id=record_id,
        team_id=team_id,
    )


# ------------------------------------------------------------------ links
def create_link(actor: Actor, case_id: int, *, wording: str | None, now: datetime | None = None) -> NewLink:
    c = Checks()
    if wording not in WORDINGS:
        c.add("wording", "Please choose who the questions are for: a younger child or a teenager.")
    now = now or utcnow()
    _allowed(actor, case_id, theirs=True)
    with session_scope(write=True) as s:
        case = _case(s, actor, case_id)
        if case.status == "closed":
            c.add("case", "This case is closed, so it can't have a new link.")
        c.raise_if_any()
        token = secrets.token_urlsafe(32)
        link = YoungVoiceLink(
            case_id=case_id,
            practitioner_id=case.lead_practitioner_id,
            created_by_id=actor.person_id,
            token_hash=_hash(token),
            wording=wording,  # type: ignore[arg-type]  # Optional in its type, set on this path (a saved row, a chosen option or a checked value)
            created_at=now,
            expires_at=now + timedelta(days=link_days()),
        )
        s.add(link)
        s.flush()
        _audit(s, actor, "young_link_create", "young_voice_link", link.id, case.team_id)
        return NewLink(int(link.id), token, link.wording, link.expires_at)


def _status(link: YoungVoiceLink, now: datetime) -> str:
    if link.answered_at is not None:
        return "answered"
    if link.withdrawn_at is not None:
        return "withdrawn"
    if now >= link.expires_at:
        return "expired"
    return "opened" if link.opened_at is not None else "waiting"


def links(actor: Actor, case_id: int, *, now: datetime | None = None) -> tuple[LinkLine, ...]:
    """The case's links, newest first, with where each one is."""
    now = now or utcnow()
    with session_scope() as s:
        _case(s, actor, case_id)
        rows = s.exec(
            select(YoungVoiceLink, Person.display_name)
            .join(Person, col(Person.id) == col(YoungVoiceLink.created_by_id))
            .where(YoungVoiceLink.case_id == case_id)
            .order_by(col(YoungVoiceLink.created_at).desc(), col(YoungVoiceLink.id).desc())
            .limit(20)
        ).all()
        return tuple(
            LinkLine(k.id, k.wording, name, k.created_at, k.expires_at, _status(k, now)) for k, name in rows
        )


def withdraw(actor: Actor, link_id: int, *, now: datetime | None = None) -> None:
    now = now or utcnow()
    with session_scope() as s:
        found = s.get(YoungVoiceLink, link_id) if isinstance(link_id, int) else None
        if found is None:
            raise NotAllowed("That link isn't open to you, or it is no longer in Circle.")
        case_id = found.case_id
    _allowed(actor, case_id, theirs=True)
    with session_scope(write=True) as s:
        link = s.get(YoungVoiceLink, link_id, with_for_update=True)
        assert link is not None
        case = _case(s, actor, link.case_id)
        state = _status(link, now)
        if state not in ("waiting", "opened"):
            raise NotValid({"link": f"This link can't be withdrawn now: {STATUS_WORDS[state].lower()}."})
        link.withdrawn_at, link.withdrawn_by_id = now, actor.person_id
        s.add(link)
        _audit(s, actor, "young_link_withdraw", "young_voice_link", link.id, case.team_id)


# ------------------------------------------------------------------ the public page
def _wait(s: Session, client: str, cost: int, now: datetime) -> int:
    """Count this request against the client's window; seconds to wait (0: go ahead)."""
    key = f"voice:{client}"[:64]
    row = s.get(SignInThrottle, key, with_for_update=True)
    if row is None:
        row = SignInThrottle(key=key, failures=0, last_failure_at=now)
    elif now - row.last_failure_at >= WINDOW:
        row.failures, row.last_failure_at = 0, now  # a new window starts
    if row.failures >= CLIENT_LIMIT:
        left = row.last_failure_at + WINDOW - now
        return max(1, int(left.total_seconds() + 0.999))
    row.failures += cost
    s.add(row)
    return 0


def _usable(
    s: Session, token: str, now: datetime, *, lock: bool = False
) -> tuple[YoungVoiceLink, Case, str] | None:
    if not token or len(token) > 100:
        return None
    query = select(YoungVoiceLink).where(YoungVoiceLink.token_hash == _hash(token))
    link = s.exec(query.with_for_update() if lock else query).first()
    if link is None or _status(link, now) not in ("waiting", "opened"):
        return None
    case = s.get(Case, link.case_id)
    if case is None or case.status == "closed" or restriction.is_restricted(s, "case", case.id):
        return None
    person = s.get(Person, link.practitioner_id)
    name = first_name(person.display_name) if person and person.is_active else "your worker"
    return link, case, name


def open_link(token: str, *, client: str, now: datetime | None = None) -> PublicPage:
    """The form's page for a usable link (noting the first time it is opened), or not."""
    now = now or utcnow()
    with session_scope(write=True) as s:
        found = _usable(s, token, now)
        wait = _wait(s, client, 1 if found else MISS_COST, now)
        if wait:
            return PublicPage(ok=False, wait_seconds=wait)
        if found is None:
            audit.record(s, "young_link_open", actor_label="young person's link", outcome="refused")
            return PublicPage(ok=False)
        link, case, name = found
        if link.opened_at is None:
            link.opened_at = now
            s.add(link)
            _audit(s, None, "young_link_open", "young_voice_link", link.id, case.team_id)
        return PublicPage(ok=True, name=name, wording=link.wording)


def read_choice(value: object) -> int | None:
    text = str(value or "").strip()
    return int(text) if text.isdigit() and len(text) == 1 and int(text) < STEPS else None


def answer(
    token: str, choices: Mapping[str, object], anything_else: str, *, client: str, now: datetime | None = None
) -> PublicAnswer:
    """Keep the young person's answers, once. Problems come back with what they chose kept."""
    now = now or utcnow()
    with session_scope(write=True) as s:
        found = _usable(s, token, now, lock=True)
        wait = _wait(s, client, 1 if found else MISS_COST, now)
        if wait:
            return PublicAnswer(ok=False, wait_seconds=wait)
        if found is None:
            audit.record(s, "young_link_answer", actor_label="young person's link", outcome="refused")
            return PublicAnswer(ok=False, gone=True)
        link, case, name = found
        c = Checks()
        steps = {k: read_choice(choices.get(k)) for k in CHECK_IN_ITEMS}
        for k, v in steps.items():
            if v is None:
                c.add(k, "Please pick one answer for this question.")
        message = c.text("anything_else", anything_else, "Your message", required=False, max_len=MAX_MESSAGE)
        if c.problems:
            return PublicAnswer(ok=False, name=name, problems=dict(c.problems), wording=link.wording)
        row = YoungVoiceAnswer(
            link_id=link.id,
            case_id=case.id,
            practitioner_id=link.practitioner_id,
            wording=link.wording,
            anything_else=message,
            created_at=now,
            **steps,  # type: ignore[arg-type]  # keyword arguments from a dict of mixed values; each is checked where the dict is built
        )
        s.add(row)
        link.answered_at = now
        link.opened_at = link.opened_at or now
        s.add(link)
        _audit(s, None, "young_link_answer", "young_voice_link", link.id, case.team_id)
        return PublicAnswer(ok=True, name=name, wording=link.wording)


# ------------------------------------------------------------------ beside the practitioner's
def _their_answer(r: YoungVoiceAnswer) -> TheirAnswer:
    return TheirAnswer(
        r.id,
        r.created_at,
        r.wording,
        r.trust,
        r.feel_heard,
        r.what_matters,
        r.hope,
        r.anything_else,
    )


def answers(actor: Actor, case_id: int, *, limit: int = 8) -> tuple[TheirAnswer, ...]:
    """The young person's answers for a case, oldest first."""
    with session_scope() as s:
        _case(s, actor, case_id)
        rows = s.exec(
            select(YoungVoiceAnswer)
            .where(YoungVoiceAnswer.case_id == case_id)
            .order_by(col(YoungVoiceAnswer.created_at).desc(), col(YoungVoiceAnswer.id).desc())
            .limit(limit)
        ).all()
        return tuple(_their_answer(r) for r in reversed(rows))


def their_drops(history: tuple[TheirAnswer, ...]) -> tuple[TheirDrop, ...]:
    """Items that fell by a step or more between their last two answers: a step is 2.5 on
    the practitioner's 0 to 10, past the two points that flag a drop in the worker's."""
    if len(history) < 2:
        return ()
    before, now = history[-2], history[-1]
    return tuple(
        TheirDrop(label, before.words(k), now.words(k))
        for k, label in CHECK_IN_ITEMS.items()
        if (getattr(before, k) - getattr(now, k)) * 10 / (STEPS - 1) >= 2
    )


def gaps(theirs: TheirAnswer, ours: CheckIn) -> tuple[Gap, ...]:
    on_ten = theirs.on_ten()
    return tuple(
        Gap(label, theirs.words(k), on_ten[k], getattr(ours, k)) for k, label in CHECK_IN_ITEMS.items()
    )


def beside(actor: Actor, case_id: int) -> Beside:
    """Both views of the relationship for the team: theirs and the practitioner's."""
    theirs = answers(actor, case_id)
    ours = check_in_history(actor, case_id) if theirs else ()
    latest_wording = theirs[-1].wording if theirs else "teen"
    who = "the child" if latest_wording == "younger" else "the young person"
    return Beside(
        who,
        theirs,
        ours,
        gaps(theirs[-1], ours[-1]) if theirs and ours else (),
        their_drops(theirs),
    )


# ------------------------------------------------------------------ notes written for them
def write_note(actor: Actor, case_id: int, body: str) -> int:
    c = Checks()
    body = c.text("body", body, "The note", max_len=MAX_NOTE)
    _allowed(actor, case_id, theirs=True)
    c.raise_if_any()
    with session_scope(write=True) as s:
        case = _case(s, actor, case_id)
        note = YoungVoiceNote(case_id=case_id, written_by_id=actor.person_id, body=body)
        s.add(note)
        s.flush()
        _audit(s, actor, "young_note", "young_voice_note", note.id, case.team_id)
        return int(note.id)


def notes(actor: Actor, case_id: int, *, limit: int = 20) -> tuple[NoteLine, ...]:
    with session_scope() as s:
        case = _case(s, actor, case_id)
        rows = s.exec(
            select(YoungVoiceNote, Person.display_name)
            .join(Person, col(Person.id) == col(YoungVoiceNote.written_by_id))
            .where(YoungVoiceNote.case_id == case_id)
            .order_by(col(YoungVoiceNote.created_at).desc(), col(YoungVoiceNote.id).desc())
            .limit(limit)
        ).all()
        return tuple(NoteLine(n.id, case.reference, n.body, name, n.created_at) for n, name in rows)


def note(actor: Actor, note_id: int, *, exporting: bool = False) -> NoteLine:
    with session_scope() as s:
        found = s.get(YoungVoiceNote, note_id) if isinstance(note_id, int) else None
        if found is None:
            raise NotAllowed("That note isn't open to you, or it is no longer in Circle.")
        _case(s, actor, found.case_id)
    with session_scope(write=exporting) as s:
        row = s.get(YoungVoiceNote, note_id)
        if row is None:
            raise NotAllowed("That note isn't open to you, or it is no longer in Circle.")
        case = _case(s, actor, row.case_id)
        who = s.get(Person, row.written_by_id)
        if exporting:
            _audit(s, actor, "export", "young_voice_note", row.id, case.team_id)
        return NoteLine(row.id, case.reference, row.body, who.display_name if who else "", row.created_at)


# ------------------------------------------------------------------ reading age
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")
_SENTENCE_END = re.compile(r"[.!?]+(?:\s|$)|\n\s*\n")


@functools.cache
def _hyphenator():
    import pyphen

    return pyphen.Pyphen(lang="en_GB")


def _syllables(word: str) -> int:
    word = word.strip("'’-").lower()
    if not word:
        return 0
    by_dictionary = len(_hyphenator().positions(word)) + 1
    vowel_groups = len(re.findall(r"[aeiouy]+", word)) - (1 if word.endswith("e") and len(word) > 3 else 0)
    return max(1, by_dictionary, min(vowel_groups, by_dictionary + 1))


def reading_age(text: str) -> int | None:
    """A rough reading age in years (Flesch-Kincaid grade plus five), from sentence length
    and syllables per word. None for fewer than ten words: too short to say."""
    words = _WORD.findall(text or "")
    if len(words) < 10:
        return None
    sentences = max(1, len([p for p in _SENTENCE_END.split(text.strip()) if _WORD.search(p)]))
    syllables = sum(_syllables(w) for w in words)
    grade = 0.39 * len(words) / sentences + 11.8 * syllables / len(words) - 15.59
    return max(5, min(21, round(grade + 5)))
