"""The accuracy targets on the labelled development set hold (see bench/eval_text.py).

This is a regression guard for the matcher and parser: a change that loses accuracy fails here,
not just in a benchmark someone may forget to run. It asserts accuracy only, never timing.
"""

from __future__ import annotations

import sys

import pytest

from incilens.kb.knowledge import KnowledgeBase
from tests.conftest import REPO

sys.path.insert(0, str(REPO / "bench"))
import eval_text


@pytest.fixture(scope="module")
def read(kb: KnowledgeBase) -> eval_text.Analyser:
    return eval_text.ours(kb)


@pytest.mark.slow
@pytest.mark.parametrize("name", eval_text.SETS)
def test_development_set_targets(kb: KnowledgeBase, read: eval_text.Analyser, name: str) -> None:
    canon = eval_text.Canon.from_review(kb)
    tally = eval_text.run(eval_text.load_set(name), read, canon)
    min_f1, min_precision = eval_text.TARGETS[name]
    assert tally.f1 >= min_f1, f"{name}: F1 {tally.f1:.3f} < {min_f1}"
    if min_precision is not None:
        assert tally.precision >= min_precision
    assert tally.list_right == tally.texts  # a list is found exactly when there is one
    naive = eval_text.run(eval_text.load_set(name), eval_text.naive(kb), canon)
    assert tally.f1 > naive.f1
