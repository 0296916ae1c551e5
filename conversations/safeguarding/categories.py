"""The screen's categories: what a list phrase can disclose, and the names a lead reads."""

from __future__ import annotations

from collections.abc import Mapping

CATEGORIES: tuple[str, ...] = (
    "danger_now",
    "violence",
    "weapons",
    "self_harm",
    "abuse_home",
    "sexual_abuse",
    "grooming",
    "coercive_control",
    "exploitation",
    "child_age",
)

CATEGORY_NAMES: Mapping[str, str] = {
    "danger_now": "immediate danger",
    "violence": "violence and threats",
    "weapons": "weapons",
    "self_harm": "self-harm and suicide",
    "abuse_home": "abuse at home",
    "sexual_abuse": "sexual abuse and rape",
    "grooming": "grooming",
    "coercive_control": "coercive control",
    "exploitation": "exploitation",
    "child_age": "a child giving their age",
    "classifier": "found by the classifier (no list phrase)",  # CLASSIFIER
}
"""Plain names for the review queue and the safeguarding lead's reports."""

CLASSIFIER = "classifier"
"""The category named when only the classifier found a disclosure (conversations.screening)."""

ORDINARY = "ordinary"
"""The list section of phrases that are no disclosure (see the package docstring)."""

COMPANION_ONLY = "child_age"
"""A category reported only together with another one ("im 12" alone is no disclosure)."""
