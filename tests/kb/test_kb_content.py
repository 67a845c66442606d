"""What the packaged knowledge base holds: names, synonyms, reference pages, provenance."""

from __future__ import annotations

import pytest

from incilens.kb.build.record import collect_sources
from incilens.kb.knowledge import KnowledgeBase

SYNONYMS = [
    # (what a shopper or label says, the INCI name it must resolve to)
    ("Aqua", "AQUA"),
    ("Eau", "AQUA"),
    ("Fragrance", "PARFUM"),
    ("Vitamin E", "TOCOPHEROL"),
    ("Shea Butter", "BUTYROSPERMUM PARKII BUTTER"),
    ("CI 77891", "CI 77891"),
    ("C.I. 77891", "CI 77891"),
    ("Cl 77891", "CI 77891"),
    ("ci77891", "CI 77891"),
    ("Titanium Dioxide", "TITANIUM DIOXIDE"),
    ("glycerin", "GLYCERIN"),
    ("  GLYCERIN  ", "GLYCERIN"),
    ("Caprylic/ Capric Triglyceride", "CAPRYLIC/CAPRIC TRIGLYCERIDE"),
    ("Alcohol Denat", "ALCOHOL DENAT."),
    ("Hyaluronic Acid", "HYALURONIC ACID"),
    ("Sodium Hyaluronate", "SODIUM HYALURONATE"),
    ("Octinoxate", "ETHYLHEXYL METHOXYCINNAMATE"),
    ("Avobenzone", "BUTYL METHOXYDIBENZOYLMETHANE"),
    ("glycerin", "GLYCERIN"),
]


@pytest.mark.parametrize(("name", "inci"), SYNONYMS)
def test_synonyms_and_spellings(kb: KnowledgeBase, name: str, inci: str) -> None:
    ingredient = kb.lookup(name)
    assert ingredient is not None, name
    assert ingredient.inci_name == inci


@pytest.mark.parametrize("name", ["", "   ", "zzzz-not-an-ingredient", "Hyaluronic"])
def test_unknown_names_are_not_forced(kb: KnowledgeBase, name: str) -> None:
    assert kb.lookup(name) is None


def test_distinct_things_stay_distinct(kb: KnowledgeBase) -> None:
    ha, sh = kb.lookup("Hyaluronic Acid"), kb.lookup("Sodium Hyaluronate")
    assert ha is not None and sh is not None and ha.id != sh.id
    assert "Sodium Hyaluronate" not in {s["name"] for s in ha.synonyms}


def test_every_cosing_name_is_an_entry(kb: KnowledgeBase) -> None:
    assert kb.header["counts"]["cosing_entries"] == 30_059
    assert sum(1 for ing in kb if ing.cosing_ref) == 30_059
    assert kb.header["counts"]["glossary_new"] > 2_000


REFERENCE = {
    "HUMAN UMBILICAL MESENCHYMAL STEM CELL CONDITIONED MEDIA": (
        {"HUMECTANT", "SKIN CONDITIONING", "SKIN PROTECTING"},
        (0.0, 1.0),
        "not_vegan",
    ),
    "HUMAN AMNIOTIC MEMBRANE STEM CELL CONDITIONED MEDIA": (
        {"HAIR CONDITIONING", "SKIN PROTECTING"},
        (0.0, 0.0),
        "not_vegan",
    ),
    "ANEMARRHENA ASPHODELOIDES CALLUS CONDITIONED MEDIA EXTRACT": (
        {"ANTIOXIDANT"},
        (0.0, 0.0),
        "vegan",
    ),
}


@pytest.mark.parametrize("name", sorted(REFERENCE))
def test_reference_page_facts(kb: KnowledgeBase, name: str) -> None:
    functions, (low, high), vegan = REFERENCE[name]
    ing = kb.lookup(name)
    assert ing is not None
    assert functions <= {f["name"] for f in ing.functions}
    assert all(f["plain"] for f in ing.functions)
    assert ing.comedogenic is not None
    page = [s for s in ing.comedogenic["sources"] if s["source"].startswith("ref:")]
    assert (page[0]["min"], page[0]["max"]) == (low, high)
    assert ing.vegan["status"] == vegan and ing.vegan["source"].startswith("ref:")
    assert ing.pregnancy is not None and ing.pregnancy["note"]
    assert ing.photosensitizing is not None and ing.photosensitizing["value"] is False
    assert ing.side_effects is not None and len(ing.side_effects["items"]) >= 4
    assert ing.skin_types is not None and ing.skin_types["suits"]
    assert ing.summary is not None and ing.summary["source"].startswith("ref:")
    assert ing.summary["source"] in kb.sources


def test_umbilical_media_is_banned_as_a_product_of_human_origin(kb: KnowledgeBase) -> None:
    ing = kb.lookup("HUMAN UMBILICAL MESENCHYMAL STEM CELL CONDITIONED MEDIA")
    assert ing is not None
    assert ing.concern["level"] == "high"
    assert any(r["source"] == "eu-annex-II/416" for r in ing.concern["reasons"])


def test_disagreeing_ratings_are_shown_side_by_side(kb: KnowledgeBase) -> None:
    dimethicone = kb.lookup("DIMETHICONE")
    assert dimethicone is not None and dimethicone.comedogenic is not None
    by_source = {s["source"]: s["value"] for s in dimethicone.comedogenic["sources"]}
    assert by_source["hautschutzengel"] == "5" and by_source["acneorg_fulton"] == "1"
    # The one list that says 5 is an outlier: kept and marked, but not in the range shown.
    rating = dimethicone.comedogenic
    assert (rating["full_min"], rating["full_max"]) == (1.0, 5.0)
    assert (rating["min"], rating["max"], rating["median"]) == (1.0, 1.0, 1.0)
    assert rating["lists"] >= 3
    marked = {s["source"] for s in rating["sources"] if s["outlier"]}
    assert marked == {"hautschutzengel"}


def test_a_list_rating_the_name_itself_beats_its_chemical_synonym(kb: KnowledgeBase) -> None:
    # The lists rate "Cetyl alcohol" 2 and, copying one old test, "Hexadecyl alcohol" 5.
    cetyl = kb.lookup("CETYL ALCOHOL")
    assert cetyl is not None and cetyl.comedogenic is not None
    rating = cetyl.comedogenic
    assert (rating["min"], rating["max"], rating["median"]) == (2.0, 2.0, 2.0)
    left_out = {s["name_in_source"] for s in rating["sources"] if s["outlier"]}
    assert any("Hexadecyl" in name for name in left_out)
    assert not any(
        s["outlier"] for s in rating["sources"] if s["name_in_source"] == "Cetyl Alcohol"
    )


def test_ranges_stay_ranges(kb: KnowledgeBase) -> None:
    lanolin = kb.lookup("LANOLIN")
    assert lanolin is not None and lanolin.comedogenic is not None
    assert any("-" in s["value"] for s in lanolin.comedogenic["sources"])


def test_at_least_400_curated_profiles(kb: KnowledgeBase) -> None:
    assert sum(kb.profiled) >= 400


def test_every_record_is_valid_and_every_fact_has_a_known_source(kb: KnowledgeBase) -> None:
    catalogue = set(kb.sources)
    for ing in kb:  # Ingredient.from_record validates each record
        record = ing.to_dict()
        for key in ("functions", "flags", "eu", "eu_upcoming", "synonyms"):
            for fact in record[key]:
                assert fact.get("source"), (ing.inci_name, key)
        for key in (
            "description",
            "summary",
            "comedogenic",
            "irritancy",
            "pregnancy",
            "photosensitizing",
            "side_effects",
            "skin_types",
            "origin",
            "vegan",
        ):
            if record[key] is not None:
                found: set[str] = set()
                collect_sources(record[key], found)
                assert found, (ing.inci_name, key)
        for source in ing.sources:
            base = source.split("/")[0]
            assert (
                source in catalogue or base.startswith(("rule:", "eu-annex-")) or base in catalogue
            ), (ing.inci_name, source)


def test_a_records_json_form_is_built_once_and_each_answer_gets_its_own_top(
    kb: KnowledgeBase,
) -> None:
    from dataclasses import fields

    from incilens.core.models import _thaw

    ing = kb.lookup("glycerin")
    assert ing is not None
    first, second = ing.to_dict(), ing.to_dict()
    assert first == second == {f.name: _thaw(getattr(ing, f.name)) for f in fields(ing)}
    assert first is not second and first["functions"] is second["functions"]  # shared, built once
    first["kb_version"] = "added by a route"  # what the ingredient route does
    assert "kb_version" not in ing.to_dict()
