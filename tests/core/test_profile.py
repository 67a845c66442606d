"""The avoid list in a shopper's words: which family a term names and what the family matches.

The tables start with the nasty cases: words inside other words ("nut" in coconut, "tea" in
TEA-lauryl sulfate and tea tree), look-alike names (cocoa, Poria cocos, glycine, synthetic
beeswax, milk thistle), the two meanings of "alcohol", then plurals, case and accents.
"""

from __future__ import annotations

from typing import Any

import pytest

from incilens.core.profile import AVOID_FAMILIES, FAMILIES, Profile, family_of, family_reason
from incilens.kb.knowledge import KnowledgeBase
from incilens.kb.matching import Matcher
from incilens.pipeline import analyze_text

# (term as typed, the family it names or None for "an ingredient name, ask the matcher")
TERMS = [
    ("coconut", "coconut"),
    ("nut", "tree_nuts"),
    ("Nuts", "tree_nuts"),
    ("tree nuts", "tree_nuts"),
    ("peanuts", "peanut"),
    ("tea", "tea"),
    ("Tea-Tree", "tea_tree"),
    ("tea tree", "tea_tree"),
    ("alcohol", "drying_alcohol"),
    ("fatty alcohols", "fatty_alcohol"),
    ("Cetearyl Alcohol", None),  # an ingredient name, not the family
    ("almond oil", None),  # one ingredient: the matcher's Sweet Almond Oil
    ("coconut oil", None),
    ("glycine", None),  # an amino acid, never soy
    ("SHÉA", "shea"),
    ("  ALMONDS ", "almond"),
    ("Crème", None),
    ("sulphates", "sulfate_surfactant"),
    ("SLS", "sulfate_surfactant"),
    ("parabens", "paraben"),
    ("Fragrances", "fragrance"),
    ("perfume", "fragrance"),
    ("essential oils", "essential_oil"),
    ("fragrance allergens", "fragrance_allergen"),
    ("soya", "soy"),
    ("gluten", "gluten"),
    ("wheat", "wheat"),
    ("oats", "oat"),
    ("lanolin", "lanolin"),
    ("wool", "lanolin"),
    ("beeswax", "beeswax"),
    ("honey", "bee_products"),
    ("silicones", "silicone"),
    ("animal-derived", "animal_derived"),
    ("uv_filters", "uv_filter"),
    ("PEGs", "peg"),
    ("eggs", "egg"),
    ("dairy", "milk"),
    ("glass", None),
    ("", None),
]


@pytest.mark.parametrize(("term", "family"), TERMS)
def test_which_family_a_term_names(term: str, family: str | None) -> None:
    assert family_of(term) == family


# (family, INCI name, KB flags, matched?)
MATCHES: list[tuple[str, str, frozenset[str], bool]] = [
    # words inside words, and look-alikes
    ("tree_nuts", "COCOS NUCIFERA OIL", frozenset(), False),
    ("tree_nuts", "BUTYROSPERMUM PARKII BUTTER", frozenset(), False),
    ("tree_nuts", "ARACHIS HYPOGAEA OIL", frozenset(), False),
    ("tree_nuts", "ARGANIA SPINOSA KERNEL OIL", frozenset(), False),
    ("tree_nuts", "AMYGDALUS PERSICA LEAF EXTRACT", frozenset(), False),  # peach
    ("almond", "PRUNUS ARMENIACA KERNEL OIL", frozenset(), False),  # apricot
    ("coconut", "THEOBROMA CACAO SEED BUTTER", frozenset(), False),
    ("coconut", "COCOA BUTTER", frozenset(), False),
    ("coconut", "PORIA COCOS EXTRACT", frozenset(), False),  # a fungus
    ("coconut", "CAPRYLIC/CAPRIC TRIGLYCERIDE", frozenset(), False),  # the name does not say
    ("tea", "TEA-LAURYL SULFATE", frozenset(), False),  # triethanolamine
    ("tea", "MELALEUCA ALTERNIFOLIA LEAF OIL", frozenset({"essential_oil"}), False),
    ("tea_tree", "CAMELLIA SINENSIS LEAF EXTRACT", frozenset(), False),
    ("soy", "GLYCINE", frozenset(), False),
    ("beeswax", "SYNTHETIC BEESWAX", frozenset({"animal_derived"}), False),
    ("beeswax", "CERA MICROCRISTALLINA", frozenset({"mineral_oil"}), False),
    ("bee_products", "LONICERA JAPONICA (HONEYSUCKLE) FLOWER EXTRACT", frozenset(), False),
    ("milk", "SILYBUM MARIANUM (MILK THISTLE) SEED OIL", frozenset(), False),
    ("milk", "LACTIC ACID", frozenset({"aha"}), False),
    ("peanut", "ARACHIDYL ALCOHOL", frozenset({"fatty_alcohol"}), False),
    ("lavender", "ARTEMISIA LAVANDULAEFOLIA EXTRACT", frozenset(), False),
    ("drying_alcohol", "CETEARYL ALCOHOL", frozenset({"fatty_alcohol"}), False),
    ("drying_alcohol", "BENZYL ALCOHOL", frozenset({"preservative"}), False),
    ("fragrance", "GLYCERIN", frozenset(), False),
    ("sulfate_surfactant", "MAGNESIUM SULFATE", frozenset(), False),
    ("wheat", "AVENA SATIVA KERNEL FLOUR", frozenset(), False),
    # what each family is for
    ("tree_nuts", "PRUNUS AMYGDALUS DULCIS OIL", frozenset(), True),
    ("tree_nuts", "JUGLANS REGIA SEED OIL", frozenset(), True),
    ("tree_nuts", "CORYLUS AVELLANA SEED OIL", frozenset(), True),
    ("tree_nuts", "MACADAMIA TERNIFOLIA SEED OIL", frozenset(), True),
    ("tree_nuts", "BERTHOLLETIA EXCELSA SEED OIL", frozenset(), True),
    ("tree_nuts", "ANACARDIUM OCCIDENTALE SEED OIL", frozenset(), True),
    ("tree_nuts", "PISTACIA VERA SEED OIL", frozenset(), True),
    ("tree_nuts", "CARYA ILLINOINENSIS SEED OIL", frozenset(), True),
    ("almond", "ALMONDAMIDOPROPYL BETAINE", frozenset(), True),
    ("coconut", "COCOS NUCIFERA OIL", frozenset(), True),
    ("coconut", "COCAMIDOPROPYL BETAINE", frozenset(), True),
    ("coconut", "COCO-GLUCOSIDE", frozenset(), True),
    ("coconut", "SODIUM COCOYL ISETHIONATE", frozenset(), True),
    ("coconut", "SODIUM COCOAMPHOACETATE", frozenset(), True),
    ("coconut", "HYDROGENATED COCO-GLYCERIDES", frozenset(), True),
    ("shea", "BUTYROSPERMUM PARKII BUTTER", frozenset(), True),
    ("shea", "HYDROGENATED SHEA BUTTER", frozenset(), True),
    ("tea_tree", "MELALEUCA ALTERNIFOLIA LEAF OIL", frozenset({"essential_oil"}), True),
    ("tea", "CAMELLIA SINENSIS LEAF EXTRACT", frozenset(), True),
    ("soy", "GLYCINE SOJA OIL", frozenset(), True),
    ("soy", "HYDROLYZED SOY PROTEIN", frozenset(), True),
    ("gluten", "HYDROLYZED WHEAT PROTEIN", frozenset(), True),
    ("gluten", "AVENA SATIVA KERNEL FLOUR", frozenset(), True),
    ("gluten", "HORDEUM VULGARE EXTRACT", frozenset(), True),
    ("wheat", "TRITICUM VULGARE GERM OIL", frozenset(), True),
    ("lanolin", "PEG-75 LANOLIN", frozenset({"animal_derived", "peg"}), True),
    ("lanolin", "LANOLIN ALCOHOL", frozenset({"animal_derived"}), True),
    ("beeswax", "CERA ALBA", frozenset({"animal_derived"}), True),
    ("bee_products", "MEL", frozenset({"animal_derived"}), True),
    ("milk", "WHEY PROTEIN", frozenset({"animal_derived"}), True),
    ("lavender", "LAVANDULA ANGUSTIFOLIA OIL", frozenset({"essential_oil"}), True),
    ("fragrance", "PARFUM", frozenset({"fragrance"}), True),
    ("fragrance", "LINALOOL", frozenset({"fragrance_allergen"}), True),
    ("fragrance", "CITRUS AURANTIUM BERGAMIA FRUIT OIL", frozenset({"essential_oil"}), True),
    ("drying_alcohol", "ALCOHOL DENAT.", frozenset({"drying_alcohol"}), True),
    ("fatty_alcohol", "CETEARYL ALCOHOL", frozenset({"fatty_alcohol"}), True),
]


@pytest.mark.parametrize(("family", "name", "flags", "matched"), MATCHES)
def test_what_a_family_matches(
    family: str, name: str, flags: frozenset[str], matched: bool
) -> None:
    assert (family_reason(family, name, flags) is not None) is matched


def test_every_word_names_a_family_and_every_family_says_what_it_counts() -> None:
    assert set(AVOID_FAMILIES.values()) <= set(FAMILIES)
    for key, family in FAMILIES.items():
        assert family.key == key and family.label and family.why.endswith(".")
        assert family.flags or family.names is not None, key


# --- through the pipeline, on the core's small knowledge base -----------------------------


@pytest.fixture(scope="module")
def matcher(kb: KnowledgeBase) -> Matcher:
    return Matcher(kb)


def avoid_findings(kb: KnowledgeBase, matcher: Matcher, text: str, *avoid: str) -> Any:
    report = analyze_text(text, kb=kb, matcher=matcher, profile=Profile(avoid=avoid))
    return {f["title"]: f for f in report.summary.for_you}


def test_everyday_words_find_their_ingredients_and_say_what_they_counted(
    kb: KnowledgeBase, matcher: Matcher
) -> None:
    text = (
        "Ingredients: Aqua, Cocos Nucifera Oil, Prunus Amygdalus Dulcis Oil, Cetearyl "
        "Alcohol, Alcohol Denat., Parfum, Linalool, Butyrospermum Parkii Butter"
    )
    found = avoid_findings(kb, matcher, text, "nuts", "coconut", "alcohol", "fragrance", "Shea")
    names = {t: [i["name"] for i in f["items"]] for t, f in found.items()}
    assert names["On your avoid list: nuts"] == ["Prunus Amygdalus Dulcis Oil"]
    assert names["On your avoid list: coconut"] == ["Cocos Nucifera Oil"]
    assert names["On your avoid list: alcohol"] == ["Alcohol Denat."]
    assert names["On your avoid list: fragrance"] == ["Parfum", "Linalool"]
    assert names["On your avoid list: Shea"] == ["Butyrospermum Parkii Butter"]
    nuts = found["On your avoid list: nuts"]
    assert "Coconut, shea, argan and peanut are not on that list" in nuts["why"]
    assert "Regulation (EU) No 1169/2011" in nuts["why"]
    assert "fatty alcohols" in found["On your avoid list: alcohol"]["why"]
    assert all(i["source"] for f in found.values() for i in f["items"])


def test_unknown_terms_are_named_in_the_title_the_text_and_a_list(
    kb: KnowledgeBase, matcher: Matcher
) -> None:
    found = avoid_findings(kb, matcher, "Ingredients: Aqua", "qwzx plorb", "nuts", "zzkv")
    unknown = found["Avoid-list terms we do not know: qwzx plorb, zzkv"]
    assert unknown["id"] == "avoid_unknown" and unknown["terms"] == ["qwzx plorb", "zzkv"]
    assert "qwzx plorb, zzkv" in unknown["why"]
    assert "On your avoid list: nuts" not in found  # known, but nothing in the list
