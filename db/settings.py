"""Configuration read from the environment, in one place.

Every setting has a safe default for a newcomer's laptop; production deployments set
them explicitly (see the README's configuration table).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SQLITE_PATH = ROOT / "data" / "circle.db"
# A case reference is a code, never a name: letters and digits, with at least one digit,
# in parts joined by "-" or "/" (JT-07, RB-1042, EH/00421, 12345). A council with another
# scheme sets CIRCLE_CASE_REFERENCE_PATTERN (a Python regular expression the whole
# reference must match).
DEFAULT_CASE_REFERENCE_PATTERN = r"(?=[A-Za-z0-9/-]*[0-9])[A-Za-z0-9]+(?:[-/][A-Za-z0-9]+)*"


def _bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


@dataclass(frozen=True)
class Settings:
    database_url: str
    demo_mode: bool
    idle_timeout_minutes: int
    absolute_lifetime_hours: int
    cookie_secure: bool
    cookie_name: str = "circle_session"
    # Single sign-on through the council's OpenID Connect provider (all three, or none).
    oidc_issuer: str = ""
    oidc_client_id: str = ""
    oidc_client_secret: str = ""
    # Signs Streamlit's short-lived sign-on cookie; set the same value on every server.
    cookie_secret: str = ""
    # Where browsers reach Circle (the provider sends them back to PUBLIC_URL/oauth2callback).
    public_url: str = ""
    # Migrations may run as a different (owner) role from the app: see the README.
    migration_url: str = ""
    case_reference_pattern: str = DEFAULT_CASE_REFERENCE_PATTERN

    @property
    def sso(self) -> bool:
        return bool(self.oidc_issuer and self.oidc_client_id and self.oidc_client_secret)


def get_settings() -> Settings:
    """Read settings fresh each call, so tests and commands can change the environment."""
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{DEFAULT_SQLITE_PATH}"
    return Settings(
        database_url=url,
        demo_mode=_bool("CIRCLE_DEMO", False),
        idle_timeout_minutes=_int("CIRCLE_IDLE_MINUTES", 30),
        absolute_lifetime_hours=_int("CIRCLE_SESSION_HOURS", 12),
        cookie_secure=_bool("CIRCLE_COOKIE_SECURE", False),
        # Over HTTPS the browser holds the cookie only for this exact host, path / and Secure.
        cookie_name="__Host-circle_session" if _bool("CIRCLE_COOKIE_SECURE", False) else "circle_session",
        oidc_issuer=os.environ.get("CIRCLE_OIDC_ISSUER", "").strip().rstrip("/"),
        oidc_client_id=os.environ.get("CIRCLE_OIDC_CLIENT_ID", "").strip(),
        oidc_client_secret=os.environ.get("CIRCLE_OIDC_CLIENT_SECRET", "").strip(),
        cookie_secret=os.environ.get("CIRCLE_COOKIE_SECRET", "").strip(),
        public_url=os.environ.get("CIRCLE_PUBLIC_URL", "").strip().rstrip("/"),
        migration_url=os.environ.get("CIRCLE_MIGRATION_URL", "").strip(),
        case_reference_pattern=_pattern("CIRCLE_CASE_REFERENCE_PATTERN", DEFAULT_CASE_REFERENCE_PATTERN),
    )


def _pattern(name: str, default: str) -> str:
    value = os.environ.get(name, "").strip() or default
    try:
        re.compile(value)
    except re.error as exc:
        raise ValueError(f"{name} isn't a regular expression Python can read ({exc}).") from exc
    return value
