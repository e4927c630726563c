"""The network around the child: the people who matter to them, and who is best placed for
which conversation."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import update
from sqlmodel import Session, col, select

from db import audit
from db.access import Actor
from db.case_board import last_changed_by, require_editor
from db.cases._detail import case_in_reach
from db.engine import session_scope
from db.errors import EditConflict, NotAllowed
from db.models import NetworkMember
from db.pseudonymise import free_text_warning
from db.validation import Checks

NETWORK_KINDS = ("family", "carer", "friend", "professional")
NETWORK_LABELS = {
    "label": "Who they are",
    "kind": "How they know the child",
    "relationship_strength": "How strong the relationship is",
    "best_placed_for": "Best placed for which conversation",
}


@dataclass(frozen=True)
class NetworkPerson:
    member_id: int
    label: str
    kind: str
    relationship_strength: int | None
    best_placed_for: str
    version: int


def network(actor: Actor, case_id: int) -> list[NetworkPerson]:
    with session_scope() as s:
        case_in_reach(s, actor, case_id)
        rows = s.exec(
            select(NetworkMember)
            .where(NetworkMember.case_id == case_id)
            .order_by(
                col(NetworkMember.relationship_strength).desc().nulls_last(),
                NetworkMember.label,
                col(NetworkMember.id),
            )
        ).all()
    return [
        NetworkPerson(m.id, m.label, m.kind, m.relationship_strength, m.best_placed_for, m.version)
        for m in rows
    ]


def _check_member(
    label: str, kind: str, strength: int | None, best_placed_for: str
) -> tuple[str, str, int | None, str]:
    c = Checks()
    label = c.text("label", label, NETWORK_LABELS["label"], max_len=80, single_line=True)
    kind = c.choice("kind", kind, NETWORK_LABELS["kind"], NETWORK_KINDS)
    strength = c.scale(
        "relationship_strength", strength, NETWORK_LABELS["relationship_strength"], required=False
    )
    best_placed_for = c.text(
        "best_placed_for", best_placed_for, NETWORK_LABELS["best_placed_for"], required=False, max_len=1000
    )
    c.raise_if_any()
    return label, kind, strength, best_placed_for


def _audit(s: Session, actor: Actor, action: str, member_id: int, team_id: int) -> None:
    audit.by(s, actor, action, "network_member", member_id, team_id)


def add_network_member(
    actor: Actor,
    case_id: int,
    *,
    label: str,
    kind: str,
    relationship_strength: int | None = None,
    best_placed_for: str = "",
) -> str | None:
    """Add someone who matters to the child. Returns a gentle warning if the text may identify them."""
    label, kind, strength, best_for = _check_member(label, kind, relationship_strength, best_placed_for)
    with session_scope(write=True) as s:
        case = case_in_reach(s, actor, case_id)
        require_editor(actor, case.team_id)
        member = NetworkMember(
            case_id=case_id, label=label, kind=kind, relationship_strength=strength, best_placed_for=best_for
        )
        s.add(member)
        s.flush()
        _audit(s, actor, "create", member.id, case.team_id)
    return free_text_warning({"label": label, "best_placed_for": best_for}, NETWORK_LABELS)


def update_network_member(
    actor: Actor,
    member_id: int,
    *,
    label: str,
    kind: str,
    relationship_strength: int | None,
    best_placed_for: str,
    version: int,
) -> str | None:
    label, kind, strength, best_for = _check_member(label, kind, relationship_strength, best_placed_for)
    with session_scope(write=True) as s:
        member = s.get(NetworkMember, member_id)
        if member is None:
            raise NotAllowed("That person is no longer in this child's network.")
        case = case_in_reach(s, actor, member.case_id)
        require_editor(actor, case.team_id)
        done = s.exec(
            update(NetworkMember)
            .where(col(NetworkMember.id) == member_id, col(NetworkMember.version) == version)
            .values(
                label=label,
                kind=kind,
                relationship_strength=strength,
                best_placed_for=best_for,
                version=version + 1,
            )
            .execution_options(synchronize_session=False)
        )
        if done.rowcount != 1:
            s.refresh(member)
            who, _ = last_changed_by(s, "network_member", member_id)
            raise EditConflict(
                f"{who} changed this person's details while you had them open. Here is what is "
                "saved now; what you typed is still in the form.",
                {
                    NETWORK_LABELS["label"]: member.label,
                    NETWORK_LABELS["kind"]: member.kind,
                    NETWORK_LABELS["relationship_strength"]: member.relationship_strength,
                    NETWORK_LABELS["best_placed_for"]: member.best_placed_for,
                },
            )
        _audit(s, actor, "change", member_id, case.team_id)
    return free_text_warning({"label": label, "best_placed_for": best_for}, NETWORK_LABELS)
