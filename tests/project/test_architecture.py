"""The house rules that import contracts cannot see (the contracts are in pyproject.toml).

* The lower layers load no Flask at run time, not even through the package root.
* No module imports another module's private (``_name``) names.
* Tesseract runs only in ``incilens.ocr``; SQLite only in the embedded job store.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

SERVICE = Path(__file__).resolve().parents[2] / "service" / "incilens"
SOURCES = sorted(SERVICE.rglob("*.py"))


def module_name(path: Path) -> str:
    parts = path.relative_to(SERVICE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def test_the_lower_layers_load_no_flask() -> None:
    code = (
        "import sys\n"
        "import incilens, incilens.core, incilens.core.report, incilens.kb, incilens.kb.matching,"
        " incilens.ocr, incilens.ocr.cache, incilens.pipeline, incilens.jobs.runner,"
        " incilens.jobs.celery, incilens.config, incilens.errors\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] in"
        " {'flask', 'werkzeug', 'flask_openapi3', 'flask_limiter', 'pydantic'})\n"
        "assert not loaded, loaded\n"
        "from incilens import create_app\n"  # the factory is still one import away
        "assert 'flask' in sys.modules\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr


def private_imports(source: str, here: str) -> list[str]:
    """``from incilens.x import _name`` lines of module ``here`` that reach into another module."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("incilens"):
            for alias in node.names:
                private = alias.name.startswith("_") and not alias.name.startswith("__")
                if private and node.module != here:
                    found.append(f"{here}:{node.lineno} {node.module}.{alias.name}")
    return found


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: module_name(p))
def test_no_module_imports_another_modules_private_names(path: Path) -> None:
    assert not private_imports(path.read_text(encoding="utf-8"), module_name(path))


PRIVATE_CASES = [
    # (source, module, found)
    ("from incilens.core.report.flags import _eu\n", "incilens.core.report.context", 1),
    ("from incilens.core.report.flags import actives, _eu as eu\n", "incilens.app", 1),
    ("from incilens.version import __version__\n", "incilens.app", 0),
    ("from incilens.core.report.flags import actives\n", "incilens.app", 0),
    ("from os import _exit\n", "incilens.app", 0),
]


@pytest.mark.parametrize(("source", "here", "found"), PRIVATE_CASES)
def test_the_private_name_check(source: str, here: str, found: int) -> None:
    assert len(private_imports(source, here)) == found


ALLOWED = {
    "subprocess": ("incilens/ocr/",),
    "sqlite3": ("incilens/jobs/sqlite.py",),
}


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: module_name(p))
def test_subprocess_and_sqlite_stay_in_their_modules(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = {
        a.name.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names
    }
    names |= {
        (n.module or "").split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)
    }
    where = str(path.relative_to(SERVICE.parent))
    for module, homes in ALLOWED.items():
        if module in names:
            assert where.startswith(homes), f"{where} imports {module}"


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The groups of modules that import each other round a circle (Tarjan's components)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in sorted(edges.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return found


CYCLE_CASES = [
    ({"a": {"b"}, "b": {"c"}, "c": set()}, []),
    ({"a": {"b"}, "b": {"a"}}, [["a", "b"]]),
    ({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}, [["a", "b", "c"]]),
]


@pytest.mark.parametrize(("edges", "expected"), CYCLE_CASES)
def test_the_cycle_finder(edges: dict[str, set[str]], expected: list[list[str]]) -> None:
    assert cycles(edges) == expected


def test_no_two_modules_import_each_other_round_a_circle() -> None:
    import grimp  # import-linter's graph builder: every import, type-checking ones included

    graph = grimp.build_graph("incilens")
    edges = {m: set(graph.find_modules_directly_imported_by(m)) for m in graph.modules}
    assert cycles(edges) == []
