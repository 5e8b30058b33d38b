"""The shape of the reference package: no import cycles, one home for request handling, no harness imports.

Read from the source with `ast`, so every import counts: module level, under `if TYPE_CHECKING:`, and inside
functions (a lazy import that dodges a cycle is still a cycle).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import caldasa_reference

PACKAGE = "caldasa_reference"
ROOT = Path(caldasa_reference.__file__).parent
REGISTRARS = {"operation", "async_operation", "provider_state"}


def module_name(path: Path) -> str:
    parts = [PACKAGE, *path.relative_to(ROOT).with_suffix("").parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(path): path for path in sorted(ROOT.rglob("*.py"))}


def imported_names(module: str) -> Iterator[tuple[str, list[str]]]:
    """(imported module, names taken from it) for every import statement anywhere in ``module``."""
    path = MODULES[module]
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, []
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            yield base, [alias.name for alias in node.names]


def internal_targets(imported: str, names: list[str]) -> set[str]:
    """The package modules an import statement reaches (``from pkg import module`` names the module)."""
    candidates = [imported, *(f"{imported}.{name}" for name in names)]
    found = set()
    for candidate in candidates:
        while candidate and candidate not in MODULES:
            candidate = candidate.rpartition(".")[0]
        if candidate and candidate != PACKAGE:
            found.add(candidate)
    return found


def import_graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for module in MODULES:
        targets: set[str] = set()
        for imported, names in imported_names(module):
            targets |= internal_targets(imported, names)
        graph[module] = targets - {module}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in sorted(graph[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_graph_sees_every_kind_of_import() -> None:
    graph = import_graph()
    assert "caldasa_reference.server" in graph["caldasa_reference.cli"]  # inside a function
    assert "caldasa_reference.webhooks" in graph["caldasa_reference.services"]  # under TYPE_CHECKING
    assert "caldasa_reference.testing_api" in graph["caldasa_reference.app"]  # `from package import module`


def test_cycle_finder_finds_a_cycle() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_no_import_cycles_in_the_reference() -> None:
    assert cycles(import_graph()) == []


def test_domain_holds_no_request_handling() -> None:
    """Every `@operation` / `@provider_state` lives in handlers/; the domain never imports a handler."""
    for module in MODULES:
        if not module.startswith(f"{PACKAGE}.domain"):
            continue
        for imported, names in imported_names(module):
            assert not imported.startswith(f"{PACKAGE}.handlers"), f"{module} imports {imported}"
            if imported == f"{PACKAGE}.routing":
                assert not REGISTRARS & set(names), f"{module} registers handlers"


def test_the_reference_never_imports_the_harness() -> None:
    for module in MODULES:
        for imported, _names in imported_names(module):
            assert not imported.startswith("caldasa_conformance"), f"{module} imports {imported}"
