"""Rendering "you said, we did" updates, and working out who can be reached and at what cost.

Pure: the caller passes the update, the consultation's results (already suppressed), the
words catalogue (``config/locales/updates/*.po``) and the time. Split by job: the figures
an action quotes (quoting.py), the words of a message (wording.py), whether someone can be
reached (reaching.py), who gets it at what cost (costs.py), replies (feedback.py), and the
published record (publishing.py).
"""

from conversations.updates.costs import Plan, PlanGroup, cost, plan
from conversations.updates.feedback import (
    FEEDBACK_DAYS,
    FeedbackSummary,
    summarise_feedback,
    suppressed,
)
from conversations.updates.publishing import record
from conversations.updates.quoting import Figure, figures, widest_figures
from conversations.updates.reaching import (
    REACH_REASONS,
    WHATSAPP_WINDOW,
    Reach,
    Recipient,
    can_reach,
    reach,
)
from conversations.updates.wording import (
    MAX_SEGMENTS,
    STATUS_WORDS,
    Rendered,
    Word,
    render,
    render_all,
    say,
    too_long,
)

__all__ = [
    "FEEDBACK_DAYS",
    "MAX_SEGMENTS",
    "REACH_REASONS",
    "STATUS_WORDS",
    "WHATSAPP_WINDOW",
    "FeedbackSummary",
    "Figure",
    "Plan",
    "PlanGroup",
    "Reach",
    "Recipient",
    "Rendered",
    "Word",
    "can_reach",
    "cost",
    "figures",
    "plan",
    "reach",
    "record",
    "render",
    "render_all",
    "say",
    "summarise_feedback",
    "suppressed",
    "too_long",
    "widest_figures",
]
