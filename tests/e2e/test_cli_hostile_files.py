"""Hostile files given to the command line are refused at once with FILE:LINE, never read
whole, expanded or recursed into: a YAML bomb, an endless file, a deep nesting, a huge file.

Each runs the real `yousaid` command, as an officer (or someone who tricked one) would.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.cli import SAMPLES, Run, assert_no_traceback, environment, yousaid

# The classic "billion laughs": 361 bytes that PyYAML expands to 10^9 strings.
BOMB = (
    'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    "b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
    "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
    "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
    "e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n"
    "f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n"
    "g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\n"
    "h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]\n"
    "i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]\n"
)
DEEP = "id: deep\ntitle: Deep\nquestions:\n  - " + "[" * 5000 + "]" * 5000 + "\n"


def refused(run: Run) -> str:
    assert run.code == 1, run.out
    assert_no_traceback(run)
    assert "RecursionError" not in run.err
    return run.err


@pytest.fixture
def env(tmp_path: Path, sqlite_url: str) -> dict[str, str]:
    return environment(tmp_path, sqlite_url)


@pytest.mark.parametrize("command", ["validate", "load"])
def test_a_yaml_bomb_is_refused_at_its_first_anchor(
    tmp_path: Path, env: dict[str, str], command: str
) -> None:
    bomb = tmp_path / "bomb.yaml"
    bomb.write_text(BOMB)

    err = refused(yousaid(env, "consultation", command, str(bomb)))

    assert f"{bomb}:1: anchors (&name) and aliases (*name) are not allowed" in err
    assert "write the text out in full" in err


def test_a_yaml_bomb_as_an_update_file_is_refused(tmp_path: Path, env: dict[str, str]) -> None:
    assert yousaid(env, "consultation", "load", str(SAMPLES / "feeling-safe.yaml")).code == 0
    bomb = tmp_path / "update.yaml"
    bomb.write_text("consultation: feeling-safe\n" + BOMB)

    err = refused(yousaid(env, "update", "send", "feeling-safe", "--file", str(bomb)))

    assert f"{bomb}:2: anchors (&name) and aliases (*name) are not allowed" in err


def test_a_5000_deep_nesting_gets_file_and_line(tmp_path: Path, env: dict[str, str]) -> None:
    deep = tmp_path / "deep.yaml"
    deep.write_text(DEEP)

    err = refused(yousaid(env, "consultation", "validate", str(deep)))

    assert f"{deep}:4: this is nested too deep (more than 32 levels)" in err


def test_a_deep_update_file_gets_file_and_line(tmp_path: Path, env: dict[str, str]) -> None:
    assert yousaid(env, "consultation", "load", str(SAMPLES / "feeling-safe.yaml")).code == 0
    deep = tmp_path / "update.yaml"
    deep.write_text("consultation: feeling-safe\nactions: " + "{a: " * 5000 + "}" * 5000 + "\n")

    err = refused(yousaid(env, "update", "send", "feeling-safe", "--file", str(deep)))

    assert f"{deep}:2: this is nested too deep" in err


def test_an_endless_file_is_refused_without_reading_it(env: dict[str, str]) -> None:
    err = refused(yousaid(env, "consultation", "validate", "/dev/zero"))

    assert "/dev/zero: larger than 1 MB, the limit for a config file" in err


def test_an_endless_update_file_is_refused(env: dict[str, str]) -> None:
    assert yousaid(env, "consultation", "load", str(SAMPLES / "feeling-safe.yaml")).code == 0

    err = refused(yousaid(env, "update", "send", "feeling-safe", "--file", "/dev/zero"))

    assert "/dev/zero: larger than 1 MB" in err


def test_a_file_just_over_a_megabyte_is_refused_and_one_under_is_read(
    tmp_path: Path, env: dict[str, str]
) -> None:
    sample = (SAMPLES / "feeling-safe.yaml").read_text()
    big = tmp_path / "big.yaml"
    big.write_text(sample + "#" * (1024 * 1024 - len(sample.encode()) + 1))
    fits = tmp_path / "fits.yaml"
    fits.write_text(sample + "#" * (1024 * 1024 - len(sample.encode()) - 1) + "\n")

    assert "larger than 1 MB" in refused(yousaid(env, "consultation", "validate", str(big)))
    run = yousaid(env, "consultation", "validate", str(fits))
    assert run.code == 0, run.err
    assert f"{fits}: OK" in run.out
