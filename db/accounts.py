"""Built-in accounts: sign-in with an expiring back-off, and server-side sessions.

What a good username and password are, and how passwords are hashed and checked (at most a
few checks at once, outside any transaction), is `db.credentials`.

- A sign-in creates a row in `signin_session`; the browser holds only a random token in an
  HttpOnly cookie, and the database holds its SHA-256. Signing out, changing a password,
  being deactivated or signing in again from the same browser revokes the rows at once,
  on every server.
- Failed sign-ins are counted in the database per account *and* address together (so an
  attacker elsewhere can't keep the real person out) and per address (so one address
  can't spray guesses across many accounts); each slows further attempts with a back-off
  that doubles and then expires. There is no permanent lock-out.
- A council sign-in (single sign-on) must be fresh and used once: its nonce is stored, so
  a captured identity can't be replayed on any server.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, delete
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from db import audit
from db.access import Actor, TeamRole
from db.clock import utcnow
from db.credentials import clean_username, hash_password, needs_rehash, password_problem, verify
from db.engine import session_scope
from db.errors import NotAllowed, NotValid
from db.models import Membership, Person, SignInSession, SignInThrottle, SingleSignOnNonce, Team
from db.settings import get_settings

# Per account and address together: three free tries, then 2 s doubling up to 5 minutes.
BACKOFF_FREE_TRIES = 3
BACKOFF_BASE_SECONDS = 2
BACKOFF_MAX_SECONDS = 300
BACKOFF_FORGET_AFTER = timedelta(minutes=15)
# Per address, whatever the account: generous, because a council's staff often share one
# outgoing address, but enough to stop one address spraying guesses across accounts.
CLIENT_FREE_TRIES = 30
TOUCH_EVERY = timedelta(seconds=60)
# A council sign-in must reach Circle within this long of the provider issuing it.
SSO_FRESH_FOR = timedelta(minutes=5)
SSO_CLOCK_SKEW = timedelta(seconds=60)
SSO_NONCE_KEPT = timedelta(days=2)


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _backoff_seconds(failures: int, free_tries: int = BACKOFF_FREE_TRIES) -> int:
    if failures < free_tries:
        return 0
    return min(BACKOFF_BASE_SECONDS * 2 ** (failures - free_tries), BACKOFF_MAX_SECONDS)


def _pair_key(username: str, client: str) -> str:
    # Hashed: a username and an address together can be longer than the key column, and a
    # username can never be mistaken for another kind of key (join codes have their own).
    return "signin:" + hashlib.sha256(f"{username}\n{client}".encode()).hexdigest()[:56]


def _client_key(client: str) -> str:
    return "signin-client:" + client[:50]


def _wait_left(s: Session, key: str, free_tries: int, now: datetime) -> int:
    """Seconds this key must still wait (0: go ahead). A back-off left alone long enough is
    forgotten (its count starts again at the next failure)."""
    throttle = s.get(SignInThrottle, key)
    if throttle is None or now - throttle.last_failure_at > BACKOFF_FORGET_AFTER:
        return 0
    ready_at = throttle.last_failure_at + timedelta(seconds=_backoff_seconds(throttle.failures, free_tries))
    return max(1, int((ready_at - now).total_seconds() + 0.999)) if now < ready_at else 0


def _count_failure(s: Session, key: str, now: datetime) -> None:
    throttle = s.get(SignInThrottle, key, with_for_update=True)
    if throttle is None:
        throttle = SignInThrottle(key=key, failures=0)
    elif now - throttle.last_failure_at > BACKOFF_FORGET_AFTER:
        throttle.failures = 0
    throttle.failures += 1
    throttle.last_failure_at = now
    s.add(throttle)


def _new_session(s: Session, person_id: int, now: datetime, replaces: str | None) -> str:
    """A fresh server-side session; the one this browser held before (if any) ends now."""
    if replaces and len(replaces) <= 200:
        old = s.exec(select(SignInSession).where(SignInSession.token_hash == _token_hash(replaces))).first()
        if old and old.revoked_at is None:
            old.revoked_at = now
            old.revoked_reason = "signed_in_again"
            s.add(old)
    token = secrets.token_urlsafe(32)
    s.add(
        SignInSession(
            token_hash=_token_hash(token),
            person_id=person_id,
            created_at=now,
            last_seen_at=now,
            expires_at=now + timedelta(hours=get_settings().absolute_lifetime_hours),
        )
    )
    return token


@dataclass(frozen=True)
class SignInResult:
    ok: bool
    token: str | None = None
    message: str = ""
    wait_seconds: int = 0


BUSY = SignInResult(
    ok=False,
    wait_seconds=5,
    message="Lots of people are signing in at this moment. Please try again in a few seconds.",
)


def sign_in(
    username: str,
    password: str,
    *,
    client: str = "",
    replaces: str | None = None,
    now: datetime | None = None,
) -> SignInResult:
    """Check a username and password; on success create a server-side session.

    `client` is the address the attempt came from (the back-off is kept per account and
    address together, and per address); `replaces` is the sign-in token the browser already
    held, which ends when this one begins.
    """
    now = now or utcnow()
    key = (username or "").strip().lower()[:64]
    client = (client or "unknown")[:50]
    pair, per_client = _pair_key(key, client), _client_key(client)
    # Reads only, so a flood of attempts doesn't queue for the database's write lock.
    with session_scope() as s:
        wait = max(
            _wait_left(s, pair, BACKOFF_FREE_TRIES, now), _wait_left(s, per_client, CLIENT_FREE_TRIES, now)
        )
        person = s.exec(select(Person).where(Person.username == key)).first() if not wait else None
        stored = person.password_hash if person is not None else None
        person_id = person.id if person is not None else None
    if wait:
        return _paused(key, wait)
    # The slow part, outside any transaction and bounded in how many run at once.
    matched = verify(stored, password)
    if matched is None:
        return BUSY
    if matched and (started := _start_session(person_id, stored, password, pair, now, replaces)):
        return started
    return _refused(person_id, key, (pair, per_client), now)


def _paused(key: str, wait: int) -> SignInResult:
    with session_scope(write=True) as s:
        audit.record(s, "signin_wait", actor_label=key, outcome="refused")
    return SignInResult(
        ok=False,
        wait_seconds=wait,
        message=(
            "There have been a few tries that didn't match, so we've paused "
            f"sign-in for a moment. Please try again in {wait} seconds."
        ),
    )


def _start_session(
    person_id: int | None, stored: str | None, password: str, pair: str, now: datetime, replaces: str | None
) -> SignInResult | None:
    """After the password matched: a session, unless the person was deactivated or their
    password changed while it was being checked (None: count it as a failure)."""
    with session_scope(write=True) as s:
        person = s.get(Person, person_id)
        if person is None or not person.is_active or person.password_hash != stored:
            return None
        throttle = s.get(SignInThrottle, pair)
        if throttle:
            s.delete(throttle)
        if needs_rehash(person.password_hash or ""):
            person.password_hash = hash_password(password)
            s.add(person)
        token = _new_session(s, int(person.id), now, replaces)
        audit.record(s, "signin", actor_id=person.id, actor_label=person.username)
        return SignInResult(ok=True, token=token)


def _refused(person_id: int | None, key: str, throttle_keys: tuple[str, str], now: datetime) -> SignInResult:
    """A failed sign-in: audited, and counted against the account-and-address and the address."""
    for attempt in range(3):
        try:
            with session_scope(write=True) as s:
                audit.record(s, "signin_failed", actor_id=person_id, actor_label=key, outcome="refused")
                for throttle_key in throttle_keys:
                    _count_failure(s, throttle_key, now)
            break
        except IntegrityError:  # another server counted a first failure at the same moment
            if attempt == 2:
                raise
    return SignInResult(
        ok=False,
        message="That username and password don't match our records. Please check and try again.",
    )


def external_key(issuer: str, subject: str) -> str:
    """How an identity from the council's provider is stored on a person (issuer + subject:
    a subject is only unique within its issuer)."""
    return f"{(issuer or '').strip().rstrip('/')}#{(subject or '').strip()}"[:255]


SSO_STALE_MESSAGE = (
    "That sign-in with your council account had already been used, or was from a while ago, "
    "so we can't use it again. Please sign in again."
)


def sign_in_external(
    issuer: str,
    subject: str,
    *,
    nonce: str,
    issued_at: datetime | None,
    expires_at: datetime | None,
    replaces: str | None = None,
    now: datetime | None = None,
) -> SignInResult:
    """A person the council's identity provider vouched for: find who they are in Circle and
    create the same server-side session as a password sign-in, so sign-out, deactivation and
    revocation work exactly as they do for built-in accounts.

    The provider's word counts once, and only while fresh: it must have been issued within
    `SSO_FRESH_FOR`, not have expired, and carry a nonce no earlier sign-in used (stored in
    the database, so every server agrees).
    """
    now = now or utcnow()
    key = external_key(issuer, subject)
    fresh = (
        bool(nonce)
        and issued_at is not None
        and expires_at is not None
        and now - SSO_FRESH_FOR <= issued_at <= now + SSO_CLOCK_SKEW
        and now < expires_at
    )
    fresh = fresh and _first_use_of(key, nonce, now)
    with session_scope(write=True) as s:
        if not fresh:
            audit.record(
                s,
                "signin_failed",
                actor_label=(subject or "")[:60],
                record_type="single_sign_on",
                outcome="stale_or_replayed",
            )
            return SignInResult(ok=False, message=SSO_STALE_MESSAGE)
        person = s.exec(select(Person).where(Person.external_subject == key)).first() if subject else None
        if person is None or not person.is_active:
            return _not_usable(s, person, subject)
        token = _new_session(s, int(person.id), now, replaces)
        audit.record(
            s, "signin", actor_id=person.id, actor_label=person.username, record_type="single_sign_on"
        )
        return SignInResult(ok=True, token=token)


def _first_use_of(key: str, nonce: str, now: datetime) -> bool:
    """Record the provider's nonce; False when a sign-in on any server has already used it."""
    try:
        with session_scope(write=True) as s:
            s.exec(delete(SingleSignOnNonce).where(col(SingleSignOnNonce.used_at) < now - SSO_NONCE_KEPT))
            s.add(SingleSignOnNonce(nonce_hash=_token_hash(f"{key}\n{nonce}"), used_at=now))
    except IntegrityError:
        return False
    return True


def _not_usable(s: Session, person: Person | None, subject: str) -> SignInResult:
    """A council identity nobody in Circle is linked to, or a deactivated person's."""
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


def _signed_in_rows(token: str) -> Sequence[tuple[Any, ...]]:
    """One query, columns only (every refresh of every live screen comes through here): the
    sign-in, its person, and one row per current team membership (none: one row of NULLs)."""
    with session_scope() as s:
        return s.exec(
            select(  # type: ignore[call-overload]  # SQLModel's select() overloads stop at four columns or at labelled expressions
                col(SignInSession.id),
                col(SignInSession.revoked_at),
                col(SignInSession.expires_at),
                col(SignInSession.last_seen_at),
                col(Person.id),
                col(Person.username),
                col(Person.display_name),
                col(Person.role),
                col(Person.is_active),
                col(Membership.team_id),
                col(Team.name),
                col(Membership.role),
            )
            .join(Person, Person.id == SignInSession.person_id)
            .outerjoin(
                Membership,
                and_(col(Membership.person_id) == col(Person.id), col(Membership.left_on).is_(None)),
            )
            .outerjoin(Team, Team.id == Membership.team_id)
            .where(SignInSession.token_hash == _token_hash(token))
            .order_by(Team.name)
        ).all()


def actor_for_token(token: str | None, *, now: datetime | None = None) -> Actor | None:
    """The signed-in person for a cookie token, or None when it is unknown, revoked or expired.

    Called on every rerun, so role changes and deactivation apply at the next interaction.
    """
    if not token or len(token) > 200:
        return None
    now = now or utcnow()
    idle = timedelta(minutes=get_settings().idle_timeout_minutes)
    rows = _signed_in_rows(token)
    if not rows:
        return None
    signin_id, revoked_at, expires_at, last_seen_at, person_id, username, display_name, role, active = rows[
        0
    ][:9]
    if revoked_at is not None or not active:
        return None
    if now >= expires_at or now - last_seen_at > idle:
        _revoke_where(SignInSession.id == signin_id, "expired")
        return None
    if now - last_seen_at > TOUCH_EVERY:
        with session_scope(write=True) as s:
            fresh = s.get(SignInSession, signin_id)
            if fresh and fresh.revoked_at is None:
                fresh.last_seen_at = now
    memberships = tuple(TeamRole(t, n, r) for *_, t, n, r in rows if t is not None)
    return Actor(person_id, username, display_name, role, memberships, signin_session_id=signin_id)


def _revoke_where(condition, reason: str) -> int:
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


def revoke_all_sessions(person_id: int, reason: str, *, keep: int | None = None) -> int:
    """End every sign-in of this person on every server (but `keep`, a sign-in session id)."""
    condition = SignInSession.person_id == person_id
    if keep is not None:
        condition = condition & (SignInSession.id != keep)
    return _revoke_where(condition, reason)


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
        if not person.password_hash:
            # No password to prove (council sign-in or a training-only sign-in): nothing typed
            # here may stand in for one. An administrator sets a first password.
            problems["current"] = (
                "This account doesn't have a Circle password yet, so there's none to change here. "
                "Your Circle administrator can set one for you."
            )
        else:
            matched = verify(person.password_hash, current or "")
            if matched is None:
                problems["current"] = (
                    "Lots of people are signing in at this moment; please try again shortly."
                )
            elif not matched:
                problems["current"] = "Your current password doesn't match; please try it again."
        if problems:
            raise NotValid(problems)
        person.password_hash = hash_password(new)
        person.password_changed_at = utcnow()
        person.version += 1
        s.add(person)
        audit.by(s, actor, "password_changed", "person", actor.person_id)
    # Every other browser signed in as this person is signed out. This one stays: its person
    # has just proved the current password here, and the screen says so.
    revoke_all_sessions(actor.person_id, "password_changed", keep=actor.signin_session_id)


def create_admin(username: str, display_name: str, password: str) -> int:
    """The first administrator (from `python -m db create-admin`); no default accounts exist."""
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
            password_hash=hash_password(password),
            password_changed_at=utcnow(),
        )
        s.add(person)
        s.flush()
        audit.record(s, "create", actor_label="command line", record_type="person", record_id=person.id)
        return int(person.id)
