"""The house keeps its shape: packages import only downwards along the data flow, and nothing imports in a circle.

The layers (docs/architecture.md): commands → web → {network, facts, linked_data, sparql, curation} → store →
{vocab, errors, settings, bundle}. Read from the code's own imports (ast), function-level imports included.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "server" / "casec"
LAYERS = {
    "casec": 0,  # the package's own __init__ (the version)
    "vocab": 0,
    "errors": 0,
    "settings": 0,
    "bundle": 0,
    "store": 1,
    "curation": 2,
    "sparql": 2,
    "linked_data": 2,
    "facts": 2,
    "network": 2,
    "web": 3,
    "commands": 4,
    "cli": 5,
}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path) -> set[str]:
    """The casec modules a file imports (``from casec.x import y`` counts as casec.x, or casec.x.y if a module)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level:
            raise AssertionError(f"{path}: relative import; use 'from casec.… import …'")
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "casec":
            for alias in node.names:
                candidate = f"{node.module}.{alias.name}"
                found.add(candidate if candidate in MODULES else node.module or "")
        elif isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names if alias.name.split(".")[0] == "casec"}
    return found


FILES = sorted(PACKAGE.rglob("*.py"))
MODULES = {module_name(path) for path in FILES}
GRAPH = {module_name(path): imports(path) for path in FILES}


def package(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "casec"


def test_every_package_has_a_layer() -> None:
    assert {package(module) for module in MODULES} <= set(LAYERS), "add the new package to LAYERS and the docs"


@pytest.mark.parametrize("module", sorted(MODULES))
def test_imports_run_down_the_layers(module: str) -> None:
    for imported in GRAPH[module]:
        if package(imported) == package(module):
            continue
        assert LAYERS[package(imported)] < LAYERS[package(module)] or (
            LAYERS[package(imported)] == LAYERS[package(module)] and package(imported) not in ("web", "commands")
        ), f"{module} imports {imported}: {package(module)} may not depend on {package(imported)}"


def test_no_package_imports_web_or_commands_but_the_entry_points() -> None:
    for module, imported in GRAPH.items():
        for target in imported:
            if package(target) in ("web", "commands"):
                assert package(module) in ("web", "commands", "cli"), f"{module} imports {target}"


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return [*stack[stack.index(nxt) :], nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        stack.pop()
        state[node] = 2
        return None

    for start in sorted(graph):
        if start not in state and (found := visit(start)):
            return found
    return None


def test_no_module_imports_in_a_circle() -> None:
    assert _cycle({m: {i for i in targets if i != m} for m, targets in GRAPH.items()}) is None


def test_no_package_imports_in_a_circle() -> None:
    packages: dict[str, set[str]] = {}
    for module, targets in GRAPH.items():
        packages.setdefault(package(module), set()).update(package(t) for t in targets if package(t) != package(module))
    assert _cycle(packages) is None
