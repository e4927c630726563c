"""What a second server buys: the load script's people through nginx, against one server and
then two, on one PostgreSQL. A benchmark, not a timed test.

Creates a fresh PostgreSQL database (on CIRCLE_TEST_PG_ADMIN_URL's server, dropped at the
end) with the demo team, then for one and for two servers: starts them and nginx from
deploy/nginx.conf, signs N people in through nginx, and has each click through their screens
over Streamlit's websocket protocol (benchmarks/load.py's people). Prints one JSON object
with requests, errors and p50/p95 latency side by side.

    python benchmarks/replicas.py                          # 30 people, 6 clicks, ~10 s apart
    python benchmarks/replicas.py --users 60 --think 0     # back to back: capacity
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _run(
    front: str, users: int, interactions: int, think: float, duration: float, roles: dict, case_ids: list
) -> dict:
    from benchmarks.load import ACCOUNTS, Results, _pct, one_person, sign_in
    from db.demo import DEMO_PASSWORD

    people = []
    for n in range(users):
        person = sign_in(front, ACCOUNTS[n % len(ACCOUNTS)], DEMO_PASSWORD)
        person.role = roles[person.username]
        people.append(person)
    results = Results()

    async def everyone() -> float:
        deadline = time.monotonic() + duration
        began = time.perf_counter()
        await asyncio.gather(
            *(
                one_person(front, p, case_ids, results, k=interactions, think=think, deadline=deadline)
                for p in people
            )
        )
        return time.perf_counter() - began

    wall = asyncio.run(everyone())
    every = [v for values in results.latencies.values() for v in values]
    return {
        "requests": results.requests,
        "errors": len(results.errors),
        "error_samples": results.errors[:3],
        "p50_ms": _pct(every, 0.50),
        "p95_ms": _pct(every, 0.95),
        "interactions_per_second": round(len(every) / wall, 1) if wall else 0.0,
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--users", type=int, default=30)
    parser.add_argument("--interactions", type=int, default=6)
    parser.add_argument("--think", type=float, default=10.0)
    parser.add_argument("--duration", type=float, default=180)
    args = parser.parse_args()

    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    from deploy.cluster import Cluster

    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(nginx).exists():
        raise SystemExit("nginx is needed (Debian: apt-get install nginx)")
    admin_url = os.environ.get(
        "CIRCLE_TEST_PG_ADMIN_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
    )
    name = f"circle_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "CIRCLE_DEMO": "1",
        "STREAMLIT_SERVER_COOKIE_SECRET": uuid.uuid4().hex,
    }
    out: dict[str, object] = {
        "users": args.users,
        "interactions_per_user": args.interactions,
        "think_seconds": args.think,
        "cpu_count": os.cpu_count(),
    }
    try:
        subprocess.run(
            [sys.executable, "-m", "db", "demo"], cwd=ROOT, env=env, check=True, capture_output=True
        )
        engine = create_engine(url)
        with engine.connect() as conn:
            roles: dict[str, str] = dict(conn.execute(text("SELECT username, role FROM person")).all())
            team = conn.execute(text("SELECT id FROM team WHERE name = 'Riverside Early Help'")).scalar_one()
            case_ids = list(
                conn.execute(text("SELECT id FROM case_record WHERE team_id = :t"), {"t": team}).scalars()
            )
        engine.dispose()
        for count in (1, 2):
            with tempfile.TemporaryDirectory(prefix="circle-replicas-") as folder:
                cluster = Cluster(Path(folder), env)
                try:
                    cluster.start_servers(count)
                    cluster.start_nginx(nginx)
                    _run(cluster.front, 1, 6, 0, 60, roles, case_ids)  # warm every server a little
                    out[f"{count}_server" + ("s" if count > 1 else "")] = _run(
                        cluster.front,
                        args.users,
                        args.interactions,
                        args.think,
                        args.duration,
                        roles,
                        case_ids,
                    )
                finally:
                    cluster.stop()
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
