"""The package shows the pipeline: stages import only downwards, and no module imports itself back.

Counted from the source with `ast`, lazy imports inside functions included (they are
dependencies all the same) — so a cycle cannot hide behind a function-level import.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "foistats"
# Lowest first: a stage may import its own stage and those below it.
STAGES = ["model", "intake", "campaign", "analysis", "publish", "cli"]


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for p in PACKAGE.rglob("*.py")}


def _imports(path: Path, known: set[str]) -> set[str]:
    """Every foistats module this file imports, at any depth, resolved to a module (not a name)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
        else:
            continue
        for name in names:
            if not name.startswith("foistats"):
                continue
            while name and name not in known:
                name = name.rpartition(".")[0]
            if name and name != "foistats":
                found.add(name)
    return found


def _graph() -> dict[str, set[str]]:
    mods = _modules()
    known = set(mods)
    graph = {}
    for name, path in mods.items():
        deps = _imports(path, known) - {name}
        # importing a package's own __init__ from inside it is not a dependency on a sibling
        graph[name] = {d for d in deps if not name.startswith(d + ".")}
    return graph


def _stage(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in STAGES else None


def test_stages_import_only_downwards() -> None:
    wrong = []
    for module, deps in _graph().items():
        stage = _stage(module)
        if stage is None:
            continue
        for dep in deps:
            dep_stage = _stage(dep)
            if dep_stage is not None and STAGES.index(dep_stage) > STAGES.index(stage):
                wrong.append(f"{module} -> {dep}")
    assert not wrong, "imports pointing up the pipeline:\n" + "\n".join(sorted(wrong))


def test_no_import_cycles() -> None:
    graph = _graph()
    state: dict[str, int] = {}
    cycles: list[str] = []

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for dep in sorted(graph.get(node, ())):
            if state.get(dep) == 1:
                cycles.append(" -> ".join(trail[trail.index(dep):] + [node, dep]) if dep in trail else f"{node} -> {dep}")
            elif dep not in state:
                visit(dep, trail + [node])
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node, [])
    assert not cycles, "import cycles:\n" + "\n".join(cycles)


def test_model_imports_nothing_else_of_the_package() -> None:
    outside = [
        f"{m} -> {d}" for m, deps in _graph().items() if _stage(m) == "model" for d in deps if _stage(d) not in ("model",)
    ]
    assert not outside, "\n".join(outside)


def test_only_a_handful_of_plain_modules_at_the_top() -> None:
    plain = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert plain == ["__init__.py", "__main__.py"]


@pytest.mark.parametrize("stage", STAGES)
def test_every_stage_says_what_it_owns(stage: str) -> None:
    doc = ast.get_docstring(ast.parse((PACKAGE / stage / "__init__.py").read_text(encoding="utf-8")))
    assert doc and len(doc.split()) >= 25, f"foistats/{stage}/__init__.py needs a docstring saying what it owns and may import"
