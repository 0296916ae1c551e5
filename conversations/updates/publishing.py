"""The published record of an update: what was done, with the figures as quoted."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from conversations.catalogue import Catalogue
from conversations.update_file import Update
from conversations.updates.quoting import Figure
from conversations.updates.wording import Rendered, you_said


def record(
    update: Update,
    quoted: Sequence[Figure | None],
    rendered: Mapping[str, Rendered],
    catalogue: Catalogue,
) -> dict[str, object]:
    """The published record of an update: what was done, with the figures as quoted."""
    actions = []
    for action, figure in zip(update.actions, quoted, strict=True):
        said = action.you_said
        actions.append(
            {
                "title": dict(action.title),
                "status": action.status.value,
                "progress": action.progress,
                "changed": dict(action.changed) if action.changed is not None else None,
                "reason": dict(action.reason) if action.reason is not None else None,
                "you_said": None
                if said is None
                else {
                    "question_id": said.question_id,
                    "choices": list(said.choices),
                    "share_in_10": figure.share() if figure is not None else None,
                    "text": {
                        language: you_said(action, figure, language, catalogue)
                        for language in update.languages
                    },
                },
            }
        )
    return {
        "first_line": dict(update.first_line),
        "languages": list(update.languages),
        "actions": actions,
        "messages": {language: r.message for language, r in rendered.items()},
    }
