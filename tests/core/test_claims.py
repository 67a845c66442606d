from __future__ import annotations

import pytest

from incilens.core.claims import find_claims

CLAIMS = [
    # (text, claims found), negatives first
    ("", []),
    ("Ingredients: Aqua, Glycerin, Methylparaben", []),
    ("Not vegan", []),
    ("non-vegan formula", []),
    ("Contains parabens", []),
    ("Paraben-free", ["paraben_free"]),
    ("paraben free", ["paraben_free"]),
    ("PARABENFREI", ["paraben_free"]),
    ("Sans parabène", ["paraben_free"]),
    ("sin parabenos", ["paraben_free"]),
    ("senza parabeni", ["paraben_free"]),
    ("0% parabens", ["paraben_free"]),
    ("Fragrance free", ["fragrance_free"]),
    ("sans parfum", ["fragrance_free"]),
    ("ohne Parfüm", ["fragrance_free"]),
    (
        "Free from parabens, sulfates and silicones",
        ["paraben_free", "sulfate_free", "silicone_free"],
    ),
    ("silicone-free, sulphate-free", ["silicone_free", "sulfate_free"]),
    ("Alcohol-free toner", ["alcohol_free"]),
    ("No mineral oil", ["mineral_oil_free"]),
    ("Vegan", ["vegan"]),
    ("100% végan", ["vegan"]),
    ("Vegano", ["vegan"]),
]


@pytest.mark.parametrize(("text", "expected"), CLAIMS)
def test_claims(text: str, expected: list[str]) -> None:
    assert [c.claim for c in find_claims(text)] == expected


def test_claims_keep_their_span() -> None:
    text = "Hydrating gel. Paraben-free."
    (claim,) = find_claims(text)
    assert text[claim.start : claim.end] == claim.text == "Paraben-free"
