"""What makes a username and a password acceptable, and how passwords are kept and checked.

Built-in accounts (`db.accounts`) and the administrator's screens (`db.people`) both use
these, so neither needs the other for them.

- Usernames are 2 to 64 lower-case letters, numbers, dots, dashes or underscores.
- Passwords: length and the most common passwords only, no composition rules. The most
  common are zxcvbn's list of the 30,000 passwords most seen in leaks (a pinned package, so
  the list is versioned with the code).
- Passwords are hashed with argon2id at parameters chosen here (`HASH_PARAMETERS`, see the
  README's security section for why); tests swap in cheap parameters through
  `use_cheap_hashing_for_tests`, never through configuration. Hashes made with other
  parameters are upgraded at the next sign-in (`needs_rehash`).
- At most `PASSWORD_CHECKS_AT_ONCE` password checks run at once in a process (a semaphore
  around argon2), so a flood of sign-ins can't take every core from signed-in pages; a
  check that can't start within a few seconds is answered "busy, try again", never queued
  for ever. Callers run the check outside any database transaction.
"""

from __future__ import annotations

import functools
import os
import re
import threading

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

MIN_PASSWORD = 8
MAX_PASSWORD = 256
_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")

# argon2id at OWASP's recommended configuration (19 MiB, two passes, one lane): one lane so
# a check takes one core, not all of them; ~25 ms on an idle core here, so one server checks
# ~40 passwords a second with one check at a time, above what nginx's recipe lets through
# (20 a second), and a flood can't take the server's cores from the pages. See the README.
HASH_PARAMETERS = {"time_cost": 2, "memory_cost": 19456, "parallelism": 1}
PASSWORD_CHECKS_AT_ONCE = max(
    1, int(os.environ.get("CIRCLE_PASSWORD_CHECKS", "0") or 0) or (os.cpu_count() or 2) // 2
)
PASSWORD_CHECK_WAIT_SECONDS = 5.0
_checks = threading.BoundedSemaphore(PASSWORD_CHECKS_AT_ONCE)

_hasher = PasswordHasher(**HASH_PARAMETERS)  # type: ignore[arg-type]  # keyword arguments from a dict of mixed values; each is checked where the dict is built


def use_cheap_hashing_for_tests() -> None:
    """Tests only: argon2id with tiny costs so hundreds of sign-ins stay fast."""
    global _hasher, _DUMMY_HASH
    _hasher = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    _DUMMY_HASH = _hasher.hash("not a real password")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def needs_rehash(encoded: str) -> bool:
    """A stored hash made with other parameters than today's (upgraded at the next sign-in)."""
    return _hasher.check_needs_rehash(encoded)


_DUMMY_HASH = _hasher.hash("not a real password")


def verify(encoded: str | None, password: str) -> bool | None:
    """Check a password against a stored hash (or a dummy one, so an unknown username costs
    the same time). None: too many checks are running; nothing was checked."""
    if not _checks.acquire(timeout=PASSWORD_CHECK_WAIT_SECONDS):
        return None
    try:
        return bool(_hasher.verify(encoded or _DUMMY_HASH, password or "")) and encoded is not None
    except (VerificationError, InvalidHashError):
        return False
    finally:
        _checks.release()


@functools.cache
def _common_passwords() -> frozenset[str]:
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(p for p in FREQUENCY_LISTS["passwords"] if len(p) >= MIN_PASSWORD)


def is_common_password(password: str) -> bool:
    plain = (password or "").strip().lower()
    return plain in _common_passwords() or plain.replace(" ", "") in _common_passwords()


def password_problem(password: str) -> str | None:
    """Length and the most common passwords only: no composition rules, passphrases welcome."""
    if len(password) < MIN_PASSWORD:
        return f"Please use at least {MIN_PASSWORD} characters; a few words together work well."
    if len(password) > MAX_PASSWORD:
        return f"Please keep it to {MAX_PASSWORD} characters or fewer."
    if is_common_password(password):
        return (
            "That's one of the passwords people use most often, so it would be among the first "
            "anyone guessed. Please choose another; a few unrelated words together work well."
        )
    return None


def clean_username(username: str | None) -> tuple[str, str | None]:
    """The username as stored (trimmed, lower case), and what is wrong with it, if anything."""
    key = (username or "").strip().lower()
    if not _USERNAME.match(key):
        return key, (
            "Usernames use 2 to 64 lower-case letters, numbers, dots, dashes or underscores, "
            "starting with a letter or number."
        )
    return key, None
