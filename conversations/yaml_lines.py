"""YAML text to plain data, remembering the line every key and value came from.

The loader reports problems as ``FILE:LINE``; PyYAML's constructors forget where things
were, so this composes the node tree and builds the data itself, keeping a line map keyed
by path (``("questions", 2, "choices", 1, "text")``).

Two readings differ from PyYAML's safe loader, on purpose, because officers write these
files by hand: only ``true``/``false`` are booleans (in YAML 1.1 ``no``, ``yes``, ``on``
and ``off`` are too, which would turn a choice id ``no`` or an answer text ``Yes`` into a
boolean), and dates stay text. Mapping keys are always text (a scale label's ``1:`` is
``"1"``; the schema turns it into a number).

Every file is bounded before it is built (see docs/security.md): anchors and aliases are
refused (officer files never need them, and they are how a few hundred bytes expand into
gigabytes), and the text, the nesting depth and the number of nodes have limits, each
refused with the line where it was crossed, never a RecursionError.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

import yaml

Path = tuple[str | int, ...]

MAX_TEXT_CHARS = 1024 * 1024  # a consultation is a few KB; the biggest shipped list is 25 KB
MAX_DEPTH = 32  # a consultation nests about 6 deep
MAX_NODES = 100_000  # every key, value and list item; the shipped files hold a few thousand


@dataclass(frozen=True)
class YamlIssue:
    """Something wrong with the YAML itself, at a 1-based line."""

    line: int
    message: str
    fix: str


@dataclass(frozen=True)
class Document:
    """The data of one YAML document and where each part of it came from."""

    data: object
    value_lines: Mapping[Path, int]  # path -> line of the value
    key_lines: Mapping[Path, int] = field(default_factory=dict)  # path -> line of its key
    issues: tuple[YamlIssue, ...] = ()  # problems found while building (duplicate keys)

    def line(self, path: Path) -> int:
        """The line of `path`, or of its nearest ancestor that has one."""
        for end in range(len(path), -1, -1):
            line = self.value_lines.get(path[:end])
            if line is not None:
                return line
        return 1

    def key_line(self, path: Path) -> int:
        """The line of the key that names `path`, else of its value."""
        return self.key_lines.get(path) or self.line(path)


class YamlError(Exception):
    """The text is not readable YAML; `issue` says where and what to do."""

    def __init__(self, issue: YamlIssue) -> None:
        super().__init__(issue.message)
        self.issue = issue


def read(text: str) -> Document | None:
    """Parse `text` as one YAML document; None when it holds nothing. Raises YamlError."""
    if len(text) > MAX_TEXT_CHARS:
        issue = YamlIssue(
            1,
            f"the file is too big ({len(text):,} characters; the limit is {MAX_TEXT_CHARS:,})",
            "check it is the right file: a consultation or an update is a few thousand",
        )
        raise YamlError(issue)
    try:
        loader = _Loader(text)
    except yaml.reader.ReaderError as error:
        raise YamlError(_unprintable(text, error)) from None
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        builder = _Builder(loader)
        data = builder.build(node, ())
    except _Refused as refused:
        raise YamlError(refused.issue) from None
    except yaml.MarkedYAMLError as error:
        raise YamlError(_issue(error)) from None
    except yaml.YAMLError as error:
        issue = YamlIssue(1, f"the file is not readable YAML ({error})", _GENERAL_FIX)
        raise YamlError(issue) from None
    finally:
        loader.dispose()
    return Document(data, builder.value_lines, builder.key_lines, tuple(builder.issues))


_OPENERS = {
    "while scanning a quoted scalar": "quote",
    "while parsing a flow mapping": "{",
    "while parsing a flow sequence": "[",
}
_GENERAL_FIX = "check the indenting and the quotes on this line and the line above it"

# PyYAML's problem text -> a fix an officer can follow.
_FIXES = (
    ("found character '\\t'", "indent with spaces, never tabs"),
    ("cannot start any token", "put text that starts with @ ` % * & ! | > in quotes"),
    (
        "mapping values are not allowed",
        "put text that contains ': ' in quotes, or check the indenting",
    ),
    ("could not find expected ':'", "write each line as 'key: value', lined up with the others"),
    ("expected <block end>", "line this up with the lines at its level, and check its quotes"),
    (
        "found unknown escape character",
        "in double quotes write \\\\ for a backslash, or use single quotes",
    ),
    ("expected a single document", "keep one consultation per file: remove the second '---'"),
    ("could not determine a constructor", "remove the '!' tag: write plain values"),
    ("found undefined alias", "write the text out in full instead of *name"),
)


def _issue(error: yaml.MarkedYAMLError) -> YamlIssue:
    opened = _OPENERS.get(str(error.context))
    start = error.context_mark
    ended = any(end in str(error.problem) for end in ("end of stream", "<stream end>"))
    if opened is not None and start is not None and ended:
        # The end of the file is no help: point at where the unclosed thing starts.
        line = start.line + 1
        fix = f"close the {opened} that starts on this line"
        return YamlIssue(line, f"the file is not readable YAML: the {opened} is never closed", fix)
    mark = error.problem_mark or error.context_mark
    line = mark.line + 1 if mark is not None else 1
    problem = error.problem or error.context or "unreadable YAML"
    said = f"{error.context} {error.problem}"
    fix = next((f for pattern, f in _FIXES if pattern in said), _GENERAL_FIX)
    return YamlIssue(line, f"the file is not readable YAML here ({problem})", fix)


def _unprintable(text: str, error: yaml.reader.ReaderError) -> YamlIssue:
    line = text.count("\n", 0, error.position) + 1
    message = f"the file has a control character (code {error.character}) that YAML can't hold"
    return YamlIssue(line, message, "delete it: retype the line if you can't see it")


class _Refused(Exception):
    """The composer met something past a limit; carries the issue to report."""

    def __init__(self, issue: YamlIssue) -> None:
        super().__init__(issue.message)
        self.issue = issue


class _Loader(yaml.SafeLoader):
    """SafeLoader with YAML 1.2's booleans and no timestamps (see the module docstring),
    that refuses anchors and aliases and stops at the depth and node limits while it
    composes, before any of the tree is built."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0
        self._nodes = 0

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        event = self.peek_event()  # type: ignore[no-untyped-call]
        line = event.start_mark.line + 1
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
            raise _Refused(
                YamlIssue(
                    line,
                    "anchors (&name) and aliases (*name) are not allowed",
                    "write the text out in full each time it is needed",
                )
            )
        self._nodes += 1
        if self._nodes > MAX_NODES:
            raise _Refused(
                YamlIssue(
                    line,
                    f"the file has too many entries (the limit is {MAX_NODES:,})",
                    "check it is the right file, or split it into smaller ones",
                )
            )
        if self._depth >= MAX_DEPTH:
            raise _Refused(
                YamlIssue(
                    line,
                    f"this is nested too deep (more than {MAX_DEPTH} levels)",
                    "close the lists and maps that are left open above this line",
                )
            )
        self._depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


_Loader.yaml_implicit_resolvers = {
    first: [
        (tag, regexp)
        for tag, regexp in resolvers
        if tag not in ("tag:yaml.org,2002:bool", "tag:yaml.org,2002:timestamp")
    ]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool",
    re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
    list("tTfF"),
)


_PLAIN_TAGS = ("tag:yaml.org,2002:map", "tag:yaml.org,2002:seq")


class _Builder:
    def __init__(self, loader: _Loader) -> None:
        self._loader = loader
        self.value_lines: dict[Path, int] = {}
        self.key_lines: dict[Path, int] = {}
        self.issues: list[YamlIssue] = []

    def build(self, node: yaml.Node, path: Path) -> object:
        self.value_lines[path] = node.start_mark.line + 1
        if node.tag not in _PLAIN_TAGS and not isinstance(node, yaml.ScalarNode):
            self.issues.append(
                YamlIssue(
                    node.start_mark.line + 1,
                    f"a YAML tag ({node.tag}) is not allowed here",
                    "remove the '!' tag: write plain values",
                )
            )
            return None
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, (*path, i)) for i, item in enumerate(node.value)]
        try:
            return self._loader.construct_object(node, deep=True)
        except (ValueError, OverflowError):
            # Python won't turn a number of over 4,300 digits into an int.
            self.issues.append(
                YamlIssue(
                    node.start_mark.line + 1,
                    "this number is too long to read",
                    "shorten it, or put it in quotes if it is text",
                )
            )
            return None

    def _mapping(self, node: yaml.MappingNode, path: Path) -> dict[str, object]:
        result: dict[str, object] = {}
        for key_node, value_node in node.value:
            key_line = key_node.start_mark.line + 1
            if not isinstance(key_node, yaml.ScalarNode):
                self.issues.append(
                    YamlIssue(key_line, "a key is a list or a map", "write a plain word as the key")
                )
                continue
            key = str(key_node.value)
            if key in result:
                first = self.key_lines[(*path, key)]
                self.issues.append(
                    YamlIssue(
                        key_line,
                        f"'{key}' is written twice here (first on line {first})",
                        "keep one of them",
                    )
                )
                continue
            self.key_lines[(*path, key)] = key_line
            result[key] = self.build(value_node, (*path, key))
        return result
