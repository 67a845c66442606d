"""The classes of real-label failures of issue 17, one table each, nasty cases first."""

# ruff: noqa: E501  (the case tables read best one case a line)

from __future__ import annotations

import pytest

from incilens.core.claims import find_claims
from incilens.core.parsing import parse
from incilens.core.product_type import detect_product_type

# (text, items as cleaned, items in a may-contain block)
PARSE_CASES = [
    # an item with the stop words of prose does not end the list
    ("Ingredients: Aqua, Helianthus Annuus Seed Oil and Tocopherol and Rosmarinus Officinalis Leaf Extract, Parfum",
     ["Aqua", "Helianthus Annuus Seed Oil and Tocopherol and Rosmarinus Officinalis Leaf Extract", "Parfum"], []),
    ("Ingredients: Aqua, Oil of the Seeds of Rosa Canina, Parfum", ["Aqua", "Oil of the Seeds of Rosa Canina", "Parfum"], []),
    ("Aqua, Glycerin, Oil of the Seeds of Rosa Canina, Parfum", ["Aqua", "Glycerin", "Oil of the Seeds of Rosa Canina", "Parfum"], []),
    # ... while prose between commas still does when directions follow it
    ("Ingredients: Aqua, Glycerin, this formula is gentle and kind to all of your skin, Made in France", ["Aqua", "Glycerin"], []),
    # a tolerance is not a may-contain marker
    ("Ingredients: Aqua, Glycerin +/- 0.5%, Parfum", ["Aqua", "Glycerin", "Parfum"], []),
    # the item after the closing bracket leaves the block
    (
        "Ingredients: Mica, [+/- CI 77491, CI 77492], Talc, Silica",
        ["Mica", "CI 77491", "CI 77492", "Talc", "Silica"],
        ["CI 77491", "CI 77492"],
    ),
    # a claim printed inside the panel neither ends the list nor becomes an item
    ("Ingredients: Aqua, SANS PARABEN, Glycerin, Parfum", ["Aqua", "Glycerin", "Parfum"], []),
    ("Ingredients: Aqua, Glycerin. Paraben-free. Made in France", ["Aqua", "Glycerin"], []),
    # a declaration is not an item, in several languages
    (
        "Ingredients: Aqua, Sorbitol, Sodium Fluoride. Contains sodium fluoride (1450 ppm F).",
        ["Aqua", "Sorbitol", "Sodium Fluoride"],
        [],
    ),
    ("Ingredienser: Aqua, Sodium Fluoride\nInneholder natriumfluorid (1450 ppm F)",
     ["Aqua", "Sodium Fluoride"], []),
    ("Zutaten: Aqua, Sodium Fluoride. Enthält Natriumfluorid.", ["Aqua", "Sodium Fluoride"], []),
    # warning panels in languages the parser did not know
    ("Ingredienser: Aqua, Glycerin\nAdvarsel: Unngå kontakt med øynene.", ["Aqua", "Glycerin"], []),
    ("İçindekiler: Aqua, Glycerin. Uyarı: Gözle temasından kaçının.", ["Aqua", "Glycerin"], []),
    # the lake suffix is part of the name, not a sub-list label
    ("Ingredients: Aqua, CI 15850:1, Parfum", ["Aqua", "CI 15850:1", "Parfum"], []),
    # HTML entities from web text are not split at their semicolon
    ("Ingredients: Aqua, Palm Kernel Oil &amp; Palm Oil, Tom&#39;s Extract, Parfum",
     ["Aqua", "Palm Kernel Oil & Palm Oil", "Tom's Extract", "Parfum"], []),
    # the pipe between spaces separates; inside a word it is an OCR "l"
    ("Ingredients: Aqua | Glycerin | Parfum", ["Aqua", "Glycerin", "Parfum"], []),
    ("Ingredients: Aqua, G|ycerin, Parfum", ["Aqua", "G|ycerin", "Parfum"], []),
    # " / " names one item twice, unless the list uses it as its separator
    ("Ingredients: Aqua / Water, Paraffinum Liquidum / Mineral Oil, Glycerin",
     ["Aqua / Water", "Paraffinum Liquidum / Mineral Oil", "Glycerin"], []),
    ("Ingredients: water / glycerin / alcohol / caprylic/capric triglyceride / tocopherol",
     ["water", "glycerin", "alcohol", "caprylic/capric triglyceride", "tocopherol"], []),
    ("Ingredients: Aqua / Water / Eau, Glycerin / Glycérine, Parfum / Fragrance / Duft",
     ["Aqua / Water / Eau", "Glycerin / Glycérine", "Parfum / Fragrance / Duft"], []),
    # names a terminator word could cut
    ("Ingredients: Aqua, Satureja Montana Oil, Glycerin", ["Aqua", "Satureja Montana Oil", "Glycerin"], []),
]  # fmt: skip


@pytest.mark.parametrize(("text", "items", "may"), PARSE_CASES)
def test_parsing_real_label_text(text: str, items: list[str], may: list[str]) -> None:
    parsed = parse(text)
    assert [t.clean for t in parsed.tokens] == items
    in_block = [t.clean for t in parsed.tokens if parsed.lists[t.list_index].may_contain]
    assert in_block == may


CLAIM_CASES = [
    # negatives and traps first
    ("Sodium Laureth Sulfate, Paraben free", ["paraben_free"]),
    ("Coconut oil, Nutmeg", []),
    ("ikke vegansk", []),
    ("Glycerin, Talc, Soy", []),
    ("Free from: parabens, sulfates, silicones", ["paraben_free", "sulfate_free", "silicone_free"]),
    ("paraben & sulfate free", ["paraben_free", "sulfate_free"]),
    ("sans-parfum", ["fragrance_free"]),
    ("sem-parabenos", ["paraben_free"]),
    ("parabeenvrij", ["paraben_free"]),
    ("Soy free. Nut-free. Talc free. Gluten-free", ["soy_free", "nut_free", "talc_free", "gluten_free"]),
    ("Paraben içermez", ["paraben_free"]),
    ("fără parabeni și siliconi", ["paraben_free", "silicone_free"]),
]  # fmt: skip


@pytest.mark.parametrize(("text", "claims"), CLAIM_CASES)
def test_claims_in_real_label_text(text: str, claims: list[str]) -> None:
    assert [c.claim for c in find_claims(text)] == claims


TYPE_CASES = [
    # (text, application, confidence)
    ("Ingredients: Aqua, Myroxylon Pereirae Balsam, Oryza Sativa Powder", "unknown", "none"),
    ("Leave-in conditioner. Do not rinse.", "leave_on", "high"),
    ("Face mask", "unknown", "none"),
    ("Gentle shampoo", "rinse_off", "medium"),
    ("Hydrating serum\nA light serum for the face", "leave_on", "high"),
    # the last product word of the name is its head; the others are modifiers
    ("Perfume Shampoo - Rose & Oud", "rinse_off", "medium"),
    ("Serum Shampoo 2 in 1 Conditioner", "rinse_off", "medium"),
    # generic nouns name the product only in its name
    ("100 percent Pure Argan Oil\nIngredients: Argania Spinosa Kernel Oil", "leave_on", "medium"),
    ("Oil-Free Gel", "unknown", "none"),
    ("Gentle cleanser\nWith argan oil and a light mist of rose", "rinse_off", "medium"),
    ("Toothpaste", "rinse_off", "medium"),
    ("Gel douche extra doux", "rinse_off", "medium"),
]


@pytest.mark.parametrize(("text", "application", "confidence"), TYPE_CASES)
def test_product_type(text: str, application: str, confidence: str) -> None:
    lists = [lst for lst in parse(text).lists if lst.found_by == "header"]
    kind = detect_product_type(text, skip=[(lst.start, lst.end) for lst in lists])
    assert (kind.application, kind.confidence) == (application, confidence)
    assert kind.how
