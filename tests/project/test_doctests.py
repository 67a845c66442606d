"""Every docstring example in the service runs (``Examples:`` sections, ``>>>`` lines).

The modules are found by walking the package, so a new module's examples run without being
listed here; the count of modules with examples only grows.
"""

from __future__ import annotations

import doctest
import importlib
import pkgutil
from types import ModuleType

import pytest

import incilens

MODULES = sorted(
    name
    for info in pkgutil.walk_packages(incilens.__path__, "incilens.")
    # not the Celery app's second name, nor a script that runs when imported
    if (name := info.name) != "incilens.worker" and not name.endswith(".__main__")
)


def with_examples(name: str) -> ModuleType | None:
    module = importlib.import_module(name)
    finder = doctest.DocTestFinder(exclude_empty=True)
    return module if any(t.examples for t in finder.find(module, module=module)) else None


def test_the_walk_finds_the_modules_that_have_examples() -> None:
    found = [name for name in MODULES if with_examples(name)]
    assert len(found) >= 14, found  # as many as the hand-kept list had, before the move
    assert "incilens.core.parsing" in found and "incilens.kb.build.annex" in found


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(module)
    assert result.failed == 0
