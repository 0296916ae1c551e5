"""The shipped lists as a fixture for the safeguarding tests."""

from __future__ import annotations

import pytest

from conversations.safeguarding import SafeguardingLists
from tests.unit.conversations.safeguarding.shipped import LISTS


@pytest.fixture
def lists() -> SafeguardingLists:
    return LISTS
