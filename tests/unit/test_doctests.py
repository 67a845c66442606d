"""Run the Examples sections of the algorithmic modules."""

from __future__ import annotations

import doctest
from types import ModuleType

import pytest

from incilens import claims, cors, imaging, normalize, ocr, parsing, profile, report
from incilens.kb import annex, record, rules
from incilens.matching import fuzzy, names
from incilens.parsing import pieces

MODULES = [
    claims,
    cors,
    fuzzy,
    imaging,
    names,
    normalize,
    ocr,
    parsing,
    pieces,
    profile,
    report,
    annex,
    record,
    rules,
]


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.__name__)
def test_docstring_examples(module: ModuleType) -> None:
    result = doctest.testmod(module)
    assert result.attempted > 0
    assert result.failed == 0
