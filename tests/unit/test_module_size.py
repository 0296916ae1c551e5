"""Rooms a newcomer can read: no module over 300 lines, no function over 60 (issue 14).

Checked over the AST of every module under `bot/`, `conversations/` and `storage/`
(migrations excluded), and of every module under `tests/` and `benchmarks/` that is not a
test file (fakes, harnesses, fixtures, conftest, benchmarks; not `test_*.py`). A module
counts all its lines; a function counts from its `def` to its last line, nested functions
and methods each on their own too.

`ALLOWED` names the offenders still waiting to be split, each with its size today: it may
shrink, never grow, and an entry leaves the list once it fits (the test says so), so the
list only gets shorter and no new offender gets in.
"""

from __future__ import annotations

import ast
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
PACKAGES = ("bot", "conversations", "storage", "tests", "benchmarks")
EXCLUDED = ("storage/migrations/",)
# Under these only the modules that are not test files count: a test file is a list of
# cases, read one at a time, while a fake or harness is read like the product's code.
TESTS_FOLDERS = ("tests/", "benchmarks/")
MAX_MODULE_LINES = 300
MAX_FUNCTION_LINES = 60

# Offenders still to split, with their line counts when this test was written. A module is
# named by its path, a function by "path:qualified name".
# Empty since the last three (the file loaders) were split; kept so that a module that
# can't be split at once is named here with its size rather than slipping past.
ALLOWED: dict[str, int] = {}


@dataclass(frozen=True)
class Oversize:
    name: str  # "path" for a module, "path:qualified.name" for a function
    lines: int
    limit: int

    def __str__(self) -> str:
        return f"{self.name}: {self.lines} lines (at most {self.limit})"


def oversized(root: Path) -> list[Oversize]:
    """Every module over MAX_MODULE_LINES and function over MAX_FUNCTION_LINES under `root`."""
    found = []
    for package in PACKAGES:
        for path in sorted((root / package).rglob("*.py")):
            where = path.relative_to(root).as_posix()
            if where.startswith(EXCLUDED) or _is_test_file(where):
                continue
            text = path.read_text(encoding="utf-8")
            lines = len(text.splitlines())
            if lines > MAX_MODULE_LINES:
                found.append(Oversize(where, lines, MAX_MODULE_LINES))
            for name, length in _functions(ast.parse(text, where)):
                if length > MAX_FUNCTION_LINES:
                    found.append(Oversize(f"{where}:{name}", length, MAX_FUNCTION_LINES))
    return found


def test_no_new_module_or_function_is_too_long() -> None:
    found = oversized(REPO)

    new = [o for o in found if o.name not in ALLOWED]
    grown = [o for o in found if o.name in ALLOWED and o.lines > ALLOWED[o.name]]
    assert not new, "split these by job:\n" + "\n".join(map(str, new))
    assert not grown, "these were to shrink, not grow:\n" + "\n".join(
        f"{o} (allowed {ALLOWED[o.name]} until split)" for o in grown
    )


def test_the_allow_list_names_only_what_is_still_too_long() -> None:
    still = {o.name for o in oversized(REPO)}

    fitted = sorted(set(ALLOWED) - still)
    assert not fitted, "these fit now: take them out of ALLOWED:\n" + "\n".join(fitted)


def test_the_check_catches_long_modules_and_functions(tmp_path: Path) -> None:
    long_body = "".join(f"    x{i} = {i}\n" for i in range(MAX_FUNCTION_LINES))
    sources = {
        "bot/big.py": "x = 1\n" * (MAX_MODULE_LINES + 1),
        "bot/fits.py": "x = 1\n" * MAX_MODULE_LINES,
        "conversations/long.py": f"def f():\n{long_body}",
        "conversations/short.py": "def f():\n" + long_body.split("\n", 1)[1],
        "storage/nested.py": "class C:\n    def m(self):\n        def g():\n"
        + textwrap.indent(long_body, " " * 8),
        "storage/migrations/versions/0001_x.py": "x = 1\n" * (MAX_MODULE_LINES + 1),
        "tests/fakes/big_fake.py": "x = 1\n" * (MAX_MODULE_LINES + 1),
        "tests/e2e/harness.py": f"def f():\n{long_body}",
        "tests/e2e/test_long.py": "x = 1\n" * (MAX_MODULE_LINES + 1),
        "benchmarks/big_bench.py": "x = 1\n" * (MAX_MODULE_LINES + 1),
        "benchmarks/test_bench.py": f"def f():\n{long_body}",
    }
    for name, text in sources.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)

    found = {(o.name, o.lines) for o in oversized(tmp_path)}

    assert found == {
        ("bot/big.py", MAX_MODULE_LINES + 1),
        ("conversations/long.py:f", MAX_FUNCTION_LINES + 1),
        ("storage/nested.py:C.m", MAX_FUNCTION_LINES + 2),
        ("storage/nested.py:C.m.g", MAX_FUNCTION_LINES + 1),
        ("tests/fakes/big_fake.py", MAX_MODULE_LINES + 1),
        ("tests/e2e/harness.py:f", MAX_FUNCTION_LINES + 1),
        ("benchmarks/big_bench.py", MAX_MODULE_LINES + 1),
    }


# --- helpers -----------------------------------------------------------------------------


def _is_test_file(where: str) -> bool:
    """A `test_*.py` under tests/ or benchmarks/: its cases are not held to the limits."""
    return where.startswith(TESTS_FOLDERS) and where.rsplit("/", 1)[-1].startswith("test_")


def _functions(tree: ast.AST, prefix: str = "") -> Iterator[tuple[str, int]]:
    """(qualified name, lines from `def` to the end) for every function and method."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            name = prefix + node.name
            yield name, (node.end_lineno or node.lineno) - node.lineno + 1
            yield from _functions(node, name + ".")
        elif isinstance(node, ast.ClassDef):
            yield from _functions(node, prefix + node.name + ".")
        else:
            yield from _functions(node, prefix)
