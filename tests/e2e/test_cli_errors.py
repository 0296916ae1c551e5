"""Bad input to the command line gets one clear line, never a traceback."""

from __future__ import annotations

from pathlib import Path

from tests.e2e.cli import SAMPLES, assert_no_traceback, environment, yousaid


def test_wrong_key_is_refused_at_start(tmp_path: Path, database_url: str) -> None:
    env = environment(tmp_path, database_url, YOUSAID_SECRET_KEY="a" * 64)
    assert yousaid(env, "db", "upgrade").code == 0
    env["YOUSAID_SECRET_KEY"] = "b" * 64
    run = yousaid(env, "keys", "check")
    assert run.code == 1
    assert_no_traceback(run)
    assert "does not match" in run.err


def test_key_check_passes_with_the_right_key(tmp_path: Path, database_url: str) -> None:
    env = environment(tmp_path, database_url, YOUSAID_SECRET_KEY="c" * 64)
    assert yousaid(env, "db", "upgrade").code == 0
    run = yousaid(env, "keys", "check")
    assert run.code == 0, run.err
    assert "matches" in run.out


def test_sqlite_key_is_made_on_first_start_private_to_its_owner(
    tmp_path: Path, sqlite_url: str
) -> None:
    env = environment(tmp_path, sqlite_url)
    assert yousaid(env, "db", "upgrade").code == 0
    key = tmp_path / "var" / "secret.key"
    assert key.exists()
    assert key.stat().st_mode & 0o777 == 0o600


def test_postgres_without_a_key_is_refused(tmp_path: Path, postgres_url: str) -> None:
    env = environment(tmp_path, postgres_url)
    del env["YOUSAID_SECRET_KEY"]
    run = yousaid(env, "db", "upgrade")
    assert run.code == 1
    assert_no_traceback(run)
    assert "YOUSAID_SECRET_KEY" in run.err


def test_postgres_scheme_gets_a_fix(tmp_path: Path) -> None:
    env = environment(tmp_path, "postgres://u:secretpw@127.0.0.1:1/db")
    run = yousaid(env, "db", "upgrade")
    assert run.code == 1
    assert_no_traceback(run)
    assert "postgresql://" in run.err


def test_unreachable_database_is_a_clear_error_without_its_password(tmp_path: Path) -> None:
    env = environment(tmp_path, "postgresql://u:secretpw@127.0.0.1:1/db")
    run = yousaid(env, "db", "upgrade")
    assert run.code == 1
    assert_no_traceback(run)
    assert "secretpw" not in run.out + run.err


def test_malformed_yaml_names_file_and_line(tmp_path: Path, sqlite_url: str) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: x\ntitle: [unclosed\n")
    run = yousaid(environment(tmp_path, sqlite_url), "consultation", "validate", str(bad))
    assert run.code == 1
    assert_no_traceback(run)
    assert f"{bad}:" in run.err


def test_unknown_consultation_in_results(tmp_path: Path, sqlite_url: str) -> None:
    run = yousaid(environment(tmp_path, sqlite_url), "results", "no-such-thing")
    assert run.code == 1
    assert_no_traceback(run)
    assert "no-such-thing" in run.err


def test_missing_file_is_a_clear_error(tmp_path: Path, sqlite_url: str) -> None:
    run = yousaid(
        environment(tmp_path, sqlite_url), "consultation", "load", str(tmp_path / "nope.yaml")
    )
    assert run.code == 1
    assert_no_traceback(run)
    assert "no such file" in run.err


def test_samples_validate_with_segment_counts(tmp_path: Path, sqlite_url: str) -> None:
    env = environment(tmp_path, sqlite_url)
    for name in ("feeling-safe.yaml", "heard.yaml"):
        run = yousaid(env, "consultation", "validate", str(SAMPLES / name))
        assert run.code == 0, run.err
        assert "GSM-7" in run.out or "UCS-2" in run.out


def test_loading_twice_keeps_one_version_and_one_round(tmp_path: Path, sqlite_url: str) -> None:
    env = environment(tmp_path, sqlite_url)
    first = yousaid(env, "consultation", "load", str(SAMPLES), "--open")
    second = yousaid(env, "consultation", "load", str(SAMPLES), "--open")
    assert first.code == second.code == 0
    assert "unchanged" in second.out
    assert "already open" in second.out


def test_a_keyword_used_by_another_consultation_is_refused(tmp_path: Path, sqlite_url: str) -> None:
    env = environment(tmp_path, sqlite_url)
    assert yousaid(env, "consultation", "load", str(SAMPLES)).code == 0
    copy = tmp_path / "copy.yaml"
    text = (SAMPLES / "feeling-safe.yaml").read_text()
    copy.write_text(text.replace("id: feeling-safe", "id: feeling-safe-copy", 1))

    run = yousaid(env, "consultation", "load", str(copy))

    assert run.code == 1
    assert_no_traceback(run)
    assert "keyword SAFE already starts 'feeling-safe'" in run.err


def test_chat_with_an_unknown_consultation_says_how_to_find_one(
    tmp_path: Path, sqlite_url: str
) -> None:
    run = yousaid(environment(tmp_path, sqlite_url), "chat", "--consultation", "nope")
    assert run.code == 1
    assert_no_traceback(run)
    assert "'nope'" in run.err
    assert "round list" in run.err
