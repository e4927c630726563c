"""The risk-holding log: worries the team names, looks at honestly ("which risk are we
managing?"), decides on together and holds, and later learns from.

A worry is a *thread* of append-only `RiskEntry` revisions (same `thread_id`, rising
`revision`). Nothing is ever updated in place: a correction, a changed plan, a manager's
agreement or a closing is a new revision saying who and when, and every earlier revision
stays readable. Reviews (`RiskReview`) sit beside the thread.

Every function takes the signed-in `Actor` first and checks scope itself: practitioners
and supervisors reach their own teams' logs, managers the teams they oversee, trainers and
administrators nothing.
"""

from __future__ import annotations

from db.risk_log.commands import (  # noqa: F401
    agree_as_manager,
    create_entry,
    review,
    revise,
)
from db.risk_log.common import (  # noqa: F401
    form_options,
    teams_for,
)
from db.risk_log.labels import (  # noqa: F401
    FIELD_LABELS,
    NEXT_STEP_LABELS,
    OUTCOME_LABELS,
    PAGE_SIZE,
    REVIEW_WITHIN_DAYS,
    WHOSE_RISK_LABELS,
    WHOSE_RISK_SHORT,
    Choice,
    FormOptions,
    LogFilters,
    LogPage,
    LogRow,
    MyHolding,
    Review,
    Revision,
    RiskDraft,
    TeamHolding,
    ThreadDetail,
)
from db.risk_log.reads import (  # noqa: F401
    case_log,
    filter_choices,
    holding_now,
    my_holdings,
    team_log,
    thread,
)
