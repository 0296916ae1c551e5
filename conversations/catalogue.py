"""The system message catalogue: every text the bot sends that no consultation file wrote."""

from __future__ import annotations
