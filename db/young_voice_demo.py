"""The demo's young people's own answers (issue 19), called from `db.demo.load_demo`.

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
from datetime import UTC, date, datetime, time, timedelta

from sqlmodel import Session, col, select

from db.models import Case, Person, RelationshipCheckIn
from db.young_voice_models import YoungVoiceAnswer, YoungVoiceLink, YoungVoiceNote


def _at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=UTC)


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


def add_young_voices(s: Session, cases: dict[str, Case], people: dict[str, Person], today: date) -> None:
    a, r, j = cases["AD-33"], cases["RB-1042"], cases["JT-07"]
    _answered(
        s,
        a,
        "AD-33 first",
        "teen",
        _at(today - timedelta(days=24), 16),
        {"trust": 3, "feel_heard": 3, "what_matters": 1, "hope": 3},
    )
    _answered(
        s,
        a,
        "AD-33 second",
        "teen",
        _at(today - timedelta(days=3), 16),
        {"trust": 3, "feel_heard": 1, "what_matters": 1, "hope": 3},
        "The bike workshop is the first thing anyone asked me I wanted. I don't like the meetings where "
        "everyone talks about me and I just sit there.",
    )
    _answered(s, r, "RB-1042 first", "younger", _at(today - timedelta(days=5), 15), _near_the_worker(s, r))
    s.add(_link(j, "JT-07 waiting", "teen", _at(today - timedelta(days=1), 11)))
    s.add(
        YoungVoiceNote(
            case_id=a.id,
            written_by_id=people["jack"].id,
            body="Hi A. The team talked about your first week at the bike workshop. We think it's a "
            "great plan and it was your idea. I will pick you up at 9 on Monday. If meetings feel like "
            "everyone talks about you, tell me and we will do them differently. Jack",
            created_at=_at(today - timedelta(days=2), 14),
        )
    )
