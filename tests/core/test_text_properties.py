"""Hypothesis on the text path: the parser, the matcher and the report builder never raise, keep
every offset inside the text (and ``text[start:end]`` is what they say they read), and give the
same answer twice. Texts are built from real label vocabulary, separators, brackets, headers and
hostile Unicode, and from arbitrary strings. ``INCILENS_PROPERTY_EXAMPLES`` sets the budget
(short in ``make test``, long in ``make fuzz``)."""

from __future__ import annotations

import json
import os
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from incilens.core.parsing import parse
from incilens.core.profile import CONCERNS, SKIN_TYPES, Profile
from incilens.kb.knowledge import KnowledgeBase
from incilens.kb.matching import Matcher
from incilens.pipeline import analyze_text, build_matcher

EXAMPLES = int(os.environ.get("INCILENS_PROPERTY_EXAMPLES", "60"))
SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

WORDS = [
    "Aqua", "Water", "Eau", "Glycerin", "Glycerine", "Niacinamide", "Parfum", "Fragrance",
    "Cetearyl Alcohol", "Dimethicone", "Phenoxyethanol", "Tocopherol", "Citric Acid",
    "Sodium Laureth Sulfate", "PEG-40 Hydrogenated Castor Oil", "CI 77491", "CI 77891",
    "Butyrospermum Parkii (Shea) Butter", "1,2-Hexanediol", "Caprylic/Capric Triglyceride",
    "Methylparaben", "Limonene", "Linalool", "Retinol", "Salicylic Acid", "Mica", "Talc",
    "Glycerln", "Phenoxyethano1", "Aqua/Water/Eau", "Titanium Dioxide (nano)", "Alcohol Denat.",
    "Rosa Damascena Flower Oil*", "Tocopheryl Acetate 0.5%", "Zinc Oxide", "Xanthan Gum",
]  # fmt: skip
HEADERS = [
    "Ingredients:", "INGREDIENTS:", "INCI:", "Ingrédients :", "Inhaltsstoffe:", "Ingredientes:",
    "Composition:", "May contain:", "[+/-", "Lip gloss:", "Active ingredients:", "Inactive:",
]  # fmt: skip
SEPARATORS = [", ", ",", "; ", " ", "\n", "\n\n", " / ", ". ", " and ", " • ", "\t", "\r\n"]
NOISE = [
    "(", ")", "[", "]", "{", "}", "*", "†", "%", "1.", "2)", "Made in France.", "Distributed by",
    "Free from parabens", "vegan", "\u200b", "\ufeff", "\u0301", "\ud7ff", "\U0001f9f4", "ǅ",
    "ﬁ", "\x00", "\x1b[31m", "<script>alert(1)</script>", "&amp;", "\u202e", "İ", "ß", "Ⅻ",
]  # fmt: skip

label_piece = st.one_of(
    st.sampled_from(WORDS),
    st.sampled_from(HEADERS),
    st.sampled_from(SEPARATORS),
    st.sampled_from(NOISE),
    st.text(max_size=12),
)
labels = st.one_of(
    st.lists(label_piece, max_size=60).map("".join),
    st.text(max_size=400),
    st.builds(
        lambda header, items, sep, tail: f"{header} {sep.join(items)}{tail}",
        st.sampled_from(HEADERS),
        st.lists(st.sampled_from(WORDS), max_size=40),
        st.sampled_from(SEPARATORS),
        st.sampled_from(["", ".", " Made in France.", "\n\nDirections: apply daily."]),
    ),
)
profiles = st.builds(
    Profile,
    skin_type=st.one_of(st.none(), st.sampled_from(SKIN_TYPES)),
    concerns=st.lists(st.sampled_from(CONCERNS), unique=True, max_size=len(CONCERNS)).map(tuple),
    avoid=st.lists(st.sampled_from(["parabens", "fragrance", "silicones", "xyz", "Aqua"]),
                   max_size=4).map(tuple),
    vegan=st.booleans(),
    pregnant_or_breastfeeding=st.booleans(),
)  # fmt: skip


@pytest.fixture(scope="module")
def matcher(kb: KnowledgeBase) -> Matcher:
    return build_matcher(kb)


def spans(node: Any) -> list[dict[str, Any]]:
    """Every dict in a report that carries a ``start``/``end`` pair."""
    found: list[dict[str, Any]] = []
    if isinstance(node, dict):
        if "start" in node and "end" in node:
            found.append(node)
        for value in node.values():
            found.extend(spans(value))
    elif isinstance(node, list):
        for value in node:
            found.extend(spans(value))
    return found


@SETTINGS
@given(text=labels)
def test_parser_never_raises_and_keeps_offsets(text: str) -> None:
    parsed = parse(text)
    for token in parsed.tokens:
        assert 0 <= token.start <= token.end <= len(text)
        assert token.text == text[token.start : token.end]
        if token.offsets:
            assert all(token.start <= o < token.end for o in token.offsets)
        assert 0 <= token.list_index < len(parsed.lists)
    for lst in parsed.lists:
        assert 0 <= lst.start <= lst.end <= len(text)
        if lst.header_start is not None and lst.header_end is not None:
            assert 0 <= lst.header_start <= lst.header_end <= len(text)
    assert parse(text) == parsed  # deterministic


@SETTINGS
@given(text=labels)
def test_matcher_never_raises_and_keeps_offsets(matcher: Matcher, text: str) -> None:
    tokens = parse(text).tokens
    first = matcher.resolve_all(tokens)
    for item in first:
        assert 0 <= item.start <= item.end <= len(text)
        if item.match is not None:
            assert 0 <= item.match.score <= 100
            assert item.entry is not None
    matcher.clear_caches()
    assert matcher.resolve_all(tokens) == first  # deterministic, with or without the memo


@SETTINGS
@given(text=labels, profile=profiles)
def test_report_never_raises_keeps_offsets_and_is_deterministic(
    kb: KnowledgeBase, matcher: Matcher, text: str, profile: Profile
) -> None:
    body = analyze_text(text, kb=kb, matcher=matcher, profile=profile, max_items=80).to_dict()
    json.dumps(body)  # serialisable as it stands
    assert body["text_length"] == len(text)
    for span in spans(body):
        assert 0 <= span["start"] <= span["end"] <= len(text), span
    for item in body["ingredients"]:
        assert item["text"] == text[item["start"] : item["end"]]
        assert item["concern"] in ("none", "low", "moderate", "high", "unknown")
    assert isinstance(body["list_found"], bool)
    assert body["items_not_analysed"] >= 0 and len(body["ingredients"]) <= 80
    again = analyze_text(text, kb=kb, matcher=matcher, profile=profile, max_items=80).to_dict()
    assert again == body
