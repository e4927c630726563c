"""Built-in accounts: passwords, sign-in with an expiring back-off, and server-side sessions.

- Passwords are hashed with argon2id (argon2-cffi's defaults); tests swap in cheap
  parameters through `use_cheap_hashing_for_tests`, never through configuration.
- A sign-in creates a row in `signin_session`; the browser holds only a random token in an
  HttpOnly cookie, and the database holds its SHA-256. Signing out, changing a password or
  being deactivated revokes the rows at once, on every server.
- Failed sign-ins per username are counted in the database and slow further attempts with
  a back-off that doubles and then expires; there is no permanent lock-out.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlmodel import Session, col, select

from db import audit
from db.access import Actor, TeamRole
from db.clock import utcnow
from db.engine import session_scope
from db.errors import NotAllowed, NotValid
from db.models import Membership, Person, SignInSession, SignInThrottle, Team
from db.settings import get_settings

MIN_PASSWORD = 8
MAX_PASSWORD = 256
BACKOFF_FREE_TRIES = 3
BACKOFF_BASE_SECONDS = 2
BACKOFF_MAX_SECONDS = 300
BACKOFF_FORGET_AFTER = timedelta(minutes=15)
TOUCH_EVERY = timedelta(seconds=60)

_hasher = PasswordHasher()


def use_cheap_hashing_for_tests() -> None:
    """Tests only: argon2id with tiny costs so hundreds of sign-ins stay fast."""
    global _hasher, _DUMMY_HASH
    _hasher = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    _DUMMY_HASH = _hasher.hash("not a real password")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


_DUMMY_HASH = _hasher.hash("not a real password")


def password_problem(password: str) -> str | None:
    """Length only: no composition rules, long passphrases welcome."""
    if len(password) < MIN_PASSWORD:
        return f"Please use at least {MIN_PASSWORD} characters; a few words together work well."
    if len(password) > MAX_PASSWORD:
        return f"Please keep it to {MAX_PASSWORD} characters or fewer."
    return None


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _backoff_seconds(failures: int) -> int:
    if failures < BACKOFF_FREE_TRIES:
        return 0
    return min(BACKOFF_BASE_SECONDS * 2 ** (failures - BACKOFF_FREE_TRIES), BACKOFF_MAX_SECONDS)


@dataclass(frozen=True)
class SignInResult:
    ok: bool
    token: str | None = None
    message: str = ""
    wait_seconds: int = 0


def sign_in(username: str, password: str, *, now: datetime | None = None) -> SignInResult:
    """Check a username and password; on success create a server-side session."""
    now = now or utcnow()
    key = (username or "").strip().lower()[:64]
    settings = get_settings()
    with session_scope(write=True) as s:
        throttle = s.get(SignInThrottle, key)
        if throttle and now - throttle.last_failure_at > BACKOFF_FORGET_AFTER:
            s.delete(throttle)
            s.flush()
            throttle = None
        if throttle:
            ready_at = throttle.last_failure_at + timedelta(seconds=_backoff_seconds(throttle.failures))
            if now < ready_at:
                wait = max(1, int((ready_at - now).total_seconds() + 0.999))
                audit.record(s, "signin_wait", actor_label=key, outcome="refused")
                return SignInResult(
                    ok=False,
                    wait_seconds=wait,
                    message=(
                        "There have been a few tries that didn't match, so we've paused "
                        f"sign-in for this account. Please try again in {wait} seconds."
                    ),
                )
        person = s.exec(select(Person).where(Person.username == key)).first()
        ok = False
        try:
            ok = _hasher.verify(
                person.password_hash if person and person.password_hash else _DUMMY_HASH,
                password or "",
            ) and bool(person and person.password_hash and person.is_active)
        except (VerificationError, InvalidHashError):
            ok = False
        if not ok or person is None:
            if throttle is None:
                throttle = SignInThrottle(key=key, failures=0)
            throttle.failures += 1
            throttle.last_failure_at = now
            s.add(throttle)
            audit.record(
                s,
                "signin_failed",
                actor_id=person.id if person else None,
                actor_label=key,
                outcome="refused",
            )
            return SignInResult(
                ok=False,
                message="That username and password don't match our records. Please check and try again.",
            )
        if throttle:
            s.delete(throttle)
        if _hasher.check_needs_rehash(person.password_hash or ""):
            person.password_hash = _hasher.hash(password)
            s.add(person)
        token = secrets.token_urlsafe(32)
        s.add(
            SignInSession(
                token_hash=_token_hash(token),
                person_id=person.id,
                created_at=now,
                last_seen_at=now,
                expires_at=now + timedelta(hours=settings.absolute_lifetime_hours),
            )
        )
        audit.record(s, "signin", actor_id=person.id, actor_label=person.username)
        return SignInResult(ok=True, token=token)


def external_key(issuer: str, subject: str) -> str:
    """How an identity from the council's provider is stored on a person (issuer + subject:
    a subject is only unique within its issuer)."""
    return f"{(issuer or '').strip().rstrip('/')}#{(subject or '').strip()}"[:255]


def sign_in_external(issuer: str, subject: str, *, now: datetime | None = None) -> SignInResult:
    """A person the council's identity provider vouched for: find who they are in Circle and
    create the same server-side session as a password sign-in, so sign-out, deactivation and
    revocation work exactly as they do for built-in accounts."""
    now = now or utcnow()
    key = external_key(issuer, subject)
    with session_scope(write=True) as s:
        person = s.exec(select(Person).where(Person.external_subject == key)).first() if subject else None
        if person is None or not person.is_active:
            audit.record(
                s,
                "signin_failed",
                actor_id=person.id if person else None,
                actor_label=person.username if person else subject,
                record_type="single_sign_on",
                outcome="deactivated" if person else "unknown",
            )
            return SignInResult(
                ok=False,
                message=(
                    "Your Circle account can't be used at the moment. Please ask your Circle administrator."
                    if person
                    else "Your council account isn't linked to Circle yet. Please ask your Circle administrator."
                ),
            )
        token = secrets.token_urlsafe(32)
        s.add(
            SignInSession(
                token_hash=_token_hash(token),
                person_id=person.id,
                created_at=now,
                last_seen_at=now,
                expires_at=now + timedelta(hours=get_settings().absolute_lifetime_hours),
            )
        )
        audit.record(
            s, "signin", actor_id=person.id, actor_label=person.username, record_type="single_sign_on"
        )
        return SignInResult(ok=True, token=token)


def _load_actor(s: Session, person: Person, signin_session_id: int | None) -> Actor:
    rows = s.exec(
        select(Membership.team_id, Team.name, Membership.role)
        .join(Team, Team.id == Membership.team_id)
        .where(Membership.person_id == person.id, col(Membership.left_on).is_(None))
        .order_by(Team.name)
    ).all()
    return Actor(
        person_id=person.id,  # type: ignore[arg-type]
        username=person.username,
        display_name=person.display_name,
        role=person.role,
        memberships=tuple(TeamRole(t, n, r) for t, n, r in rows),
        signin_session_id=signin_session_id,
    )


def actor_for_token(token: str | None, *, now: datetime | None = None) -> Actor | None:
    """The signed-in person for a cookie token, or None when it is unknown, revoked or expired.

    Called on every rerun, so role changes and deactivation apply at the next interaction.
    """
    if not token or len(token) > 200:
        return None
    now = now or utcnow()
    idle = timedelta(minutes=get_settings().idle_timeout_minutes)
    with session_scope() as s:
        row = s.exec(
            select(SignInSession, Person)
            .join(Person, Person.id == SignInSession.person_id)
            .where(SignInSession.token_hash == _token_hash(token))
        ).first()
        if row is None:
            return None
        signin, person = row
        if signin.revoked_at is not None or not person.is_active:
            return None
        expired = now >= signin.expires_at or now - signin.last_seen_at > idle
        needs_touch = not expired and now - signin.last_seen_at > TOUCH_EVERY
        actor = None if expired else _load_actor(s, person, signin.id)
    if expired:
        _revoke_where(SignInSession.id == signin.id, "expired")
    elif needs_touch:
        with session_scope(write=True) as s:
            fresh = s.get(SignInSession, signin.id)
            if fresh and fresh.revoked_at is None:
                fresh.last_seen_at = now
    return actor


def _revoke_where(condition, reason: str) -> int:  # type: ignore[no-untyped-def]
    with session_scope(write=True) as s:
        rows = s.exec(select(SignInSession).where(condition, col(SignInSession.revoked_at).is_(None))).all()
        for row in rows:
            row.revoked_at = utcnow()
            row.revoked_reason = reason
            s.add(row)
        return len(rows)


def sign_out_token(token: str | None) -> None:
    """End the session behind a cookie (the sign-out route)."""
    if not token:
        return
    with session_scope(write=True) as s:
        row = s.exec(select(SignInSession).where(SignInSession.token_hash == _token_hash(token))).first()
        if row and row.revoked_at is None:
            row.revoked_at = utcnow()
            row.revoked_reason = "signed_out"
            person = s.get(Person, row.person_id)
            audit.record(s, "signout", actor_id=row.person_id, actor_label=person.username if person else "")


def sign_out(actor: Actor) -> None:
    """End this browser's session (the sign-out button)."""
    if actor.signin_session_id is None:
        return
    with session_scope(write=True) as s:
        row = s.get(SignInSession, actor.signin_session_id)
        if row and row.revoked_at is None:
            row.revoked_at = utcnow()
            row.revoked_reason = "signed_out"
            audit.record(s, "signout", actor_id=actor.person_id, actor_label=actor.username)


def revoke_all_sessions(person_id: int, reason: str) -> int:
    return _revoke_where(SignInSession.person_id == person_id, reason)


def change_own_password(actor: Actor, current: str, new: str, repeat: str) -> None:
    problems: dict[str, str] = {}
    if (p := password_problem(new or "")) is not None:
        problems["new"] = p
    elif new != repeat:
        problems["repeat"] = "The two new passwords don't match yet; please type it again."
    with session_scope(write=True) as s:
        person = s.get(Person, actor.person_id)
        if person is None or not person.is_active:
            raise NotAllowed()
        try:
            _hasher.verify(person.password_hash or _DUMMY_HASH, current or "")
        except (VerificationError, InvalidHashError):
            problems["current"] = "Your current password doesn't match; please try it again."
        if problems:
            raise NotValid(problems)
        person.password_hash = _hasher.hash(new)
        person.password_changed_at = utcnow()
        person.version += 1
        s.add(person)
        audit.record(
            s,
            "password_changed",
            actor_id=actor.person_id,
            actor_label=actor.username,
            record_type="person",
            record_id=actor.person_id,
        )
    # Every other browser signed in as this person is signed out too.
    revoke_all_sessions(actor.person_id, "password_changed")


def create_admin(username: str, display_name: str, password: str) -> int:
    """The first administrator (from `python -m db create-admin`); no default accounts exist."""
    from db.people import clean_username  # local import: people imports this module

    problems: dict[str, str] = {}
    key, problem = clean_username(username)
    if problem:
        problems["username"] = problem
    if not (display_name or "").strip():
        problems["display_name"] = "Please add the name colleagues know this person by."
    if (p := password_problem(password or "")) is not None:
        problems["password"] = p
    if problems:
        raise NotValid(problems)
    with session_scope(write=True) as s:
        if s.exec(select(Person).where(Person.username == key)).first():
            raise NotValid({"username": "Someone already has that username; please choose another."})
        person = Person(
            username=key,
            display_name=display_name.strip(),
            role="admin",
            password_hash=_hasher.hash(password),
            password_changed_at=utcnow(),
        )
        s.add(person)
        s.flush()
        audit.record(s, "create", actor_label="command line", record_type="person", record_id=person.id)
        return int(person.id)  # type: ignore[arg-type]
