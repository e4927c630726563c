"""The demo's young people's own answers (issue 19; content: demo_home.json, `young_voices`).

Both cases brought to this week's planned session have answered, so the team sees both
views together there:
- AD-33 (Jack's, a teenager) answered twice; the second time he says Jack doesn't really
  listen, far from how Jack's check-ins see it, and his own answer has dropped.
- RB-1042 (Tom's, a younger child) answered once, seeing things much as Tom does.
JT-07 (Priya's) has a link made yesterday that nobody has answered yet, and AD-33 has a
note Jack wrote for A. Deterministic: the links' tokens are derived from fixed strings
(only their hashes are stored), and dates follow the demo's calendar.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from db.models import Case, Person, RelationshipCheckIn
from db.seed import read_content
from db.seed.demo.dates import Calendar
from db.young_voice_models import YoungVoiceAnswer, YoungVoiceLink, YoungVoiceNote

_DATA = read_content("demo_home")["young_voices"]


def add_young_voices(s: Session, cases: dict[str, Case], people: dict[str, Person], cal: Calendar) -> None:
    def at(moment: dict) -> datetime:
        return cal.at(cal.today - timedelta(days=moment["days_ago"]), moment["hour"])

    for answer in _DATA["answered"]:
        case = cases[answer["case"]]
        steps = _near_the_worker(s, case) if answer["steps"] == "near_the_worker" else answer["steps"]
        _answered(s, case, answer["key"], answer["wording"], at(answer), steps, answer["said"])
    for waiting in _DATA["waiting"]:
        s.add(_link(cases[waiting["case"]], waiting["key"], waiting["wording"], at(waiting)))
    for note in _DATA["notes"]:
        s.add(
            YoungVoiceNote(
                case_id=cases[note["case"]].id,
                written_by_id=people[note["by"]].id,
                body=note["body"],
                created_at=at(note),
            )
        )


def _link(case: Case, key: str, wording: str, made: datetime, *, days: int = 7) -> YoungVoiceLink:
    token = hashlib.sha256(f"circle demo young voice {key}".encode()).hexdigest()
    return YoungVoiceLink(
        case_id=case.id,
        practitioner_id=case.lead_practitioner_id,
        created_by_id=case.lead_practitioner_id,
        token_hash=hashlib.sha256(token.encode()).hexdigest(),
        wording=wording,
        created_at=made,
        expires_at=made + timedelta(days=days),
    )


def _answered(
    s: Session, case: Case, key: str, wording: str, made: datetime, steps: dict[str, int], said: str = ""
) -> None:
    link = _link(case, key, wording, made)
    link.opened_at = link.answered_at = made + timedelta(hours=20)
    s.add(link)
    s.flush()
    s.add(
        YoungVoiceAnswer(
            link_id=link.id,
            case_id=case.id,
            practitioner_id=case.lead_practitioner_id,
            wording=wording,
            anything_else=said,
            created_at=link.answered_at,
            **steps,
        )
    )


def _near_the_worker(s: Session, case: Case) -> dict[str, int]:
    """Answers close to the practitioner's latest check-in (each step is 2.5 of their 10)."""
    latest = s.exec(
        select(RelationshipCheckIn)
        .where(RelationshipCheckIn.case_id == case.id)
        .order_by(col(RelationshipCheckIn.created_at).desc())
    ).first()
    if latest is None:
        return {"trust": 3, "feel_heard": 3, "what_matters": 3, "hope": 3}
    return {
        k: max(0, min(4, round(getattr(latest, k) / 2.5)))
        for k in ("trust", "feel_heard", "what_matters", "hope")
    }
