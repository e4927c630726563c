"""Two people pressing save at the same instant on PostgreSQL: exactly one lands, the other
is refused as a stale copy (the row is locked while its version is checked)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import time, timedelta

from db import people, sessions
from db.clock import utcnow
from db.errors import EditConflict
from tests import factories


def _race(save: Callable[[int], None]) -> list[str]:
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def one(n: int) -> None:
        barrier.wait()
        try:
            save(n)
            outcomes.append("saved")
        except EditConflict:
            outcomes.append("refused")

    threads = [threading.Thread(target=one, args=(n,)) for n in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sorted(outcomes)


def test_simultaneous_saves_of_a_person(pg_db: str) -> None:
    admin = factories.person("ada", "admin").actor()
    pid = people.create_person(admin, "asha", "Asha Khan", "practitioner", "long enough pass")
    for _ in range(5):
        seen = next(p for p in people.list_people(admin) if p.id == pid)
        outcome = _race(
            lambda n, seen=seen: people.update_person(  # type: ignore[arg-type, misc]  # a lambda with defaulted arguments binding loop values; mypy cannot infer it; the race helper calls each with its worker number only; the other argument is bound
                admin, pid, display_name=f"Asha {n}", role="practitioner", version=seen.version
            )
        )
        assert outcome == ["refused", "saved"]


def test_simultaneous_moves_of_a_session(pg_db: str) -> None:
    team = factories.team("Riverside")
    sam = factories.person("sam", "supervisor", {team: "supervisor"}).actor()
    sid = sessions.plan(
        sam, team, day=utcnow().date() + timedelta(days=1), start=time(10), duration_minutes=60
    )
    sessions.start(sam, sid, sessions.view(sam, sid).version)
    for _ in range(5):
        version = sessions.view(sam, sid).version
        assert _race(lambda n, v=version: sessions.extend(sam, sid, v, 5)) == ["refused", "saved"]  # type: ignore[misc]  # a lambda with defaulted arguments binding loop values; mypy cannot infer it
