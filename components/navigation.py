"""Every screen Circle has, in one table: its script, title, icon, navigation section and
the roles whose navigation holds it.

A screen missing from a role's list cannot be reached: app.py builds `st.navigation` from
`pages_for(role)` alone, so Streamlit has no such page to switch to. A new screen adds one
line here. Plain data (no Streamlit), so anything may read it; what a person may do with
records is still checked in the data layer (`db/access.py`), whatever the navigation shows.
"""

from __future__ import annotations

from dataclasses import dataclass

from db.access import CASE_ROLES  # whoever may see case records has the case screens

# The staff roles (an account with a password, or a council sign-in).
ALL_ROLES = ("practitioner", "supervisor", "manager", "trainer", "admin")
# Someone who joined an induction cohort with its code: no team, no password, and only the
# training screen they answer on (kept out of ALL_ROLES so Home and the rest stay closed).
TRAINEE = "trainee"
# Those who practise in a team: group and one-to-one supervision, the team's words, exercises.
PRACTICE_ROLES = ("practitioner", "supervisor")


@dataclass(frozen=True)
class Screen:
    script: str
    title: str
    icon: str
    section: str
    # The roles whose navigation holds this screen.
    roles: tuple[str, ...]
    # Detail screens (one case, one record) are reached from links, not the sidebar.
    hidden: bool = False


SCREENS: dict[str, Screen] = {
    "home": Screen("pages/home.py", "This week", ":material/home:", "Your week", ALL_ROLES),
    "account": Screen("pages/account.py", "Your account", ":material/person:", "You", ALL_ROLES),
    "insights": Screen(
        "pages/insights.py", "Insights", ":material/insights:", "Insights", ("supervisor", "manager")
    ),
    "sessions": Screen(
        "pages/sessions.py", "Group supervision", ":material/event:", "Supervision", PRACTICE_ROLES
    ),
    "session_room": Screen(
        "pages/session_room.py", "Session room", ":material/groups:", "Supervision", PRACTICE_ROLES
    ),
    "session_record": Screen(
        "pages/session_record.py",
        "Session record",
        ":material/description:",
        "Supervision",
        PRACTICE_ROLES,
        hidden=True,
    ),
    "one_to_one": Screen(
        "pages/one_to_one.py", "One-to-one supervision", ":material/forum:", "Supervision", PRACTICE_ROLES
    ),
    "agreement": Screen(
        "pages/agreement.py", "Supervision agreement", ":material/contract:", "Supervision", PRACTICE_ROLES
    ),
    "agreement_template": Screen(
        "pages/agreement_template.py",
        "Agreement template",
        ":material/contract_edit:",
        "Looking after Circle",
        ("admin",),
    ),
    "case_board": Screen("pages/case_board.py", "Case board", ":material/dashboard:", "Cases", CASE_ROLES),
    "case": Screen("pages/case.py", "Case", ":material/folder_open:", "Cases", CASE_ROLES, hidden=True),
    "admin": Screen(
        "pages/admin.py", "Teams and people", ":material/manage_accounts:", "Looking after Circle", ("admin",)
    ),
    "audit": Screen("pages/audit.py", "Audit trail", ":material/policy:", "Looking after Circle", ("admin",)),
    "privacy": Screen(
        "pages/privacy.py", "Personal data", ":material/shield_person:", "Looking after Circle", ("admin",)
    ),
    "risk_log": Screen(
        "pages/risk_log.py", "Holding risk together", ":material/handshake:", "Holding risk", CASE_ROLES
    ),
    "risk_entry": Screen(
        "pages/risk_entry.py",
        "A worry we're holding",
        ":material/edit_note:",
        "Holding risk",
        CASE_ROLES,
        hidden=True,
    ),
    "training": Screen(
        "pages/training.py", "Induction and training", ":material/school:", "Training", ("trainer",)
    ),
    "training_run": Screen(
        "pages/training_run.py",
        "Running an exercise",
        ":material/co_present:",
        "Training",
        ("trainer",),
        hidden=True,
    ),
    "training_take": Screen(
        "pages/training_take.py",
        "Induction exercises",
        ":material/edit_square:",
        "Training",
        (*PRACTICE_ROLES, TRAINEE),
    ),
    "language": Screen(
        "pages/language.py", "Words we use", ":material/translate:", "Training", PRACTICE_ROLES
    ),
}

# Sections appear in this order in the sidebar.
SECTION_ORDER = (
    "Your week",
    "Supervision",
    "Cases",
    "Holding risk",
    "Insights",
    "Training",
    "Looking after Circle",
    "You",
)


def pages_for(role: str) -> tuple[str, ...]:
    """The screens this role's navigation holds, in the table's order."""
    return tuple(key for key, screen in SCREENS.items() if role in screen.roles)
