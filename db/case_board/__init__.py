"""The shared case board: a team's cases as cards, and the few settings the team owns.

Read side: `board()` pages the team's cases in SQL (filters, search, grouping order and the
"not talked about lately" signal are all in the query) and then fetches the details only
for the cards on the page: the latest two relationship check-ins (for the trend), open
risk threads, the scale from the current mapping. Nothing loads a whole table.

Write side: creating a case, changing its details (status, lead, best relationship, next
review) against its version, and the team's own status names and "not talked about" weeks.

Scope: practitioners and supervisors see and change their own teams' cases; managers see
the teams they oversee and change nothing; trainers and admins see no case at all.
"""

from __future__ import annotations

from db.case_board.commands import (  # noqa: F401
    CASE_LABELS,
    REFERENCE_SHAPE,
    _case_conflict,
    _check_details,
    _check_reference,
    _closed_on,
    board_settings,
    create_case,
    rename_case,
    save_board_settings,
    update_case,
)
from db.case_board.common import (  # noqa: F401
    CASE_STATUSES,
    DEFAULT_STATUS_LABELS,
    EDITOR_ROLES,
    GROUPINGS,
    OPEN_STATUSES,
    PAGE_SIZE,
    BoardPage,
    BoardSettings,
    Card,
    Colleague,
    TeamChoice,
    _as_date,
    _at,
    _labels,
    _settings,
    _team,
    can_edit_team,
    colleagues,
    last_changed_by,
    require_editor,
    team_colleagues,
    teams,
)
from db.case_board.reads import (  # noqa: F401
    _board_order,
    _board_where,
    _card,
    _card_rows,
    _discussed_subquery,
    _grouped,
    _joiner,
    _latest_check_ins,
    _open_risks_by_case,
    _page_of_cases,
    _quiet_condition,
    _quiet_count,
    _status_counts,
    board,
)
