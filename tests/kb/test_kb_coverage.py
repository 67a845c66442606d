"""The curated profiles cover the ingredients shoppers meet most often."""

from __future__ import annotations

import importlib.util
import sys
from collections import Counter
from pathlib import Path

from incilens.kb.knowledge import KnowledgeBase
from tests.conftest import REPO


def _bench_module():  # the same splitting as the coverage figure in docs/KNOWLEDGE_BASE.md
    bench = str(REPO / "bench")
    if bench not in sys.path:  # bench_kb imports its sibling common.py, as a script would
        sys.path.insert(0, bench)
    spec = importlib.util.spec_from_file_location("bench_kb", REPO / "bench" / "bench_kb.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_400_most_frequent_ingredients_have_a_curated_profile(
    kb: KnowledgeBase, shared_data: Path
) -> None:
    counts: Counter[int] = Counter()
    for raw in _bench_module().product_items(shared_data):
        n = kb.find(raw.strip().strip(".*").strip())
        if n is not None:
            counts[n] += 1
    top = [n for n, _ in counts.most_common(400)]
    assert len(top) == 400
    missing = [kb.names[n] for n in top if not kb.profiled[n]]
    assert missing == []
