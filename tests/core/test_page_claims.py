"""Claim text from a product page, sent before the list, adds no items and its claims are judged.

The extension sends the claims it reads near the list first, each snippet as one line
``Please note the page claims (<snippet>)``, then a blank line and the list's own text
(``extension/src/content/claims.js``). The cases and the exact texts sent are shared with the
extension's node test (``extension/test/fixtures/claim-texts.json``), which checks that the
extension composes these very texts.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from incilens.core.parsing import parse
from incilens.kb.knowledge import KnowledgeBase
from incilens.kb.matching import Matcher
from incilens.pipeline import analyze_text
from tests.conftest import REPO

CASES: list[dict[str, Any]] = json.loads(
    (REPO / "extension" / "test" / "fixtures" / "claim-texts.json").read_text(encoding="utf-8")
)
LEAD = "Please note the page claims ("


@pytest.fixture(scope="module")
def matcher(kb: KnowledgeBase) -> Matcher:
    return Matcher(kb)


def _items(text: str, kb: KnowledgeBase, matcher: Matcher, shift: int = 0) -> list[Any]:
    report = analyze_text(text, kb=kb, matcher=matcher).to_dict()
    return [(i["text"], i["start"] - shift, i["end"] - shift) for i in report["ingredients"]]


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_claim_lines_add_no_items(
    kb: KnowledgeBase, matcher: Matcher, case: dict[str, Any]
) -> None:
    sent, listed = case["sent"], case["list"]
    offset = len(sent) - len(listed)
    assert sent.endswith(listed) and sent.count(LEAD) == len(case["snippets"])
    # The same items, at the same places in the list's text, as when the list is sent alone.
    assert _items(sent, kb, matcher, offset) == _items(listed, kb, matcher)
    assert [t.text for t in parse(sent).tokens] == [t.text for t in parse(listed).tokens]
    report = analyze_text(sent, kb=kb, matcher=matcher).to_dict()
    assert [c["claim"] for c in report["summary"]["claims"]] == case["claims"]
    assert all(lst["start"] >= offset for lst in report["lists"] if lst["found_by"] == "bare")


def test_without_the_lead_the_claims_would_be_items(kb: KnowledgeBase, matcher: Matcher) -> None:
    """The check above can fail: the same snippets sent bare become list items."""
    case = CASES[0]
    naive = "\n\n".join(case["snippets"]) + "\n\n" + case["list"]
    texts = [t for t, _, _ in _items(naive, kb, matcher)]
    assert "Propylparaben" in texts and len(texts) > len(_items(case["list"], kb, matcher))


def test_contradicted_and_supported_claims(kb: KnowledgeBase, matcher: Matcher) -> None:
    """The first case: paraben-free is broken by Methylparaben; vegan holds."""
    report = analyze_text(CASES[0]["sent"], kb=kb, matcher=matcher).to_dict()
    verdicts = {c["claim"]: c for c in report["summary"]["claims"]}
    assert verdicts["paraben_free"]["verdict"] == "contradicted"
    assert [i["name"] for i in verdicts["paraben_free"]["items"]] == ["Methylparaben"]
    assert verdicts["vegan"]["verdict"] in ("consistent", "questionable")
