"""EU annex links, checked by hand against the 2026 annex exports."""

from __future__ import annotations

import pytest

from incilens.kb.build.annex import parse_restriction, split_known
from incilens.kb.knowledge import KnowledgeBase


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", []),
        ("see the annex", []),
        (
            "II/1388 (Only when Cyclomethicone contains D4)",
            [("II", "1388", "Only when Cyclomethicone contains D4")],
        ),
        (
            "IV 143 VI 27 VI 27a (nano)",
            [("IV", "143", ""), ("VI", "27", ""), ("VI", "27a", "nano")],
        ),
        ("Annex III/45", [("III", "45", "")]),
        ("III/62 V/12", [("III", "62", ""), ("V", "12", "")]),
    ],
)
def test_parse_restriction(text: str, expected: list[tuple[str, str, str]]) -> None:
    assert parse_restriction(text) == expected


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("", []),
        ("-", []),
        ("NOT A NAME", []),
        ("BUTYL BENZOATE,1,2-HEXANEDIOL", ["BUTYL BENZOATE", "1,2-HEXANEDIOL"]),
        (
            "CAPRYLIC/CAPRIC TRIGLYCERIDE / BUTYL BENZOATE",
            ["CAPRYLIC/CAPRIC TRIGLYCERIDE", "BUTYL BENZOATE"],
        ),
        ("CI 42053/ FAST GREEN FCF", ["CI 42053"]),
    ],
)
def test_split_known(cell: str, expected: list[str]) -> None:
    known = {
        "BUTYL BENZOATE": 1,
        "1,2-HEXANEDIOL": 2,
        "CAPRYLIC/CAPRIC TRIGLYCERIDE": 3,
        "CAPRYLIC": 4,
        "CI 42053": 5,
    }
    assert split_known(cell, known) == expected


def _eu(kb: KnowledgeBase, name: str) -> dict[tuple[str, str], bool]:
    ingredient = kb.lookup(name)
    assert ingredient is not None, name
    return {(e["annex"], e["ref"]): e["conditional"] for e in ingredient.eu}


# (INCI name, {(annex, ref): conditional}) — exact expected link sets.
HAND_CHECKED = [
    # The trap: a mixture that may contain D4 is not banned outright.
    ("CYCLOMETHICONE", {("II", "1388"): True}),
    ("CYCLOTETRASILOXANE", {("II", "1388"): False}),
    # Look-alikes that must stay unlinked.
    ("SILICA", {}),
    ("DIMETHICONE", {}),
    ("SODIUM LAURYL SULFATE", {}),
    ("GLYCERIN", {}),
    # Real links.
    ("METHYLPARABEN", {("V", "12"): False}),
    ("PHENOXYETHANOL", {("V", "29"): False}),
    ("SALICYLIC ACID", {("III", "98"): False, ("V", "3"): False}),
    # CI 77891 is TITANIUM DIOXIDE under its colour-index name: the inhalable-powder limit
    # (III/321) covers it too, the UV-filter rows do not.
    ("CI 77891", {("III", "321"): False, ("IV", "143"): False}),
    ("BUTYLPHENYL METHYLPROPIONAL", {("II", "1666"): False}),
    ("BENZOPHENONE-3", {("VI", "4"): False}),
    ("HYDROQUINONE", {("II", "1339"): True, ("III", "14"): False}),
    ("HUMAN UMBILICAL MESENCHYMAL STEM CELL CONDITIONED MEDIA", {("II", "416"): False}),
    ("DMDM HYDANTOIN", {("V", "33"): False}),
    ("LIMONENE", {("III", "88"): False}),
]


@pytest.mark.parametrize(("name", "expected"), HAND_CHECKED)
def test_hand_checked_links(
    kb: KnowledgeBase, name: str, expected: dict[tuple[str, str], bool]
) -> None:
    assert _eu(kb, name) == expected


def test_titanium_dioxide_is_a_uv_filter_but_its_ci_name_is_only_a_colorant(
    kb: KnowledgeBase,
) -> None:
    tio2 = _eu(kb, "TITANIUM DIOXIDE")
    assert ("VI", "27") in tio2 and ("IV", "143") in tio2
    assert all(annex != "VI" for annex, _ in _eu(kb, "CI 77891"))


def test_conditional_links_state_their_condition(kb: KnowledgeBase) -> None:
    cyclo = kb.lookup("CYCLOMETHICONE")
    assert cyclo is not None
    (link,) = cyclo.eu
    assert "D4" in link["condition"] or "Octamethylcyclotetrasiloxane" in link["condition"]
    assert cyclo.concern["level"] != "high"


def test_eu_entries_carry_conditions_and_source(kb: KnowledgeBase) -> None:
    salicylic = kb.lookup("SALICYLIC ACID")
    assert salicylic is not None
    restricted = next(e for e in salicylic.eu if e["annex"] == "III")
    assert restricted["max_concentration"] and restricted["source"] == "eu-annex-III/98"
    assert restricted["link_basis"] in {"annex-names-it", "cosing-restriction"}


def test_upcoming_deadlines(kb: KnowledgeBase) -> None:
    limonene = kb.lookup("LIMONENE")
    assert limonene is not None
    assert any(d["date"] == "2028-08-01" for d in limonene.eu_upcoming)


def test_fragrance_allergen_fix_for_the_nameless_entry(kb: KnowledgeBase) -> None:
    folione = kb.lookup("METHYL 2-OCTYNOATE")
    assert folione is not None
    flag = next(f for f in folione.flags if f["id"] == "fragrance_allergen")
    assert flag["source"] == "eu-annex-III/89"
    assert "0.001" in flag["reason"] and "0.01" in flag["reason"]
