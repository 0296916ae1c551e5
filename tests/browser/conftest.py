"""pytest-playwright's fixtures (`browser`: one for the whole run, session-scoped) driving
Debian's chromium: Playwright cannot download a browser of its own here, and
`--browser-channel` only knows where Google's builds are installed, so the launch
arguments name the executable and the flags a container on a closed network needs."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.console_browser import CHROMIUM_FLAGS, chromium_path


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    """pytest-playwright's launch arguments (--headed, --slowmo...), with Debian's chromium."""
    executable = chromium_path()
    if executable is None:
        pytest.fail("Debian's chromium is missing: scripts/need-chromium installs it (apt-get)")
    return {**browser_type_launch_args, "executable_path": executable, "args": CHROMIUM_FLAGS}
