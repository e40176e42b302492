"""The package's import graph, read from the source: which module imports which (imports
made inside functions included, ``TYPE_CHECKING`` imports left out), and which names it
takes. Shared by the architecture tests and the picture in
``docs/explanation/architecture.md`` (``python tests/architecture.py --write`` redraws it).
"""

from __future__ import annotations

import ast
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "src" / "disclosure"
PAGE = ROOT / "docs" / "explanation" / "architecture.md"
BEGIN, END = "<!-- stages:begin -->", "<!-- stages:end -->"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules() -> dict[str, Path]:
    return {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def _type_checking_nodes(tree: ast.AST) -> set[int]:
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skipped.update(id(inner) for inner in ast.walk(node))
    return skipped


def imports(name: str, path: Path, known: dict[str, Path]) -> Iterator[tuple[str, str | None]]:
    """(imported module, name taken from it or None) for each import of ``name``."""
    tree = ast.parse(path.read_text("utf-8"))
    skipped = _type_checking_nodes(tree)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "disclosure":
                    yield alias.name, None
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join([*base, *([node.module] if node.module else [])])
            else:
                target = node.module or ""
            if target.split(".")[0] != "disclosure":
                continue
            for alias in node.names:
                full = f"{target}.{alias.name}"
                if full in known:
                    yield full, None
                else:
                    yield target, alias.name


def graph() -> dict[str, set[str]]:
    known = modules()
    edges: dict[str, set[str]] = {name: set() for name in known}
    for name, path in known.items():
        for target, _ in imports(name, path, known):
            if target in known and target != name:
                edges[name].add(target)
    return edges


def private_names_taken() -> list[tuple[str, str, str]]:
    """(importer, module, name) for every leading-underscore name taken from another
    module."""
    known = modules()
    taken = []
    for name, path in known.items():
        for target, taken_name in imports(name, path, known):
            if (
                taken_name is not None
                and taken_name.startswith("_")
                and not taken_name.startswith("__")
                and target != name
            ):
                taken.append((name, target, taken_name))
    return taken


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0

    def visit(node: str) -> None:
        nonlocal counter
        index[node] = low[node] = counter
        counter += 1
        stack.append(node)
        on_stack.add(node)
        for other in sorted(edges[node]):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = []
            while True:
                other = stack.pop()
                on_stack.discard(other)
                component.append(other)
                if other == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


def depth(edges: dict[str, set[str]]) -> int:
    """The number of modules on the longest import chain (the graph is acyclic)."""
    memo: dict[str, int] = {}

    def longest(node: str) -> int:
        if node not in memo:
            memo[node] = 1 + max((longest(other) for other in edges[node]), default=0)
        return memo[node]

    return max(longest(node) for node in edges)


def layers() -> list[list[str]]:
    """The layers of the import-linter contract, highest first, each a list of modules."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
    contract = config["tool"]["importlinter"]["contracts"][0]
    return [[part.strip().strip("()") for part in layer.split("|")] for layer in contract["layers"]]


def stage_of(module: str, all_layers: list[list[str]]) -> str | None:
    for layer in all_layers:
        for member in layer:
            if module == member or module.startswith(member + "."):
                return member
    return None


def picture() -> str:
    """The stages as text, highest first: each with its modules and the stages it uses."""
    all_layers = layers()
    edges = graph()
    lines = []
    for layer in all_layers:
        for member in layer:
            inside = sorted(m for m in edges if stage_of(m, all_layers) == member)
            if not inside:
                continue
            uses = sorted(
                {
                    stage
                    for module in inside
                    for target in edges[module]
                    if (stage := stage_of(target, all_layers)) not in (None, member)
                }
            )
            short = [m.removeprefix(member).lstrip(".") or "(package)" for m in inside]
            lines.append(f"{member}  [{len(inside)} module{'s' if len(inside) != 1 else ''}]")
            lines.append(f"    modules: {', '.join(short)}")
            lines.append(f"    uses:    {', '.join(uses) if uses else '-'}")
    return "\n".join(lines)


def page_block() -> str:
    return f"{BEGIN}\n```text\n{picture()}\n```\n{END}"


def write_page() -> None:
    text = PAGE.read_text("utf-8")
    start, end = text.index(BEGIN), text.index(END) + len(END)
    PAGE.write_text(text[:start] + page_block() + text[end:], "utf-8")


if __name__ == "__main__":
    if sys.argv[1:] == ["--write"]:
        write_page()
    else:
        edges = graph()
        sizes = {
            name: len(path.read_text("utf-8").splitlines()) for name, path in modules().items()
        }
        largest = max(sizes, key=lambda name: sizes[name])
        print(f"modules: {len(edges)}; depth: {depth(edges) if not cycles(edges) else 'n/a'}")
        print(f"cycles: {cycles(edges)}")
        print(f"private names taken: {len(private_names_taken())}")
        for item in private_names_taken():
            print("  ", *item)
        print(f"largest module: {largest} ({sizes[largest]} lines)")
        print(picture())
