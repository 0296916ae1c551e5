"""The list parser: a word list's YAML into phrases, with the file, line and a fix on any error."""

from __future__ import annotations

import itertools
import re
from collections.abc import Mapping

from conversations import yaml_lines
from conversations.checked_file import read_or_raise
from conversations.problems import FileError
from conversations.safeguarding.categories import CATEGORIES, ORDINARY
from conversations.safeguarding.patterns import (
    ANCHORS,
    FUZZY,
    FUZZY_MIN,
    GAP,
    RANGE,
    Phrase,
    is_word,
)
from conversations.safeguarding.text import END, START
from conversations.safeguarding.text import words as read_words


class ListError(FileError):
    """A word list that can't be used, with the file, the line and how to fix it."""


def parse_file(file: str, text: str) -> list[Phrase]:
    """The phrases of one list file (its name and YAML text). Raises ListError."""
    document = read_or_raise(text, file, ListError)
    if document is None:
        return []
    data = document.data
    if not isinstance(data, dict):
        raise ListError(
            file, 1, "the file is not a set of categories", _fix_categories("start each with")
        )
    groups = _parse_groups(file, data.get(_GROUPS), document)
    phrases: list[Phrase] = []
    for category, items in data.items():
        if category == _GROUPS:
            continue
        line = document.key_line((category,))
        if category not in CATEGORIES and category != ORDINARY:
            raise ListError(file, line, f"'{category}' is not a category", _fix_categories("use"))
        for n, item in enumerate(_items(file, line, items)):
            item_line = document.line((category, n))
            source = _phrase_text(file, item_line, item)
            for pattern in _compile(file, item_line, source, groups):
                phrases.append(Phrase(category, source, file, item_line, pattern))
    return phrases


_GROUPS = "groups"
_GROUP_NAME = re.compile(r"[a-z][a-z0-9_]*")
_GROUP_REF = re.compile(r"<([^<>]*)>")
_RANGE_REF = re.compile(r"(\d{1,4})-(\d{1,4})")
_MAX_COMBINATIONS = 5000
_GLOB_MIN_LETTERS = 3


def _parse_groups(
    file: str, data: object, document: yaml_lines.Document
) -> dict[str, list[tuple[str, ...]]]:
    if data is None:
        return {}
    line = document.key_line((_GROUPS,))
    if not isinstance(data, dict):
        raise ListError(
            file,
            line,
            "'groups' is not a set of named word lists",
            "write each group as 'name:' with its words below it, each on a line starting '- '",
        )
    groups: dict[str, list[tuple[str, ...]]] = {}
    for name, items in data.items():
        name_line = document.key_line((_GROUPS, name))
        if not _GROUP_NAME.fullmatch(name) or name in ANCHORS:
            raise ListError(
                file,
                name_line,
                f"'{name}' is not a usable group name",
                "use lower-case letters, digits and _ only, starting with a letter"
                " (start and end are taken)",
            )
        members: list[tuple[str, ...]] = []
        for n, item in enumerate(_items(file, name_line, items)):
            item_line = document.line((_GROUPS, name, n))
            source = _phrase_text(file, item_line, item)
            if _GROUP_REF.search(source):
                raise ListError(
                    file, item_line, "a group can't name another group", "write the words out"
                )
            members.extend(_compile_words(file, item_line, source, {}))
        groups[name] = members
    return groups


def _items(file: str, line: int, items: object) -> list[object]:
    if items is None:
        return []
    if not isinstance(items, list):
        raise ListError(
            file,
            line,
            "the phrases here are not a list",
            "put each phrase on its own line below, starting with '- '",
        )
    return items


def _phrase_text(file: str, line: int, item: object) -> str:
    if isinstance(item, dict):
        raise ListError(
            file,
            line,
            "this phrase reads as 'key: value' because of the ': ' in it",
            "put the phrase in quotes, or leave out the colon",
        )
    if isinstance(item, list):
        raise ListError(file, line, "this phrase is a list", "write one phrase per '- ' line")
    if item is None or isinstance(item, bool):
        raise ListError(
            file, line, "this line holds no phrase", "write the phrase after '- ', or remove it"
        )
    return str(item)


def _compile(
    file: str, line: int, source: str, groups: Mapping[str, list[tuple[str, ...]]]
) -> list[tuple[str, ...]]:
    """The patterns of one phrase: one per combination of its groups' words."""
    patterns = []
    for words in _compile_words(file, line, source, groups):
        _check(file, line, source, words)
        counted = sum(1 for w in words if w not in (GAP, START, END))
        patterns.append(tuple(_mark_fuzzy(w) if counted > 1 else w for w in words))
    return list(dict.fromkeys(patterns))


def _compile_words(
    file: str, line: int, source: str, groups: Mapping[str, list[tuple[str, ...]]]
) -> list[tuple[str, ...]]:
    choices: list[list[tuple[str, ...]]] = []
    for raw in source.split():
        choices.append(_compile_word(file, line, raw, groups))
    combinations = 1
    for options in choices:
        combinations *= len(options)
    if combinations > _MAX_COMBINATIONS:
        raise ListError(
            file,
            line,
            f"this phrase stands for {combinations} combinations of group words",
            "split it into several phrases, or use smaller groups",
        )
    return [tuple(w for part in combo for w in part) for combo in itertools.product(*choices)]


def _compile_word(
    file: str, line: int, raw: str, groups: Mapping[str, list[tuple[str, ...]]]
) -> list[tuple[str, ...]]:
    if raw in (GAP, "…"):
        return [(GAP,)]
    ref = _GROUP_REF.fullmatch(raw)
    if ref:
        inside = ref.group(1)
        if inside in ANCHORS:
            return [(ANCHORS[inside],)]
        if inside[:1].isdigit():
            return [(_range(file, line, inside),)]
        return _group(file, line, inside, groups)
    if "<" in raw or ">" in raw:
        raise ListError(
            file,
            line,
            f"'{raw}' has a < or > that is not a whole group name like <family>",
            "write the group as its own word, like '<family> hits me', or remove the bracket",
        )
    if "*" in raw:
        return [(_glob(file, line, raw),)]
    return [tuple(read_words(raw, leet=None))]


def _range(file: str, line: int, text: str) -> str:
    found = _RANGE_REF.fullmatch(text)
    if not found or int(found.group(1)) > int(found.group(2)):
        raise ListError(
            file,
            line,
            f"'<{text}>' is not a number range",
            "write the smallest and largest number with a dash, like <5-17>",
        )
    return f"{RANGE}{int(found.group(1))}-{int(found.group(2))}"


def _group(
    file: str, line: int, name: str, groups: Mapping[str, list[tuple[str, ...]]]
) -> list[tuple[str, ...]]:
    members = groups.get(name)
    if not members:
        known = ", ".join(sorted(groups)) or "none yet"
        raise ListError(
            file,
            line,
            f"there is no group '{name}' with words in this file",
            f"add it under 'groups:' at the top, or use one of: {known}",
        )
    return members


def _glob(file: str, line: int, raw: str) -> str:
    parts = ["".join(read_words(part, leet=None, speak=False)) for part in raw.split("*")]
    glob = "*".join(parts)
    glob = re.sub(r"\*+", "*", glob)
    if sum(len(p) for p in parts) < _GLOB_MIN_LETTERS:
        raise ListError(
            file,
            line,
            f"'{raw}' would match far too many words",
            f"give a * word at least {_GLOB_MIN_LETTERS} letters, like 'stab*'",
        )
    return glob


def _check(file: str, line: int, source: str, words: tuple[str, ...]) -> None:
    solid = [w for w in words if w not in (GAP, START, END)]
    if not solid:
        raise ListError(
            file, line, f"'{source}' has no letters or numbers to match", "write a phrase in words"
        )
    if (
        words[0] == GAP
        or words[-1] == GAP
        or any(a == b == GAP for a, b in itertools.pairwise(words))
    ):
        raise ListError(
            file,
            line,
            f"'{source}' has '...' at an end or twice in a row",
            "put '...' only between two words, like 'step dad ... touch*'",
        )
    if len(solid) == 1:
        word = solid[0]
        if word.startswith(RANGE):
            raise ListError(
                file,
                line,
                f"'{source}' is only a number range and would match any number",
                "add the words around it, like 'i am <5-17>'",
            )
        if is_word(word) and len(word) < 2:
            raise ListError(
                file,
                line,
                f"'{source}' is a single letter and would match too much",
                "write a longer word or a phrase",
            )


def _mark_fuzzy(word: str) -> str:
    return FUZZY + word if is_word(word) and word.isalpha() and len(word) >= FUZZY_MIN else word


def _fix_categories(verb: str) -> str:
    return f"{verb} one of: {', '.join(CATEGORIES)} (or 'groups', '{ORDINARY}')"
