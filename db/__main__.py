"""Manage Circle's data from the command line: `python -m db <command>`.

migrate        apply any database migrations (also done on every start-up)
create-admin   create an administrator (asks for the password, or reads CIRCLE_ADMIN_PASSWORD)
demo           load the fictional demo team (does nothing if it is already there)
exercises      load the training exercise library (the starter set, or a file you name)
purge          remove finished records older than their retention period (legal holds respected)
send-mail      add the daily reminders and deliver the mail outbox (--once, or a loop)

`demo` and `seed-county` add accounts whose password is printed for anyone to read, so they
only run on a database with nobody in it yet, or, in demo mode (CIRCLE_DEMO=1), on one that
holds only fictional people.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys

from db.errors import NotValid


def _migrate(_args: argparse.Namespace) -> int:
    from db.migrate import head_revision, upgrade

    upgrade()
    print(f"Database is up to date (migration {head_revision()}).")
    return 0


def _create_admin(args: argparse.Namespace) -> int:
    from db.accounts import create_admin
    from db.migrate import upgrade

    upgrade()
    password = os.environ.get("CIRCLE_ADMIN_PASSWORD") or getpass.getpass("Password (8+ characters): ")
    try:
        create_admin(args.username, args.name, password)
    except NotValid as problem:
        for field, message in problem.problems.items():
            print(f"{field}: {message}", file=sys.stderr)
        return 2
    print(f"Administrator '{args.username.strip().lower()}' created. Sign in and add your teams.")
    return 0


def _fictional_usernames() -> set[str]:
    from db.seed import county, demo

    names = {username for username, *_ in demo._PEOPLE}
    names |= {f"manager{m + 1:02d}" for m in range(county.MANAGERS)} | {"trainer01", "admin01"}
    for t in range(county.TEAMS):
        names.add(f"t{t + 1:02d}sup")
        names |= {f"t{t + 1:02d}p{k}" for k in range(1, county.PRACTITIONERS_PER_TEAM + 1)}
    return names


def fictional_data_refusal() -> str | None:
    """Why fictional accounts (with a published password) may not be loaded here, or None.

    Loading is fine into a database with nobody in it, or in demo mode into one that holds
    only the fictional people. Anywhere else real people may be signing in, and a known
    password would open the door to their records."""
    from sqlmodel import select

    from db.engine import session_scope
    from db.models import Person
    from db.settings import get_settings

    with session_scope() as s:
        usernames = set(s.exec(select(Person.username)).all())
    if not usernames:
        return None
    if get_settings().demo_mode and usernames <= _fictional_usernames():
        return None
    return (
        "Nothing was loaded. This database already has people in it, and the fictional accounts "
        "share a published password, so they are only added to an empty database (or, with "
        "CIRCLE_DEMO=1, to one that holds only fictional people). Point DATABASE_URL at a new, "
        "empty database to try the demo."
    )


def _demo(_args: argparse.Namespace) -> int:
    from db.migrate import upgrade
    from db.seed.demo import DEMO_PASSWORD, DEMO_SIGNINS, load_demo

    upgrade()
    refusal = fictional_data_refusal()
    if refusal:
        print(refusal, file=sys.stderr)
        return 2
    summary = load_demo()
    verb = "Loaded" if summary.created else "Already loaded"
    print(
        f"{verb}: the fictional demo team ({summary.teams} teams, {summary.people} people, "
        f"{summary.cases} cases, {summary.sessions} sessions)."
    )
    print(f"\nDemo sign-ins (every account's password is: {DEMO_PASSWORD})")
    for d in DEMO_SIGNINS:
        print(f"  {d.username:<10} {d.role:<13} {d.what_to_try}")
    return 0


def _seed_county(args: argparse.Namespace) -> int:
    from db.migrate import upgrade
    from db.seed.county import COUNTY_PASSWORD, seed_county

    upgrade()
    refusal = fictional_data_refusal()
    if refusal:
        print(refusal, file=sys.stderr)
        return 2
    try:
        summary = seed_county(years=args.years)
    except ValueError as problem:
        print(problem, file=sys.stderr)
        return 2
    print(
        f"Seeded {summary.teams} teams, {summary.people} people, {summary.cases} cases and "
        f"{summary.sessions} sessions in {summary.seconds:.0f} s. Every account's password: {COUNTY_PASSWORD}"
    )
    return 0


def _exercises(args: argparse.Namespace) -> int:
    from pathlib import Path

    from db.migrate import upgrade
    from db.training import load_library

    upgrade()
    try:
        result = load_library(Path(args.file) if args.file else None)
    except NotValid as problem:
        for message in problem.problems.values():
            print(message, file=sys.stderr)
        return 2
    print(
        f"Exercise library: {len(result.added)} added, {len(result.updated)} updated, "
        f"{len(result.copied)} added as copies, {len(result.unchanged)} already up to date."
    )
    return 0


def _backup(args: argparse.Namespace) -> int:
    from db.backup import BackupProblem, backup

    try:
        target = backup(args.path)
    except BackupProblem as problem:
        print(problem, file=sys.stderr)
        return 2
    print(f"Backed up to {target}.")
    return 0


def _restore(args: argparse.Namespace) -> int:
    from db.backup import BackupProblem, restore

    try:
        restore(args.path)
    except BackupProblem as problem:
        print(problem, file=sys.stderr)
        return 2
    print(f"Restored from {args.path}. Start Circle and check a few screens before telling the team.")
    return 0


def _purge(_args: argparse.Namespace) -> int:
    from db.data_protection import KINDS, purge
    from db.migrate import upgrade

    upgrade()
    result = purge()
    if not result.removed:
        print(
            "No retention periods are set yet, so nothing was removed. An administrator sets them on Personal data."
        )
        return 0
    for kind, gone in result.removed.items():
        held = result.kept_by_hold.get(kind, 0)
        kept = f"; {held} kept by a legal hold" if held else ""
        print(f"{KINDS[kind]}: {gone} removed{kept}.")
    print("Each kind's purge is in the audit trail. The audit trail itself is never purged.")
    return 0


def _send_mail(args: argparse.Namespace) -> int:
    from db import mailer
    from db.migrate import upgrade

    upgrade()
    if mailer.smtp_settings() is None:
        print(
            "CIRCLE_SMTP_URL isn't set, so messages are shown on Home only; the daily reminders were added."
        )
    if args.once:
        result = mailer.run_once()
        print(
            f"{result.sent} sent, {result.retrying} waiting to try again, {result.failed} could not be sent."
        )
        return 0
    print(f"Sending every {args.interval:g} seconds; stop with Ctrl+C.")
    try:
        mailer.run_forever(args.interval)
    except KeyboardInterrupt:
        pass
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m db", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("migrate", help="apply database migrations").set_defaults(func=_migrate)
    admin = sub.add_parser("create-admin", help="create an administrator")
    admin.add_argument("--username", required=True)
    admin.add_argument("--name", required=True, help="the name colleagues know them by")
    admin.set_defaults(func=_create_admin)
    sub.add_parser("demo", help="load the fictional demo team").set_defaults(func=_demo)
    for name, func, help_text in (
        ("backup", _backup, "take an online backup to a new file"),
        ("restore", _restore, "restore a backup into an empty database"),
    ):
        command = sub.add_parser(name, help=help_text)
        command.add_argument("path")
        command.set_defaults(func=func)
    county = sub.add_parser("seed-county", help="load a county-scale fictional data set for benchmarks")
    county.add_argument("--years", type=int, default=1, help="years of weekly sessions (1 to 10)")
    county.set_defaults(func=_seed_county)
    exercises = sub.add_parser("exercises", help="load the training exercise library")
    exercises.add_argument("file", nargs="?", help="a Circle exercise file (default: the starter library)")
    exercises.set_defaults(func=_exercises)
    sub.add_parser("purge", help="remove records past their retention period").set_defaults(func=_purge)
    mail = sub.add_parser("send-mail", help="add the daily reminders and send what waits in the outbox")
    mail.add_argument("--once", action="store_true", help="one pass, then stop (for a timer)")
    mail.add_argument("--interval", type=float, default=60.0, help="seconds between passes (default 60)")
    mail.set_defaults(func=_send_mail)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    raise SystemExit(main())
