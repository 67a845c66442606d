from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from incilens.core.models import Token
from incilens.core.parsing import parse
from incilens.kb.knowledge import KnowledgeBase
from incilens.kb.matching import Matcher, max_distance


@pytest.fixture(scope="module")
def matcher(kb: KnowledgeBase) -> Matcher:
    return Matcher(kb)


def token(text: str) -> Token:
    return Token(text=text, start=0, end=len(text), clean=text, offsets=None, list_index=0)


def resolve(matcher: Matcher, text: str) -> list[tuple[str | None, str | None]]:
    return [
        (r.match.inci_name, r.match.method) if r.match else (None, None)
        for r in matcher.resolve(token(text))
    ]


# Precision first: these must stay unrecognised rather than be forced onto a wrong entry.
UNRECOGNISED = [
    "Xyzzy",
    "Please be aware that ingredient lists may change",
    "PEG-175 Stearate",  # PEG-150/PEG-100 Stearate exist; the number must agree
    "CI 77497",  # a digit away from several colour indexes
    "Aqa",  # too short to correct
    "Limonen Extract Compound",
    "x" * 400,
    "Shea Body Cream",
]


@pytest.mark.parametrize("text", UNRECOGNISED)
def test_no_forced_matches(matcher: Matcher, text: str) -> None:
    assert resolve(matcher, text) == [(None, None)]


MATCHES = [
    # (as read, INCI name, method)
    ("Glycerin", "GLYCERIN", "exact"),
    ("GLYCERIN", "GLYCERIN", "exact"),
    ("Caprylic / Capric Triglyceride", "CAPRYLIC/CAPRIC TRIGLYCERIDE", "exact"),
    ("Vitamin E", "TOCOPHEROL", "synonym"),
    ("Water", "WATER", "exact"),  # the US INCI name; AQUA is the EU one
    ("Eau", "AQUA", "synonym"),
    ("Glycerylstearate", "GLYCERYL STEARATE", "normalized"),
    ("Gly ceryl Stearate", "GLYCERYL STEARATE", "normalized"),
    ("C.I. 77891", "CI 77891", "exact"),
    ("Cl 77891", "CI 77891", "exact"),
    ("Glycerln", "GLYCERIN", "ocr"),  # l for i
    ("Dirnethicone", "DIMETHICONE", "ocr"),  # rn for m
    ("Phenoxyethano1", "PHENOXYETHANOL", "ocr"),  # 1 for l
    ("S0dium Benzoate", "SODIUM BENZOATE", "ocr"),  # 0 for O
    ("Cyclopentasiloxane", "CYCLOPENTASILOXANE", "exact"),
    ("Sodium Laureth Sulfale", "SODIUM LAURETH SULFATE", "fuzzy"),
    ("Butyrospermum Parkii Buter", "BUTYROSPERMUM PARKII BUTTER", "fuzzy"),
    ("Phenoxyethenol", "PHENOXYETHANOL", "fuzzy"),
    ("Cetearyl Alcohl", "CETEARYL ALCOHOL", "fuzzy"),
    # structures
    ("Aqua (Water)", "AQUA", "synonym"),
    ("Water/Aqua/Eau", "AQUA", "synonym"),
    ("Water\\Aqua\\Eau", "AQUA", "normalized"),
    ("Tocopherol (Vitamin E)", "TOCOPHEROL", "exact"),
    ("Parfum (Fragrance)", "PARFUM", "synonym"),
    ("Glycerin (Vegetable)", "GLYCERIN", "exact"),
]


@pytest.mark.parametrize(("text", "inci", "method"), MATCHES)
def test_matches(matcher: Matcher, text: str, inci: str, method: str) -> None:
    assert resolve(matcher, text) == [(inci, method)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Glycerin Niacinamide", ["GLYCERIN", "NIACINAMIDE"]),  # a lost comma
        ("Aqua Glycerin Phenoxyethanol", ["AQUA", "GLYCERIN", "PHENOXYETHANOL"]),
        ("Glycerln Niacinamide", ["GLYCERIN", "NIACINAMIDE"]),  # lost comma and an OCR slip
        ("aqua/sodium laureth sulfate/glycerin", ["AQUA", "SODIUM LAURETH SULFATE", "GLYCERIN"]),
        ("Glycerin and Niacinamide", ["GLYCERIN", "NIACINAMIDE"]),
        ("Coconut Alcohol", ["COCONUT ALCOHOL"]),  # a real name, not "coconut" + "alcohol"
        ("Sodium Chloride", ["SODIUM CHLORIDE"]),
    ],
)
def test_items_run_together_are_split_into_known_names(
    matcher: Matcher, text: str, expected: list[str]
) -> None:
    assert [inci for inci, _ in resolve(matcher, text)] == expected


def test_split_items_keep_their_own_offsets(matcher: Matcher) -> None:
    text = "Ingredients: Aqua, Glycerln Niacinamide, Parfum"
    spans = [
        text[r.start : r.end] for t in parse(text).tokens for r in matcher.resolve(t) if r.match
    ]
    assert spans == ["Aqua", "Glycerln", "Niacinamide", "Parfum"]


def test_corrections_say_what_was_read(matcher: Matcher) -> None:
    (resolved,) = matcher.resolve(token("Sodium Laureth Sulfale"))
    assert resolved.match is not None
    assert resolved.match.corrected
    assert resolved.match.to_dict()["note"] == (
        "read as 'Sodium Laureth Sulfale', matched 'SODIUM LAURETH SULFATE'"
    )
    assert 90 <= resolved.match.score < 100


def test_unrecognised_items_offer_candidates(matcher: Matcher) -> None:
    (resolved,) = matcher.resolve(token("Sodium Laureth-9 Sulfale"))
    assert resolved.match is None or resolved.match.inci_name.startswith("SODIUM LAURETH")
    (resolved,) = matcher.resolve(token("Hydrolyzed Rise Protien"))  # three slips: too many
    assert resolved.match is None
    assert "HYDROLYZED RICE PROTEIN" in resolved.candidates


@pytest.mark.parametrize(
    ("length", "allowed"), [(3, 0), (5, 0), (6, 1), (11, 1), (12, 2), (24, 2), (25, 3)]
)
def test_the_edit_allowance_grows_with_length(length: int, allowed: int) -> None:
    assert max_distance(length) == allowed


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=60))
def test_resolve_never_raises_and_spans_stay_inside(matcher: Matcher, text: str) -> None:
    for tok in parse(text).tokens:
        for resolved in matcher.resolve(tok):
            assert tok.start <= resolved.start <= resolved.end <= tok.end
            if resolved.match:
                assert resolved.entry is not None
                assert 0 < resolved.match.score <= 100
