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
import contextlib
import json
import os
import shutil
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _run(
    front: str, users: int, interactions: int, think: float, duration: float, roles: dict, case_ids: list
) -> dict:
    from benchmarks.load import Results, click_through, sign_in_people
    from benchmarks.ws_client import pct
    from db.seed.demo import DEMO_PASSWORD

    people = sign_in_people(front, users, roles, DEMO_PASSWORD)
    results = Results()
    deadline = time.monotonic() + duration
    wall = asyncio.run(
        click_through(front, people, case_ids, results, k=interactions, think=think, deadline=deadline)
    )
    every = results.every
    return {
        "requests": results.requests,
        "errors": len(results.errors),
        "error_samples": results.errors[:3],
        "p50_ms": pct(every, 0.50),
        "p95_ms": pct(every, 0.95),
        "interactions_per_second": round(len(every) / wall, 1) if wall else 0.0,
    }


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--users", type=int, default=30)
    parser.add_argument("--interactions", type=int, default=6)
    parser.add_argument("--think", type=float, default=10.0)
    parser.add_argument("--duration", type=float, default=180)
    return parser.parse_args()


@contextlib.contextmanager
def _fresh_database() -> Iterator[str]:
    """A new PostgreSQL database on CIRCLE_TEST_PG_ADMIN_URL's server (its URL), dropped after."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    admin_url = os.environ.get(
        "CIRCLE_TEST_PG_ADMIN_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
    )
    name = f"circle_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _demo_people(url: str) -> tuple[dict, list]:
    """The demo team's roles by username, and its case ids."""
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.connect() as conn:
        roles: dict[str, str] = dict(conn.execute(text("SELECT username, role FROM person")).all())
        team = conn.execute(text("SELECT id FROM team WHERE name = 'Riverside Early Help'")).scalar_one()
        case_ids = list(
            conn.execute(text("SELECT id FROM case_record WHERE team_id = :t"), {"t": team}).scalars()
        )
    engine.dispose()
    return roles, case_ids


def _servers(
    count: int, env: dict, nginx: str, args: argparse.Namespace, roles: dict, case_ids: list
) -> dict:
    """`count` servers behind nginx: everyone's clicks through the front."""
    from deploy.cluster import Cluster

    with tempfile.TemporaryDirectory(prefix="circle-replicas-") as folder:
        cluster = Cluster(Path(folder), env)
        try:
            cluster.start_servers(count)
            cluster.start_nginx(nginx)
            _run(cluster.front, 1, 6, 0, 60, roles, case_ids)  # warm every server a little
            return _run(
                cluster.front, args.users, args.interactions, args.think, args.duration, roles, case_ids
            )
        finally:
            cluster.stop()


def main() -> None:
    args = _arguments()
    from deploy.serving import load_demo

    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(nginx).exists():
        raise SystemExit("nginx is needed (Debian: apt-get install nginx)")
    out: dict[str, object] = {
        "users": args.users,
        "interactions_per_user": args.interactions,
        "think_seconds": args.think,
        "cpu_count": os.cpu_count(),
    }
    with _fresh_database() as url:
        env = {
            **os.environ,
            "DATABASE_URL": url,
            "CIRCLE_DEMO": "1",
            "STREAMLIT_SERVER_COOKIE_SECRET": uuid.uuid4().hex,
        }
        load_demo(env)
        roles, case_ids = _demo_people(url)
        for count in (1, 2):
            out[f"{count}_server" + ("s" if count > 1 else "")] = _servers(
                count, env, nginx, args, roles, case_ids
            )
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
