from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from incilens.core.profile import Profile
from incilens.core.report import Report
from incilens.kb.knowledge import KnowledgeBase
from incilens.kb.matching import Matcher
from incilens.pipeline import analyze_text


@pytest.fixture(scope="module")
def matcher(kb: KnowledgeBase) -> Matcher:
    return Matcher(kb)


@pytest.fixture()
def analyze(kb: KnowledgeBase, matcher: Matcher) -> Any:
    def run(text: str, **profile: Any) -> Report:
        return analyze_text(text, kb=kb, matcher=matcher, profile=Profile(**profile))

    return run


def flag(report: Report, flag_id: str) -> Mapping[str, Any]:
    found = report.summary.flag(flag_id)
    assert found is not None
    return found


def names(items: Iterable[Mapping[str, Any]]) -> list[str]:
    return [i["name"] for i in items]


# -- the reliability gate comes first ------------------------------------------------------------
def test_no_list(analyze: Any) -> None:
    report = analyze("Apply to clean skin every morning and evening for the best results.")
    body = report.to_dict()
    assert body["list_found"] is False
    assert body["ingredients"] == []
    assert body["summary"]["reliability"]["level"] == "none"


def test_an_unreliable_read_withholds_verdicts(analyze: Any) -> None:
    report = analyze(
        "Paraben-free. Ingredients: Aqua, Glycerin, Qwxzt Blorp, Zzkrr Mmph, Vvtrq, Plonk Flib"
    )
    summary = report.summary
    assert summary.counts.recognised == 2
    assert summary.reliability.level == "unreliable"
    assert summary.reliability.to_dict()["verdicts_withheld"] is True
    assert flag(report, "fragrance")["status"] == "withheld"
    assert flag(report, "vegan")["status"] == "withheld"
    assert summary.claims[0]["verdict"] == "unverifiable"
    assert names(summary.counts.unrecognised_items) == [
        "Qwxzt Blorp",
        "Zzkrr Mmph",
        "Vvtrq",
        "Plonk Flib",
    ]


def test_counts_come_before_any_verdict(analyze: Any) -> None:
    keys = list(analyze("Ingredients: Aqua, Glycerin").to_dict()["summary"])
    assert keys[:2] == ["counts", "reliability"]


# -- flags, with the items behind them and the look-alikes left out ------------------------------
def test_flags_name_their_items_and_sources(analyze: Any) -> None:
    report = analyze(
        "Ingredients: Aqua, Alcohol Denat., Cetyl Alcohol, Sodium Laureth Sulfate, "
        "Magnesium Sulfate, Dimethicone, Silica, Methylparaben, Sodium Benzoate, "
        "DMDM Hydantoin, Lavandula Angustifolia Oil, Simmondsia Chinensis Seed Oil, Parfum, "
        "Linalool"
    )
    expected = {
        "drying_alcohol": (["Alcohol Denat."], ["Cetyl Alcohol"]),
        "sulfate_surfactant": (["Sodium Laureth Sulfate"], ["Magnesium Sulfate"]),
        "silicone": (["Dimethicone"], ["Silica"]),
        "paraben": (["Methylparaben"], ["Sodium Benzoate"]),
        "formaldehyde_releaser": (["DMDM Hydantoin"], []),
        "essential_oil": (["Lavandula Angustifolia Oil"], ["Simmondsia Chinensis Seed Oil"]),
        "fragrance": (["Parfum"], None),
        "fragrance_allergen": (["Lavandula Angustifolia Oil", "Linalool"], None),
    }
    for flag_id, (present, look_alikes) in expected.items():
        found = flag(report, flag_id)
        assert found["status"] == "present", flag_id
        assert names(found["items"]) == present, flag_id
        assert all(i["source"] for i in found["items"]), flag_id
        if look_alikes is not None:
            assert names(found["not_counted"]) == look_alikes, flag_id
            assert all(i["why"] for i in found["not_counted"])


def test_fragrance_free_but_scented(analyze: Any) -> None:
    report = analyze("Ingredients: Aqua, Glycerin, Lavandula Angustifolia Oil, Linalool")
    fragrance = flag(report, "fragrance")
    assert fragrance["status"] == "absent"
    assert fragrance["label"] == "Fragrance-free"
    assert "Lavandula Angustifolia Oil" in fragrance["detail"]


def test_comedogenic_reports_the_highest_rating_and_which(analyze: Any) -> None:
    report = analyze("Ingredients: Aqua, Isopropyl Myristate, Glycerin, Squalane")
    comedogenic = flag(report, "comedogenic")
    assert comedogenic["highest"] == 5
    assert names(comedogenic["items"]) == ["Isopropyl Myristate"]
    assert "Isopropyl Myristate" in comedogenic["detail"]


def test_vegan(analyze: Any) -> None:
    assert flag(analyze("Ingredients: Aqua, Lanolin, Niacinamide"), "vegan")["status"] == (
        "not_vegan"
    )
    assert flag(analyze("Ingredients: Aqua, Niacinamide, Glycerin"), "vegan")["status"] == (
        "depends"
    )
    assert flag(analyze("Ingredients: Aqua, Niacinamide"), "vegan")["status"] == "vegan"


def test_pregnancy_and_sun(analyze: Any) -> None:
    report = analyze("Ingredients: Aqua, Retinol, Glycerin")
    assert names(flag(report, "pregnancy_caution")["items"]) == ["Retinol"]
    assert names(flag(report, "photosensitising")["items"]) == ["Retinol"]


def test_eu_status_with_conditions(analyze: Any) -> None:
    report = analyze(
        "Ingredients: Aqua, Retinol, Human Umbilical Mesenchymal Stem Cell Conditioned Media"
    )
    restricted = flag(report, "eu_restricted")["items"]
    assert restricted[0]["name"] == "Retinol"
    assert restricted[0]["annex"] == "III"
    assert "RE" in restricted[0]["max_concentration"]
    prohibited = flag(report, "eu_prohibited")["items"]
    assert prohibited[0]["annex"] == "II"
    assert prohibited[0]["source"].startswith("eu-annex-II/")


def test_conditional_bans_are_restricted_under_conditions_not_prohibited(analyze: Any) -> None:
    # Lemon oil falls under the furocoumarin row (Annex II 358) only beyond "normal content in
    # natural essences"; petrolatum only without a known refining history (Annex II 904).
    report = analyze("Ingredients: Citrus Limon Peel Oil, Petrolatum, Aqua")
    assert flag(report, "eu_prohibited")["status"] == "absent"
    conditional = flag(report, "eu_conditional")
    assert conditional["status"] == "present"
    assert names(conditional["items"]) == ["Citrus Limon Peel Oil", "Petrolatum"]
    assert "natural essences" in conditional["items"][0]["condition"]
    not_counted = flag(report, "eu_prohibited")["not_counted"]
    assert all(i["why"].startswith("restricted under conditions") for i in not_counted)


# -- items -------------------------------------------------------------------------------------
def test_items_carry_offsets_match_record_and_concern(analyze: Any) -> None:
    text = "Ingredients: Aqua, Glycerln, Xyzzy, Parfum"
    body = analyze(text).to_dict()
    aqua, glycerin, xyzzy, parfum = body["ingredients"]
    for item in body["ingredients"]:
        assert text[item["start"] : item["end"]] == item["text"]
    assert aqua["match"] == {
        "inci_name": "AQUA",
        "id": "aqua",
        "score": 100.0,
        "method": "exact",
        "matched_name": "AQUA",
        "read_as": "Aqua",
    }
    assert glycerin["match"]["method"] == "ocr"
    assert glycerin["match"]["note"] == "read as 'Glycerln', matched 'GLYCERIN'"
    assert glycerin["ingredient"]["inci_name"] == "GLYCERIN"
    assert xyzzy["match"] is None and xyzzy["ingredient"] is None
    assert xyzzy["concern"] == "unknown"
    assert parfum["concern"] in ("low", "moderate", "high")
    assert parfum["reasons"] and all(r["source"] for r in parfum["reasons"])


def test_position_notes(analyze: Any) -> None:
    report = analyze("Ingredients: Aqua, Niacinamide, Glycerin, Phenoxyethanol, Retinol")
    notes = {i.name: [n["text"] for n in i.notes] for i in report.items}
    assert any("first five" in n for n in notes["Niacinamide"])
    assert any("after the preservative Phenoxyethanol" in n for n in notes["Retinol"])
    actives = {a["name"]: a for a in report.summary.notable_actives}
    assert set(actives) == {"Niacinamide", "Retinol"}
    assert actives["Retinol"]["what"] and actives["Retinol"]["source"]


# -- claims ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "verdict", "breaking"),
    [
        (
            "Paraben-free. Ingredients: Aqua, Glycerin, Methylparaben",
            "contradicted",
            ["Methylparaben"],
        ),
        ("Silicone free! Ingredients: Aqua, Glycerin, Silica", "consistent", []),
        ("Sans parfum. Ingrédients : Aqua, Glycerin, Parfum", "contradicted", ["Parfum"]),
        (
            "Fragrance free. Ingredients: Aqua, Glycerin, Lavandula Angustifolia Oil",
            "questionable",
            [],
        ),
        ("Vegan. Ingredients: Aqua, Glycerin, Cera Alba", "contradicted", ["Cera Alba"]),
        ("Alcohol free. Ingredients: Aqua, Cetearyl Alcohol", "consistent", []),
    ],
)
def test_claims_checked_against_the_list(
    analyze: Any, text: str, verdict: str, breaking: list[str]
) -> None:
    (claim,) = analyze(text).summary.claims
    assert claim["verdict"] == verdict
    assert names(claim["items"]) == breaking


# -- the profile -------------------------------------------------------------------------------
def test_profile_puts_what_matters_first(analyze: Any) -> None:
    report = analyze(
        "Ingredients: Aqua, Isopropyl Myristate, Lanolin, Retinol, Tocopherol, Propylparaben, "
        "Parfum",
        skin_type="sensitive",
        concerns=("acne",),
        avoid=("Parabens", "vitamin e", "unobtainium"),
        vegan=True,
        pregnant_or_breastfeeding=True,
    )
    found = {(f["id"], f["title"]): names(f["items"]) for f in report.summary.for_you}
    assert found[("avoid", "On your avoid list: Parabens")] == ["Propylparaben"]
    assert found[("avoid", "On your avoid list: vitamin e")] == ["Tocopherol"]
    assert found[("pregnancy", "Pregnancy and breastfeeding")] == ["Retinol"]
    assert found[("vegan", "Not vegan")] == ["Lanolin"]
    assert "Isopropyl Myristate" in found[("comedogenic", "May clog pores")]
    assert "Parfum" in found[("irritants", "Common irritants for reactive skin")]
    unknown = next(f for f in report.summary.for_you if f["id"] == "avoid_unknown")
    assert "unobtainium" in unknown["why"]
    assert all(f["why"] for f in report.summary.for_you)


def test_no_profile_means_nothing_personal(analyze: Any) -> None:
    assert analyze("Ingredients: Aqua, Retinol").summary.for_you == ()


def test_fungal_acne(analyze: Any) -> None:
    report = analyze("Ingredients: Aqua, Isopropyl Myristate, Glycerin", concerns=("fungal_acne",))
    fungal = next(f for f in report.summary.for_you if f["id"] == "fungal_acne")
    assert names(fungal["items"]) == ["Isopropyl Myristate"]


def test_report_shape_and_versions(analyze: Any, kb: KnowledgeBase) -> None:
    body = analyze("Ingredients: Aqua, Glycerin").to_dict()
    assert set(body) >= {"list_found", "ingredients", "summary", "versions"}
    assert body["versions"]["kb"] == kb.version
    assert set(body["versions"]) == {"incilens", "kb", "parser", "matcher", "report"}


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "Aqua",
                "Glycerln",
                "Parfum",
                "Xyzzy",
                "Retinol",
                "Lanolin",
                ", ",
                "\n",
                "(",
                ")",
                "Ingredients: ",
                "Paraben-free. ",
                "[+/- ",
                "CI 77891",
                "Alcohol Denat.",
                "*",
                "5%",
            ]
        ),
        max_size=30,
    ).map("".join)
)
def test_analysis_never_raises_and_is_deterministic(
    kb: KnowledgeBase, matcher: Matcher, text: str
) -> None:
    profile = Profile(skin_type="oily", concerns=("acne",), avoid=("parfum",), vegan=True)
    first = analyze_text(text, kb=kb, matcher=matcher, profile=profile).to_dict()
    assert analyze_text(text, kb=kb, matcher=matcher, profile=profile).to_dict() == first
    for item in first["ingredients"]:
        assert 0 <= item["start"] < item["end"] <= len(text)
        assert text[item["start"] : item["end"]] == item["text"]
