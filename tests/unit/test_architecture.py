"""The architecture contract (DESIGN.md, "Three floors"), checked over every import.

`bot/` holds entry points and no SQL: it never imports sqlalchemy or the models.
`conversations/` is the pure domain: it imports nothing above it (bot, storage) and no
database library. `storage/` never imports `bot/`. No provider library (twilio, telegram)
appears outside `bot/channels/`, and `bot/outbox/` knows no provider: it
imports nothing from `bot/channels/` (each channel's transport implements its protocol).
The faces (the command line in `bot/cli/`, the channels in `bot/channels/`, the console)
call the services in `bot/services/`: they never reach the unit of work or a repository,
and never open a unit of work themselves, so a rule lives once. Imports inside functions
and under TYPE_CHECKING count.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
PACKAGES = ("bot", "conversations", "storage")
PROVIDERS = ("twilio", "telegram")
FACES = ("bot/cli/", "bot/channels/", "bot/console/")
MODELS = (
    "storage.models",
    "storage.models_answers",
    "storage.models_audit",
    "storage.models_base",
    "storage.models_people",
    "storage.models_rounds",
    "storage.models_schedule",
    "storage.models_updates",
)


@dataclass(frozen=True)
class Breach:
    path: str
    line: int
    imported: str
    rule: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: imports {self.imported} ({self.rule})"


def breaches(root: Path) -> list[Breach]:
    """Every import under `root`'s three packages that breaks the contract."""
    found = []
    for package in PACKAGES:
        for path in sorted((root / package).rglob("*.py")):
            where = path.relative_to(root).as_posix()
            for line, imported in _imports(path):
                rule = _rule_broken(where, imported)
                if rule is not None:
                    found.append(Breach(where, line, imported, rule))
    return found


def test_the_code_keeps_the_architecture_contract() -> None:
    found = breaches(REPO)

    assert not found, "the architecture contract is broken:\n" + "\n".join(map(str, found))


def units_of_work_opened(root: Path) -> list[str]:
    """Every place a face opens a unit of work itself (`....unit_of_work()`), "path:line"."""
    found = []
    for face in FACES:
        for path in sorted((root / face).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                called = node.func if isinstance(node, ast.Call) else None
                if isinstance(called, ast.Attribute) and called.attr == "unit_of_work":
                    found.append(f"{path.relative_to(root).as_posix()}:{node.lineno}")
    return found


def test_only_services_open_a_unit_of_work() -> None:
    assert units_of_work_opened(REPO) == []


def test_a_face_opening_a_unit_of_work_is_caught(tmp_path: Path) -> None:
    face = tmp_path / "bot" / "console" / "page.py"
    face.parent.mkdir(parents=True)
    face.write_text(
        "def page(runtime):\n    with runtime.db.unit_of_work() as uow:\n        pass\n"
    )
    (tmp_path / "bot" / "services").mkdir()
    (tmp_path / "bot" / "services" / "fine.py").write_text("x = runtime.db.unit_of_work()\n")

    assert units_of_work_opened(tmp_path) == ["bot/console/page.py:2"]


def test_the_contract_catches_each_kind_of_breach(tmp_path: Path) -> None:
    sources = {
        "bot/pipeline.py": "from sqlalchemy import select\n",
        "bot/services/x.py": "def f():\n    from storage.models import Participant\n",
        "bot/cli/y.py": "import twilio.rest\n",
        "bot/channels/twilio/ok.py": "import twilio.rest\nfrom storage.crypto import Keys\n",
        "bot/channels/twilio/z.py": "from storage.uow import UnitOfWork\n",
        "bot/cli/w.py": "from storage.repositories.rounds import RoundRow\n",
        "bot/services/fine.py": "from storage.uow import UnitOfWork\n",
        "bot/outbox/loop.py": "from bot.channels.twilio.transport import TwilioTransport\n",
        "bot/channels/twilio/transport.py": "from bot.outbox.outcomes import Sent\n",
        "conversations/engine.py": "from bot.settings import Settings\n",
        "conversations/other.py": "import storage.crypto\n",
        "storage/uow.py": "from bot import runtime\nfrom telegram import Bot\n",
        "storage/fine.py": "from sqlalchemy import select\nfrom conversations import engine\n",
    }
    for name, text in sources.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)

    found = {(b.path, b.imported) for b in breaches(tmp_path)}

    assert found == {
        ("bot/pipeline.py", "sqlalchemy"),
        ("bot/services/x.py", "storage.models"),
        ("bot/cli/y.py", "twilio.rest"),
        ("bot/outbox/loop.py", "bot.channels.twilio.transport"),
        ("bot/channels/twilio/z.py", "storage.uow"),
        ("bot/cli/w.py", "storage.repositories.rounds"),
        ("conversations/engine.py", "bot.settings"),
        ("conversations/other.py", "storage.crypto"),
        ("storage/uow.py", "bot"),
        ("storage/uow.py", "telegram"),
    }


# --- helpers -----------------------------------------------------------------------------


def _imports(path: Path) -> Iterator[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.lineno, node.module


def _within(imported: str, *modules: str) -> bool:
    return any(imported == m or imported.startswith(m + ".") for m in modules)


def _rule_broken(where: str, imported: str) -> str | None:
    if _within(imported, *PROVIDERS) and not where.startswith("bot/channels/"):
        return "provider libraries live under bot/channels/ only"
    if where.startswith("bot/"):
        if _within(imported, "sqlalchemy"):
            return "no SQL in bot/: use a repository in storage/"
        if _within(imported, *MODELS):
            return "bot/ reaches the database through the unit of work's repositories"
    if where.startswith(FACES) and _within(imported, "storage.uow", "storage.repositories"):
        return "faces call bot/services/; only services open a unit of work"
    if where.startswith("bot/outbox/") and _within(imported, "bot.channels"):
        return "bot/outbox/ knows no provider: the channels' transports implement its protocol"
    if where.startswith("conversations/") and _within(imported, "bot", "storage", "sqlalchemy"):
        return "conversations/ is pure: it imports nothing above it"
    if where.startswith("storage/") and _within(imported, "bot"):
        return "storage/ imports downwards only (conversations)"
    return None
