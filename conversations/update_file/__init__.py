"""Update files ("you said, we did"): read, shaped, cross-checked and built into an `Update`.

`loader` is the door (`load_update`); `schema` holds the file's pydantic shape and builds
the `Update`, `checks` its cross-checks, `model` what a checked file becomes. The front
door every checked file shares is `conversations.checked_file`.
"""

from conversations.update_file.checks import FIGURE_QUESTION_TYPES
from conversations.update_file.loader import (
    MAX_ACTIONS,
    UpdateLoad,
    consultation_of,
    load_update,
    update_digest,
)
from conversations.update_file.model import (
    FIGURE,
    Action,
    ActionStatus,
    Update,
    YouSaid,
    choice_id,
    option_ids,
)

__all__ = [
    "FIGURE",
    "FIGURE_QUESTION_TYPES",
    "MAX_ACTIONS",
    "Action",
    "ActionStatus",
    "Update",
    "UpdateLoad",
    "YouSaid",
    "choice_id",
    "consultation_of",
    "load_update",
    "option_ids",
    "update_digest",
]
