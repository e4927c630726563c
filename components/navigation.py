"""Every screen Circle has, in one table: its script, title, icon and navigation section.

Which of them a person's navigation holds is decided by their role in `db.access.PAGES`;
a screen missing from their list cannot be reached. A new screen adds one line here and
one line there.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Screen:
    script: str
    title: str
    icon: str
    section: str
    # Detail screens (one case, one record) are reached from links, not the sidebar.
    hidden: bool = False


SCREENS: dict[str, Screen] = {
    "home": Screen("pages/home.py", "This week", ":material/home:", "Your week"),
    "account": Screen("pages/account.py", "Your account", ":material/person:", "You"),
    "insights": Screen("pages/insights.py", "Insights", ":material/insights:", "Insights"),
    "sessions": Screen("pages/sessions.py", "Group supervision", ":material/event:", "Supervision"),
    "session_room": Screen("pages/session_room.py", "Session room", ":material/groups:", "Supervision"),
    "session_record": Screen(
        "pages/session_record.py", "Session record", ":material/description:", "Supervision", hidden=True
    ),
    "one_to_one": Screen("pages/one_to_one.py", "One-to-one supervision", ":material/forum:", "Supervision"),
    "agreement": Screen("pages/agreement.py", "Supervision agreement", ":material/contract:", "Supervision"),
    "agreement_template": Screen(
        "pages/agreement_template.py",
        "Agreement template",
        ":material/contract_edit:",
        "Looking after Circle",
    ),
    "case_board": Screen("pages/case_board.py", "Case board", ":material/dashboard:", "Cases"),
    "case": Screen("pages/case.py", "Case", ":material/folder_open:", "Cases", hidden=True),
    "admin": Screen(
        "pages/admin.py", "Teams and people", ":material/manage_accounts:", "Looking after Circle"
    ),
    "audit": Screen("pages/audit.py", "Audit trail", ":material/policy:", "Looking after Circle"),
    "privacy": Screen(
        "pages/privacy.py", "Personal data", ":material/shield_person:", "Looking after Circle"
    ),
    "risk_log": Screen("pages/risk_log.py", "Holding risk together", ":material/handshake:", "Holding risk"),
    "risk_entry": Screen(
        "pages/risk_entry.py", "A worry we're holding", ":material/edit_note:", "Holding risk", hidden=True
    ),
    "training": Screen("pages/training.py", "Induction and training", ":material/school:", "Training"),
    "training_run": Screen(
        "pages/training_run.py", "Running an exercise", ":material/co_present:", "Training", hidden=True
    ),
    "training_take": Screen(
        "pages/training_take.py", "Induction exercises", ":material/edit_square:", "Training"
    ),
    "language": Screen("pages/language.py", "Words we use", ":material/translate:", "Training"),
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
