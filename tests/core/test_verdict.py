"""The verdict block and the ranking of functions: what a shopper reads first, and in what order.

Table-driven, nasty cases first: a half-read list must never earn a "free of" badge, a ban
must come before everything, a minor CosIng function must never be the headline chip.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest

from incilens.core.functions import rank_functions
from incilens.core.profile import Profile
from incilens.core.report import Counts, Reliability, Report
from incilens.core.report.verdict import build_verdict, flag_weight
from incilens.kb.knowledge import KnowledgeBase
from incilens.kb.matching import Matcher
from incilens.pipeline import analyze_text

BANNED = "Human Umbilical Mesenchymal Stem Cell Conditioned Media"


@pytest.fixture(scope="module")
def matcher(kb: KnowledgeBase) -> Matcher:
    return Matcher(kb)


def verdict(kb: KnowledgeBase, matcher: Matcher, text: str, **profile: Any) -> dict[str, Any]:
    report: Report = analyze_text(text, kb=kb, matcher=matcher, profile=Profile(**profile))
    body = report.to_dict()["summary"]["verdict"]
    assert body == report.summary.verdict  # the API sends what the report holds
    return dict(body)


def ids(entries: list[Mapping[str, Any]]) -> list[str]:
    return [str(e["id"]) for e in entries]


# text, profile, what must hold (a function of the verdict), why
CASES: list[tuple[str, dict[str, Any], Any, str]] = [
    (
        "Fragrance free. Ingredients: Aqua, Glycerin, Qwxzt Blorp, Zzkrr Mmph, Vvtrq, Plonk",
        {},
        lambda v: v["withheld"] and not v["free_of"] and not v["nothing_found"],
        "an unreliable read earns no 'free of' badge and no 'nothing found'",
    ),
    (
        "Ingredients: Aqua, Parfum, Qwxzt Blorp, Zzkrr Mmph, Vvtrq, Plonk Flib",
        {},
        lambda v: (
            v["withheld"]
            and ids(v["findings"]) == ["fragrance"]
            and "part that could be read" in v["headline"]
        ),
        "what an unreliable read did find is still said, and the headline says the rest is unread",
    ),
    (
        "Ingredients: Aqua, Qwxzt Blorp, Zzkrr Mmph",
        {},
        lambda v: v["headline"].startswith("No verdict: only 1 of 3"),
        "no finding in an unreliable read: no verdict, with the counts",
    ),
    (
        "Apply to clean skin every morning.",
        {},
        lambda v: v["findings"] == [] and "No ingredient list" in v["headline"],
        "no list, no verdict",
    ),
    (
        f"Ingredients: Aqua, Parfum, Retinol, {BANNED}",
        {"pregnant_or_breastfeeding": True},
        lambda v: (
            ids(v["findings"])[:2] == ["eu_prohibited", "pregnancy"]
            and v["findings"][0]["kind"] == "law"
            and v["headline"].startswith("Banned in EU cosmetics")
        ),
        "the law first, then the profile",
    ),
    (
        "Ingredients: Aqua, Retinol",
        {"pregnant_or_breastfeeding": True},
        lambda v: (
            "pregnancy_caution" not in ids(v["findings"])
            and "pregnancy_caution" not in v["other_flags"]
        ),
        "a flag the profile's finding already covers is not said twice",
    ),
    (
        "Ingredients: Aqua, Retinol",
        {},
        lambda v: ids(v["findings"]) == ["pregnancy_caution", "photosensitising"],
        "without a profile, pregnancy and sun cautions are still worth knowing",
    ),
    (
        "Paraben-free. Ingredients: Aqua, Methylparaben",
        {},
        lambda v: (
            v["findings"][0]["kind"] == "claim" and "Methylparaben" in v["findings"][0]["why"]
        ),
        "a contradicted claim comes before the rest",
    ),
    (
        "Ingredients: Aqua, Glycerin, Linalool, Limonene",
        {},
        lambda v: "fragrance" not in ids(v["free_of"]) and "fragrance" in v["other_flags"],
        "no 'Fragrance-free' badge when scented ingredients are listed",
    ),
    (
        "Ingredients: Aqua, Glycerin, Cetearyl Alcohol",
        {},
        lambda v: (
            {"fragrance", "paraben", "silicone"} <= set(ids(v["free_of"]))
            and {e["label"] for e in v["free_of"]} >= {"Fragrance-free", "Paraben-free"}
            and "eu_prohibited" in ids(v["nothing_found"])
            and v["headline"].startswith("Nothing here stands out")
        ),
        "a reliable, plain list: positive badges, and a headline that says nothing stands out",
    ),
    (
        "Ingredients: Aqua, Sodium Laureth Sulfate, Methylisothiazolinone",
        {},
        lambda v: (
            "eu_restricted" in v["other_flags"] and "eu_restricted" not in ids(v["nothing_found"])
        ),
        "a rinse-off-only preservative (Annex V) is never 'EU restricted: not found'",
    ),
    (
        "Ingredients: Aqua, Homosalate 9%, Phenoxyethanol 1.5 %",
        {},
        lambda v: (
            v["findings"][0]["id"] == "eu_above_limit"
            and v["findings"][0]["kind"] == "law"
            and "7,34 %" in v["findings"][0]["why"]
            and [i["name"] for i in v["findings"][0]["items"]] == ["Homosalate", "Phenoxyethanol"]
        ),
        "a printed amount above the EU maximum is the law's finding",
    ),
    (
        "Ingredients: Aqua, Homosalate 7%, Phenoxyethanol 1%, Glycerin 50%",
        {},
        lambda v: "eu_above_limit" not in ids(v["findings"]),
        "at or under the maximum, or no EU limit at all: nothing said",
    ),
    (
        "Ingredients: Aqua, Salicylic Acid 2.5%",
        {},
        lambda v: "eu_above_limit" not in ids(v["findings"]),
        "between limits that differ by product type: undecidable, nothing said, never a guess",
    ),
    (
        "Ingredients: Aqua, Salicylic Acid 3.5%",
        {},
        lambda v: ids(v["findings"])[0] == "eu_above_limit" and "3.0%" in v["findings"][0]["why"],
        "above the highest limit of every product type",
    ),
    (
        "Ingredients: Aqua, Glycerin, Squalane",
        {"vegan": True},
        lambda v: ids(v["findings"]) == ["vegan_depends"] and v["findings"][0]["severity"] == "low",
        "may be animal-derived is apart from not vegan, and weighs less",
    ),
]


@pytest.mark.parametrize(("text", "profile", "check", "why"), CASES, ids=[c[3] for c in CASES])
def test_verdict(
    kb: KnowledgeBase, matcher: Matcher, text: str, profile: dict[str, Any], check: Any, why: str
) -> None:
    v = verdict(kb, matcher, text, **profile)
    assert check(v), (why, v)


def test_flag_order_is_by_weight_with_the_ban_first(kb: KnowledgeBase, matcher: Matcher) -> None:
    text = "Ingredients: Aqua, Parfum, Dimethicone, Retinol, Glycerin"
    report = analyze_text(text, kb=kb, matcher=matcher)
    v = verdict(kb, matcher, text)
    order = v["flag_order"]
    assert order[0] == "eu_prohibited"
    assert sorted(order) == sorted(f["id"] for f in report.summary.flags)
    by_id = {f["id"]: f for f in report.summary.flags}
    weights = [flag_weight(by_id[f]) for f in order]
    assert weights == sorted(weights, reverse=True)
    assert order.index("vegan") > order.index("silicone")  # "depends" weighs least
    # Other flags follow the same order, and every finding names items with offsets.
    assert v["other_flags"] == [f for f in order if f in v["other_flags"]]
    for finding in v["findings"]:
        assert finding["items"] and {"position", "name", "start", "end"} <= set(finding["items"][0])
        assert finding["sources"]


def test_the_verdict_is_built_from_the_findings_alone() -> None:
    """Pure: given findings, no knowledge base needed; a withheld read drops every absence."""
    flags = [
        {"id": "paraben", "label": "Paraben", "status": "withheld", "items": [], "sources": []},
        {
            "id": "fragrance",
            "label": "Fragrance",
            "status": "present",
            "items": [{"position": 2, "name": "Parfum", "start": 5, "end": 11}],
            "sources": ["rule:fragrance"],
            "detail": "",
        },
    ]
    withheld = build_verdict(
        reliability=Reliability("unreliable", 0.3, "..."),
        counts=Counts(items=10, recognised=3, lists=1),
        for_you=[],
        flags=flags,
        claims=[],
    )
    assert withheld["free_of"] == [] and withheld["nothing_found"] == []
    assert ids(withheld["findings"]) == ["fragrance"]
    reliable = build_verdict(
        reliability=Reliability("good", 1.0, "..."),
        counts=Counts(items=10, recognised=10, lists=1),
        for_you=[],
        flags=[{**flags[0], "status": "absent"}, flags[1]],
        claims=[],
    )
    assert reliable["free_of"] == [{"id": "paraben", "label": "Paraben-free"}]
    assert reliable["headline"] == "Contains fragrance: Parfum."


FUNCTIONS: list[tuple[list[str], set[str], list[str], list[str], str]] = [
    (
        ["DENATURANT", "HAIR CONDITIONING", "HUMECTANT", "ORAL CARE", "PERFUMING", "SOLVENT"],
        set(),
        ["HUMECTANT", "HAIR CONDITIONING", "SOLVENT"],
        ["DENATURANT", "ORAL CARE", "PERFUMING"],
        "glycerin: humectant first, denaturant never the headline",
    ),
    (
        ["BUFFERING", "CHELATING", "FRAGRANCE"],
        {"aha", "preservative"},
        ["BUFFERING", "CHELATING"],
        ["FRAGRANCE"],
        "citric acid is not a fragrance",
    ),
    (
        ["FRAGRANCE", "PRESERVATIVE"],
        {"paraben", "preservative"},
        ["PRESERVATIVE"],
        ["FRAGRANCE"],
        "a paraben is a preservative",
    ),
    (
        ["ANTIOXIDANT", "FRAGRANCE", "SKIN CONDITIONING"],
        set(),
        ["ANTIOXIDANT", "SKIN CONDITIONING"],
        ["FRAGRANCE"],
        "tocopherol",
    ),
    (
        ["FRAGRANCE", "PERFUMING"],
        {"fragrance"},
        ["FRAGRANCE", "PERFUMING"],
        [],
        "parfum is a fragrance",
    ),
    (
        ["FRAGRANCE", "PERFUMING"],
        {"essential_oil"},
        ["FRAGRANCE", "PERFUMING"],
        [],
        "an essential oil is a scent",
    ),
    (["DENATURANT"], set(), ["DENATURANT"], [], "a minor function that is all there is stays"),
    ([], set(), [], [], "no function"),
    (["SOLVENT", "SOLVENT"], set(), ["SOLVENT"], [], "each once"),
]


@pytest.mark.parametrize(
    ("names", "flags", "main", "minor", "why"), FUNCTIONS, ids=[c[4] for c in FUNCTIONS]
)
def test_rank_functions(
    names: list[str], flags: set[str], main: list[str], minor: list[str], why: str
) -> None:
    assert rank_functions(names, flags) == (main, minor), why


def test_items_carry_their_ranked_uses(kb: KnowledgeBase, matcher: Matcher) -> None:
    report = analyze_text("Ingredients: Glycerin, Citric Acid, Xyzzy", kb=kb, matcher=matcher)
    uses = [item["uses"] for item in report.to_dict()["ingredients"]]
    assert uses[0] is not None and uses[0]["main"][0] == "HUMECTANT"
    assert "DENATURANT" in uses[0]["minor"]
    assert uses[1] is not None and "FRAGRANCE" not in uses[1]["main"]
    assert uses[2] is None  # unrecognised
    compact = report.to_dict(compact=True)["ingredients"]
    assert compact[0]["uses"] == uses[0]
