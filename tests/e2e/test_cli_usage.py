"""A mistyped command gets the usual usage message, through the real `yousaid` script.

The usage, what was wrong, the closest command or option, where `--help` is, and exit code
2; never an ERROR log line or "something went wrong".
"""

from __future__ import annotations

from importlib.metadata import version
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli.main import cli
from tests.e2e.cli import Run, assert_no_traceback, environment, yousaid


@pytest.fixture
def env(tmp_path: Path, sqlite_url: str) -> dict[str, str]:
    return environment(tmp_path, sqlite_url)


def usage_mistake(run: Run) -> str:
    assert_no_traceback(run)
    assert run.code == 2, run.err
    assert "something went wrong" not in run.err
    assert "ERROR" not in run.err
    assert run.err.startswith("Usage: yousaid")
    return run.err


def test_a_mistyped_command_names_the_closest_one(env: dict[str, str]) -> None:
    err = usage_mistake(yousaid(env, "reslts", "feeling-safe"))
    assert "No such command 'reslts'. Did you mean 'results'?" in err
    assert "Try 'yousaid --help' for help." in err


def test_a_mistyped_option_names_the_closest_one(env: dict[str, str]) -> None:
    err = usage_mistake(yousaid(env, "results", "feeling-safe", "--fromat", "csv"))
    assert "No such option: --fromat" in err
    assert "--format" in err.split("--fromat", 1)[1]
    assert "Try 'yousaid results --help' for help." in err


def test_a_missing_argument_is_named(env: dict[str, str]) -> None:
    err = usage_mistake(yousaid(env, "results"))
    assert "Missing argument 'CONSULTATION'." in err
    assert "Usage: yousaid results [OPTIONS] {CONSULTATION}" in err


def test_a_bad_choice_lists_the_good_ones(env: dict[str, str]) -> None:
    err = usage_mistake(yousaid(env, "results", "feeling-safe", "--format", "pdf"))
    assert "Invalid value for '--format'" in err
    assert "'pdf' is not one of 'table', 'csv', 'json'" in err


def test_a_mistyped_subcommand_names_the_closest_one(env: dict[str, str]) -> None:
    err = usage_mistake(yousaid(env, "round", "lsit"))
    assert "No such command 'lsit'. Did you mean 'list'?" in err
    assert "Try 'yousaid round --help' for help." in err


def test_version_prints_the_installed_version(env: dict[str, str]) -> None:
    run = yousaid(env, "--version")
    assert run.code == 0, run.err
    assert run.out.strip() == f"yousaid {version('yousaid')}"
    assert run.err == ""


def _commands(group: object, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found = []
    for name, command in getattr(group, "commands", {}).items():
        if getattr(command, "commands", None):
            found += _commands(command, (*path, name))
        else:
            found.append((*path, name))
    return found


def test_every_command_has_plain_help_with_an_example() -> None:
    from typer.main import get_command

    runner = CliRunner()
    commands = _commands(get_command(cli))
    assert ("update", "send") in commands
    assert ("results",) in commands
    for path in commands:
        shown = runner.invoke(cli, [*path, "--help"])
        assert shown.exit_code == 0, (path, shown.output)
        assert "Example:" in shown.output, path
        assert f"yousaid {' '.join(path)}" in shown.output.split("Example:", 1)[1], path
        assert "<bool>" not in shown.output, path
        assert "╭" not in shown.output, path  # plain text, no boxes


ARGUMENT_NAMES = {
    "CONSULTATION",
    "ROUND",
    "UPDATE",
    "ITEM",
    "FILE",
    "FILE_OR_DIR",
    "ADDRESS",
    "EMAIL",
    "ON|OFF",
}


def test_arguments_are_named_the_same_way_everywhere() -> None:
    from typer.main import get_command

    seen: dict[str, set[str]] = {}
    root = get_command(cli)
    for path in _commands(root):
        command = root
        for name in path:
            command = command.commands[name]  # type: ignore[attr-defined]
        for param in command.params:
            if param.param_type_name == "argument":
                seen.setdefault(str(param.metavar), set()).add(" ".join(path))
    assert set(seen) <= ARGUMENT_NAMES, seen
    assert "results" in seen["CONSULTATION"]
    assert "round show" in seen["ROUND"]
