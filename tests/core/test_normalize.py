from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from incilens.core.normalize import display_name, loose_key, name_key

NAME_KEYS = [
    ("", ""),
    ("   ", ""),
    (".", ""),
    ("Alcohol Denat.", "ALCOHOL DENAT"),
    ("Caprylic/ Capric  Triglyceride", "CAPRYLIC/CAPRIC TRIGLYCERIDE"),
    ("PEG- 5 Glyceryl Stearate", "PEG-5 GLYCERYL STEARATE"),
    ("peg\u20138 dimethicone", "PEG-8 DIMETHICONE"),
    ("1, 2-Hexanediol", "1,2-HEXANEDIOL"),
    ("Crème ( Shea ) Butter*", "CREME (SHEA) BUTTER"),
    ("Glycerin", "GLYCERIN"),
]


@pytest.mark.parametrize(("text", "expected"), NAME_KEYS)
def test_name_key(text: str, expected: str) -> None:
    assert name_key(text) == expected


@pytest.mark.parametrize(
    ("a", "b"),
    [("C.I. 77891", "CI 77891"), ("CI77891", "ci 77 891"), ("1,2-Hexanediol", "1 2 hexanediol")],
)
def test_loose_key_joins_punctuation_variants(a: str, b: str) -> None:
    assert loose_key(a) == loose_key(b)


@pytest.mark.parametrize(
    ("inci", "shown"),
    [
        ("PEG-40 HYDROGENATED CASTOR OIL", "PEG-40 Hydrogenated Castor Oil"),
        ("CI 77891", "CI 77891"),
        ("C12-15 ALKYL BENZOATE", "C12-15 Alkyl Benzoate"),
        ("DISODIUM EDTA", "Disodium EDTA"),
        ("sh-OLIGOPEPTIDE-1", "sh-Oligopeptide-1"),
    ],
)
def test_display_name(inci: str, shown: str) -> None:
    assert display_name(inci) == shown


@given(st.text())
def test_name_key_is_idempotent(text: str) -> None:
    assert name_key(name_key(text)) == name_key(text)


@given(st.text())
def test_loose_key_is_alphanumeric(text: str) -> None:
    assert loose_key(text).isalnum() or loose_key(text) == ""
