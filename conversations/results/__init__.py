"""Results of a consultation: counts per question and choice, with small-number
suppression held jointly across every view (overall, per round, broken down by a
question's answers, per channel).

`summarise` turns the stored responses and answers into `Results`; `to_json`, `to_csv`,
`to_rows` and `table_blocks` render them, with the same cells and labels. Everything here
is pure: the caller reads the rows, passes the threshold (``YOUSAID_MIN_COUNT`` or
``--min-count``) and a shuffle seed from the OS. The rule is in suppression.py, what is
counted in summary.py.
"""

from conversations.results.breakdown import BreakdownRefused
from conversations.results.breakdown_cells import NO_ANSWER
from conversations.results.days import DayCount, DayRow, per_day
from conversations.results.labels import Count, Hidden
from conversations.results.model import (
    ALL_CHANNELS,
    AnswerRow,
    Breakdown,
    BreakdownQuestion,
    Group,
    NumberSummary,
    Option,
    QuestionResult,
    ResponseCounts,
    ResponseRow,
    Results,
)
from conversations.results.render import (
    RESPONSES_ROW_ID,
    ROW_HEADER,
    count_json,
    percent,
    table_blocks,
    to_csv,
    to_json,
    to_rows,
)
from conversations.results.summary import DEFAULT_MIN_COUNT, summarise

__all__ = [
    "ALL_CHANNELS",
    "DEFAULT_MIN_COUNT",
    "NO_ANSWER",
    "RESPONSES_ROW_ID",
    "ROW_HEADER",
    "AnswerRow",
    "Breakdown",
    "BreakdownQuestion",
    "BreakdownRefused",
    "Count",
    "DayCount",
    "DayRow",
    "Group",
    "Hidden",
    "NumberSummary",
    "Option",
    "QuestionResult",
    "ResponseCounts",
    "ResponseRow",
    "Results",
    "count_json",
    "per_day",
    "percent",
    "summarise",
    "table_blocks",
    "to_csv",
    "to_json",
    "to_rows",
]
