"""Issue 17 end to end on the packaged knowledge base: matching of real label forms, claims
judged against the list, and the rules that depend on the product type. Nasty cases first."""

from __future__ import annotations

from typing import Any

import pytest

from incilens.kb.knowledge import KnowledgeBase
from incilens.kb.matching import Matcher
from incilens.pipeline import analyze_text, build_matcher


@pytest.fixture(scope="module")
def matcher(kb: KnowledgeBase) -> Matcher:
    return build_matcher(kb)


@pytest.fixture()
def analyze(kb: KnowledgeBase, matcher: Matcher) -> Any:
    return lambda text: analyze_text(text, kb=kb, matcher=matcher)


# (text, the INCI names of the items in order)
MATCH_CASES = [
    # a colour index with its name must not add the banned element it names
    ("Ingredients: Aqua, CI 77288 / CHROMIUM", ["AQUA", "CI 77288"]),
    ("Ingredients: Aqua, CI 19140/Yellow 5", ["AQUA", "CI 19140"]),
    # the lake suffix
    ("Ingredients: Aqua, CI 15850:1, CI 15850:2", ["AQUA", "CI 15850", "CI 15850"]),
    # blends written "A (and) B"
    (
        "Ingredients: Caprylic/Capric Triglyceride (and) Tocopherol, Glycerin",
        ["CAPRYLIC/CAPRIC TRIGLYCERIDE", "TOCOPHEROL", "GLYCERIN"],
    ),
    # an INCI name with a common name the knowledge base does not know
    ("Ingredients: Aqua, Glycine Soja Oil/Soybean Oil", ["AQUA", "GLYCINE SOJA OIL"]),
    # ... but an unknown oil after a name that is not an oil is not that name
    ("Ingredients: Glycerin/Soybean Oil", [None]),
    # a list written with " - " between its items
    (
        "Ingredients: AQUA/WATER - CETEARYL ALCOHOL - GLYCERIN - PARFUM/FRAGRANCE",
        ["AQUA", "CETEARYL ALCOHOL", "GLYCERIN", "PARFUM"],
    ),
]


@pytest.mark.parametrize(("text", "names"), MATCH_CASES)
def test_real_label_forms_match(analyze: Any, text: str, names: list[str | None]) -> None:
    report = analyze(text)
    assert [i.match.inci_name if i.match else None for i in report.items] == names


# (text, claim, verdict, the items that break it)
CLAIM_CASES = [
    # a plant named with an animal word does not break "vegan"
    ("Vegan. Ingredients: Aqua, Zea Mays Silk Extract, Glycerin", "vegan", "questionable", []),
    # an item of unknown source makes "vegan" questionable, not consistent
    ("Vegan. Ingredients: Aqua, Shellac, Glycerin", "vegan", "questionable", []),
    ("Vegan. Ingredients: Aqua, Lanolin", "vegan", "contradicted", ["Lanolin"]),
    # families by chemical name or INN
    (
        "Paraben-free. Ingredients: Aqua, Methyl 4-hydroxybenzoate",
        "paraben_free",
        "contradicted",
        ["Methyl 4-hydroxybenzoate"],
    ),
    (
        "Silicone-free. Ingredients: Aqua, Trimethylsiloxysilicate",
        "silicone_free",
        "contradicted",
        ["Trimethylsiloxysilicate"],
    ),
    (
        # The knowledge base reads the INN "Bronopol" as its INCI name (a CosIng INN synonym).
        "Formaldehyde-free. Ingredients: Aqua, Bronopol",
        "formaldehyde_free",
        "contradicted",
        ["2-Bromo-2-Nitropropane-1,3-Diol"],
    ),
    # the new families
    ("Talc free. Ingredients: Mica, Talc", "talc_free", "contradicted", ["Talc"]),
    (
        "Nut-free. Ingredients: Aqua, Prunus Amygdalus Dulcis Oil",
        "nut_free",
        "contradicted",
        ["Prunus Amygdalus Dulcis Oil"],
    ),
    ("Nut-free. Ingredients: Aqua, Cocos Nucifera Oil", "nut_free", "consistent", []),
    (
        "Soy free. Ingredients: Aqua, Glycine Soja Oil",
        "soy_free",
        "contradicted",
        ["Glycine Soja Oil"],
    ),
    (
        "Gluten-free. Ingredients: Aqua, Triticum Vulgare Germ Oil",
        "gluten_free",
        "questionable",
        [],
    ),
]


@pytest.mark.parametrize(("text", "claim", "verdict", "breaking"), CLAIM_CASES)
def test_claims_judged(
    analyze: Any, text: str, claim: str, verdict: str, breaking: list[str]
) -> None:
    (found,) = [c for c in analyze(text).summary.claims if c["claim"] == claim]
    assert found["verdict"] == verdict
    assert [i["name"] for i in found["items"]] == breaking


def rules(report: Any) -> dict[str, dict[str, Any]]:
    return {r["id"]: r for r in report.summary.product["rules"]}


def test_unknown_type_says_which_answers_depend_on_it(analyze: Any) -> None:
    report = analyze("Ingredients: Aqua, Methylisothiazolinone, Limonene, Salicylic Acid")
    product = report.summary.product
    assert product["application"] == "unknown"
    found = rules(report)
    assert set(found) == {"fragrance_allergen_threshold", "rinse_off_only", "annex_iii_limit"}
    assert all(r["depends_on_type"] for r in found.values())
    assert product["depends_on_type"] == 3
    assert "0.001 %" in found["fragrance_allergen_threshold"]["text"]
    assert "0.01 %" in found["fragrance_allergen_threshold"]["text"]
    assert found["rinse_off_only"]["status"] == "depends"


def test_leave_on_product(analyze: Any) -> None:
    report = analyze(
        "Body lotion. Ingredients: Aqua, Methylisothiazolinone, Limonene, Salicylic Acid"
    )
    product = report.summary.product
    assert (product["application"], product["areas"]) == ("leave_on", ["body"])
    found = rules(report)
    assert found["rinse_off_only"]["status"] == "conflict"
    assert "0.001 %" in found["fragrance_allergen_threshold"]["text"]
    assert "0.01 %" not in found["fragrance_allergen_threshold"]["text"]
    limits = found["annex_iii_limit"]["limits"]
    assert [x["applies"] for x in limits] == [False, False, True]  # (c) names body lotion
    assert "0.5%" in found["annex_iii_limit"]["text"]


def test_rinse_off_product(analyze: Any) -> None:
    report = analyze("Shampoo. Ingredients: Aqua, Methylisothiazolinone, Limonene")
    found = rules(report)
    assert report.summary.product["application"] == "rinse_off"
    assert found["rinse_off_only"]["status"] == "allowed"
    assert "0.01 %" in found["fragrance_allergen_threshold"]["text"]


def test_nano_form_entry_applies(analyze: Any) -> None:
    report = analyze("Ingredients: Aqua, Styrene/Acrylates Copolymer (nano)")
    found = rules(report)
    assert found["nano_form"]["status"] == "prohibited"
    assert not rules(analyze("Ingredients: Aqua, Styrene/Acrylates Copolymer"))


def test_product_words_inside_the_list_do_not_count(analyze: Any) -> None:
    report = analyze("Ingredients: Aqua, Myroxylon Pereirae Balsam, Oryza Sativa Powder")
    assert report.summary.product["application"] == "unknown"


def test_no_ingredient_name_reads_as_a_list_end(kb: KnowledgeBase) -> None:
    """Precision first: the 25 languages' list ends never cut a list at a real INCI name."""
    from incilens.core.parsing.pieces import is_terminator

    cut = [n for n in kb.names if is_terminator(n) or is_terminator(n.title())]
    assert cut == []
