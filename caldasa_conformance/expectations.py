"""Known failures of a target, as data (`--expectations FILE`), and the YAML files a user hands the suite.

An expectation names a test (node-id glob or substring), a requirement, or both, with a reason:
- with a requirement, it covers a failure only when that failure names the requirement (a failure under any
  other requirement still fails the run), and "unexpected pass" means the requirement's check ran and held;
- with a test only, the test is a strict xfail.
A file that cannot be read is refused with one line naming the file, line and column (`FileProblem`).
"""

from __future__ import annotations

import difflib
import fnmatch
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

EXPECTATION_KEYS = frozenset({"test", "requirement", "reason"})


class FileProblem(ValueError):
    """A user's file is malformed; the message is one line: `path:line:column: problem`."""


@dataclass(frozen=True)
class Expectation:
    reason: str
    test: str | None = None
    requirement: str | None = None
    line: int = 0

    def selects(self, nodeid: str) -> bool:
        """Whether the test part (if any) matches `nodeid`, as a glob or a substring."""
        return self.test is None or fnmatch.fnmatch(nodeid, self.test) or self.test in nodeid

    def where(self, path: Path) -> str:
        return f"{path}:{self.line}"


def read_yaml(path: Path) -> tuple[Any, yaml.Node | None]:
    """The document of `path` and its node tree (for line numbers).

    Raises:
        FileProblem: unreadable, or not YAML (with the line and column of the first error).
    """
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise FileProblem(f"{path}: cannot be read ({error.strerror or error})") from None
    try:
        return yaml.safe_load(text), yaml.compose(text)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        where = f"{mark.line + 1}:{mark.column + 1}" if mark else "?"
        raise FileProblem(f"{path}:{where}: {error.problem or error.context}") from None
    except yaml.YAMLError as error:
        raise FileProblem(f"{path}: {str(error).splitlines()[0]}") from None


def line_of(node: yaml.Node | None, *keys: str | int) -> int:
    """The 1-based line of the node at `keys` below `node` (mapping keys or sequence indices), else 1."""
    for key in keys:
        if isinstance(node, yaml.MappingNode):
            node = next((value for name, value in node.value if name.value == key), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
            node = node.value[key]
        else:
            return 1
    return node.start_mark.line + 1 if node is not None else 1


def load_expectations(path: Path, requirement_ids: Collection[str]) -> list[Expectation]:
    """Parse and validate an expectations file.

    Raises:
        FileProblem: malformed YAML or entry, or an unknown requirement (with "did you mean").
    """
    data, tree = read_yaml(path)
    entries = data.get("expectations") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise FileProblem(f"{path}:1: expected a top-level 'expectations' list")
    return [_expectation(path, tree, index, entry, requirement_ids) for index, entry in enumerate(entries)]


def _expectation(
    path: Path, tree: yaml.Node | None, index: int, entry: Any, requirement_ids: Collection[str]
) -> Expectation:
    where = f"{path}:{line_of(tree, 'expectations', index)}: expectations[{index}]"
    if not isinstance(entry, dict) or set(entry) - EXPECTATION_KEYS:
        raise FileProblem(f"{where}: expected only the keys test, requirement and reason")
    if not entry.get("reason") or not (entry.get("test") or entry.get("requirement")):
        raise FileProblem(f"{where}: needs a reason, and a test and/or a requirement")
    requirement = str(entry["requirement"]) if entry.get("requirement") else None
    if requirement is not None and requirement not in requirement_ids:
        close = difflib.get_close_matches(requirement, list(requirement_ids), n=1)
        hint = f" (did you mean {close[0]}?)" if close else ""
        raise FileProblem(f"{where}: unknown requirement {requirement!r}{hint}")
    test = str(entry["test"]) if entry.get("test") else None
    return Expectation(str(entry["reason"]), test, requirement, line_of(tree, "expectations", index))
