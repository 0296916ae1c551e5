"""Running the `yousaid` command in-process or as a real subprocess, for the tests."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from bot.runtime import Runtime, open_runtime
from bot.settings import Settings

REPO = Path(__file__).resolve().parents[2]
CONFIG_DIR = REPO / "config"
SAMPLES = CONFIG_DIR / "consultations"


@dataclass(frozen=True)
class Run:
    code: int
    out: str
    err: str


def environment(tmp_path: Path, database_url: str, **extra: str) -> dict[str, str]:
    """The environment of a fresh installation: its own var dir and database."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("YOUSAID_", "TWILIO_", "TELEGRAM_"))
    }
    env.update(
        YOUSAID_VAR_DIR=str(tmp_path / "var"),
        YOUSAID_DATABASE_URL=database_url,
        YOUSAID_CONFIG_DIR=str(CONFIG_DIR),
    )
    if not database_url.startswith("sqlite"):
        env["YOUSAID_SECRET_KEY"] = "a" * 64
    env.update(extra)
    return env


# The console script pip installed beside this interpreter: the very command an officer runs.
SCRIPT = Path(sys.executable).with_name("yousaid")


def yousaid(env: dict[str, str], *args: str, stdin: str = "") -> Run:
    """Run `yousaid ARGS` as a real process, the way an officer would."""
    if not SCRIPT.exists():
        pytest.fail(f"{SCRIPT} is missing: run `make venv`, which installs the yousaid command")
    done = subprocess.run(
        [str(SCRIPT), *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        cwd=env.get("YOUSAID_VAR_DIR", str(REPO)).rsplit("/var", 1)[0],
        timeout=120,
    )
    return Run(done.returncode, done.stdout, done.stderr)


def assert_no_traceback(run: Run) -> None:
    if "Traceback" in run.out + run.err:
        pytest.fail(f"a traceback was printed:\n{run.err}")


def open_installation(env: dict[str, str]) -> Runtime:
    """The installation `env` names, opened in this process (to put people in and text
    as them, as `yousaid chat --live` would). The caller closes `runtime.db`."""
    settings = Settings(
        var_dir=Path(env["YOUSAID_VAR_DIR"]),
        database_url=env["YOUSAID_DATABASE_URL"],
        config_dir=CONFIG_DIR,
        secret_key=env.get("YOUSAID_SECRET_KEY", ""),
    )
    return open_runtime(settings)
