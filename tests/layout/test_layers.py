"""The shape of the code: no import cycles, no module over the size a reader can hold, only the product
in the wheel. (The import direction itself is checked by import-linter in ``make lint``.)"""

from __future__ import annotations

import tomllib
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parents[2]
MAX_LINES = 620  # "about 600": the largest module, the speaker analyzer, is one class of ~500 lines


def _cycles(graph: grimp.ImportGraph, modules: set[str]) -> list[list[str]]:
    """Every import cycle among ``modules`` (one per strongly connected component of two or more)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(m: str) -> None:  # Tarjan's algorithm
        index[m] = low[m] = len(index)
        stack.append(m)
        on_stack.add(m)
        for n in sorted(graph.find_modules_directly_imported_by(m) & modules):
            if n not in index:
                visit(n)
                low[m] = min(low[m], low[n])
            elif n in on_stack:
                low[m] = min(low[m], index[n])
        if low[m] == index[m]:
            component = []
            while True:
                n = stack.pop()
                on_stack.discard(n)
                component.append(n)
                if n == m:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for m in sorted(modules):
        if m not in index:
            visit(m)
    return found


def test_no_import_cycles() -> None:
    graph = grimp.build_graph("retrieval", "bot", include_external_packages=False)
    modules = {m for m in graph.modules if m.split(".")[0] in ("retrieval", "bot")}
    assert len(modules) > 50
    assert _cycles(graph, modules) == []


def test_cycle_finder_finds_a_cycle() -> None:
    graph = grimp.ImportGraph()
    for m in ("a", "b", "c"):
        graph.add_module(m)
    graph.add_import(importer="a", imported="b")
    graph.add_import(importer="b", imported="c")
    graph.add_import(importer="c", imported="a")
    assert _cycles(graph, {"a", "b", "c"}) == [["a", "b", "c"]]


def test_no_module_is_too_long() -> None:
    long = {
        str(p.relative_to(ROOT)): n
        for folder in ("retrieval", "bot")
        for p in (ROOT / folder).rglob("*.py")
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert long == {}


def test_the_wheel_ships_only_the_product() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    include = config["tool"]["setuptools"]["packages"]["find"]["include"]
    assert sorted({pattern.split(".")[0] for pattern in include}) == ["bot", "retrieval"]


def test_the_wheel_ships_every_data_file_the_product_reads() -> None:
    """A model, word list or weights file left out of package-data works in the editable checkout and is missing
    from an installed wheel, where the product silently falls back (decision_factual.json did once)."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    package_data: dict[str, list[str]] = config["tool"]["setuptools"]["package-data"]
    data_files = sorted(
        p
        for folder in ("retrieval", "bot")
        for p in (ROOT / folder).rglob("*")
        if p.is_file() and p.suffix not in (".py", ".pyc") and "__pycache__" not in p.parts
    )
    assert data_files, "the product reads models and word lists: none found"
    missing = []
    for p in data_files:
        package_dir = p.parent
        while not (package_dir / "__init__.py").exists():
            package_dir = package_dir.parent
        package = ".".join(package_dir.relative_to(ROOT).parts)
        inside = p.relative_to(package_dir)
        if not any(inside.match(pattern) for pattern in package_data.get(package, [])):
            missing.append(str(p.relative_to(ROOT)))
    assert missing == []
