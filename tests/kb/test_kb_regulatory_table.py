"""The hand-checked regulatory facts of ``regulatory_facts.tsv``, checked against the built KB.

Every row names the annex row or source that proves it; the table starts with every case of
the December 2026 audit. The audit replay (``bench/kb_audit_replay.py``) and the build's
consistency checks are tested here too.
"""

from __future__ import annotations

import csv
import gzip
import json
import sys
from pathlib import Path
from typing import Any

import pytest

from incilens.kb.build import consistency_faults
from incilens.kb.build.annex import names_itself, split_known
from incilens.kb.knowledge import DEFAULT_KB_PATH, KnowledgeBase
from tests.conftest import SHARED_DATA, need

TABLE = Path(__file__).with_name("regulatory_facts.tsv")
#: The December 2026 expert audit, beside the shared datasets (outside evidence, not committed).
AUDIT = SHARED_DATA.parent / "audits" / "kb-audit-2026-12"


def _rows() -> list[dict[str, str]]:
    lines = [ln for ln in TABLE.read_text(encoding="utf-8").splitlines() if not ln.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t"))


FACTS = _rows()


def _eu_state(links: list[dict[str, Any]]) -> str:
    if not links:
        return "absent"
    if any(e["conditional"] for e in links):
        return "conditional"
    return {"II": "prohibited", "III": "restricted"}.get(links[0]["annex"], "allowed")


@pytest.mark.parametrize("fact", FACTS, ids=[f"{f['inci']}:{f['key']}" for f in FACTS])
def test_regulatory_fact(kb: KnowledgeBase, fact: dict[str, str]) -> None:
    ing = kb.lookup(fact["inci"])
    assert ing is not None, fact["inci"]
    assert ing.inci_name == fact["inci"], "a synonym answered, not the INCI name"
    if fact["kind"] == "eu":
        annex, ref = fact["key"].split("/")
        links = [e for e in ing.eu if e["annex"] == annex and e["ref"] == ref]
        assert _eu_state(links) == fact["value"], fact["proof"]
    elif fact["kind"] == "flag":
        present = any(f["id"] == fact["key"] for f in ing.flags)
        assert present == (fact["value"] == "yes"), fact["proof"]
    elif fact["kind"] == "vegan":
        assert ing.vegan["status"] == fact["value"], fact["proof"]
    elif fact["kind"] == "concern":
        assert ing.concern["level"] == fact["value"], fact["proof"]
    else:
        pytest.fail(f"unknown kind {fact['kind']!r}")


def test_the_table_has_no_duplicate_facts() -> None:
    keys = [(f["inci"], f["kind"], f["key"]) for f in FACTS]
    assert len(keys) == len(set(keys))
    assert all(f["proof"].strip() for f in FACTS)


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        # A chemical name written with commas is one name, not PHENOL plus pieces.
        ("Phenol, 2-methoxy- 4-(2-propenyl)-, acetate", []),
        ("PHENOL, BUTYL BENZOATE", ["PHENOL", "BUTYL BENZOATE"]),
        ("BUTYL BENZOATE,1,2-HEXANEDIOL", ["BUTYL BENZOATE", "1,2-HEXANEDIOL"]),
    ],
)
def test_commas_inside_chemical_names(cell: str, expected: list[str]) -> None:
    known = {"PHENOL": 1, "BUTYL BENZOATE": 2, "1,2-HEXANEDIOL": 3}
    assert split_known(cell, known) == expected


@pytest.mark.parametrize(
    ("chemical", "key", "expected"),
    [
        ("Colouring agent CI 61554 (Solvent Blue 35)", "SOLVENT BLUE 35", True),
        ("Octamethylcyclotetrasiloxane; D4", "CYCLOMETHICONE", False),
        ("Ergocalciferol (INN) and Cholecalciferol (vitamins D2 and D3)", "ERGOCALCIFEROL", True),
        # A name inside a longer word or a longer name is not the name.
        ("Hydroquinone dimethyl ether", "HYDROQUINONE DIMETHYL", False),
        ("3,3-Bis(4-hydroxyphenyl)phthalide", "PHTHALIDE", False),
    ],
)
def test_a_row_that_spells_out_the_name_is_the_substance_itself(
    chemical: str, key: str, expected: bool
) -> None:
    assert names_itself(chemical, key) is expected


def _records() -> list[dict[str, Any]]:
    with gzip.open(DEFAULT_KB_PATH, "rt", encoding="utf-8") as fh:
        next(fh)
        next(fh)
        return [json.loads(line) for line in fh]


def test_whole_kb_consistency_checks_are_zero() -> None:
    faults = consistency_faults(_records())
    assert {name: found[:5] for name, found in faults.items() if found} == {}


def test_consistency_checks_catch_what_they_look_for() -> None:
    bad = [
        {
            "id": "a",
            "inci_name": "A",
            "flags": [{"id": "eu_prohibited"}],
            "eu": [{"annex": "II", "conditional": True}],
            "same_as": ["b"],
            "summary": {"text": "x", "source": "curated"},
            "concern": {"level": "none"},
            "skin_types": {"not_ideal_for": ["fungal-acne"]},
        },
        {
            "id": "b",
            "inci_name": "B",
            "flags": [],
            "eu": [],
            "same_as": ["a"],
            "summary": {"text": "y", "source": "curated"},
            "concern": {"level": "low"},
            "skin_types": None,
        },
    ]
    faults = consistency_faults(bad)
    assert faults["prohibited_without_unconditional_row"] == ["A"]
    assert faults["twins_disagree"] == ["A / B"]
    assert faults["profile_contradicts_flag"] == ["A"]


def test_audit_replay_leaves_only_what_was_judged_differently() -> None:
    need(AUDIT.is_dir(), f"no audit verdict files at {AUDIT}")
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
    import kb_audit_replay as replay

    results = replay.replay(AUDIT, replay.load(DEFAULT_KB_PATH))
    assert results["missed fragrance allergens"][1] == 0
    assert results["annex verdicts: right links still present"][1] == 0
    assert results["annex verdicts: faulty links"][2] == [
        "PETROLEUM DISTILLATES II/763 (UNCERTAIN)"
    ]
    measures = replay.measures(replay.load(DEFAULT_KB_PATH))
    assert measures["EU prohibited chip without an unconditional Annex II link"] == 0
    assert measures["UV filter chip without an Annex VI link"] == 0


@pytest.mark.parametrize(
    ("searched", "inci"),
    [
        # Trade names and INN / Ph. Eur. names resolve to the INCI entry ...
        ("Lyral", "HYDROXYISOHEXYL 3-CYCLOHEXENE CARBOXALDEHYDE"),
        ("Lilial", "BUTYLPHENYL METHYLPROPIONAL"),
        ("Bronopol", "2-BROMO-2-NITROPROPANE-1,3-DIOL"),
        ("enzacamene", "4-METHYLBENZYLIDENE CAMPHOR"),
        ("glycerolum", "GLYCERIN"),
        ("Paraffinum perliquidum", "PARAFFINUM LIQUIDUM"),
        # ... but never shadow an INCI name: CosIng gives PARAFFINUM LIQUIDUM the INN "mineral
        # oil", which is MINERAL OIL's own INCI name.
        ("mineral oil", "MINERAL OIL"),
        ("Glycerol", "GLYCERIN"),
    ],
)
def test_names_people_search(kb: KnowledgeBase, searched: str, inci: str) -> None:
    ing = kb.lookup(searched)
    assert ing is not None and ing.inci_name == inci


@pytest.mark.parametrize(
    ("inci", "assessed"),
    [
        # No curated review: "none" from the rules is "not assessed", never a clean bill.
        ("POLYGLUTAMIC ACID", False),
        ("CALCIUM LACTATE", False),
        ("GLYCERIN", True),
        ("PHENOXYETHANOL", True),
    ],
)
def test_not_assessed_is_not_no_concern(kb: KnowledgeBase, inci: str, assessed: bool) -> None:
    ing = kb.lookup(inci)
    assert ing is not None
    assert ing.concern["assessed"] is assessed
    if not assessed and ing.concern["level"] == "none":
        assert ing.concern["reasons"][0]["text"].startswith("Not assessed")


@pytest.mark.parametrize(
    ("inci", "ref", "expected"),
    [
        # Linked by CAS number: the register files it under another spelling.
        ("ACETYLCEDRENE", "327", True),
        ("EBANOL", "339", True),
        # Linked by the row's chemical name ("Eucalyptus globulus oil").
        ("EUCALYPTUS GLOBULUS OIL", "355", True),
        ("TRIPHENYL PHOSPHATE", "1752", True),
        # A plant's water or powder shares the plant's CAS number but is not what the row covers.
        ("LAVANDULA ANGUSTIFOLIA FLOWER WATER", "360", False),
        ("MENTHA PIPERITA LEAF WATER", "361", False),
        # The price of that rule: a botanical row is never linked by CAS, so the acetylated
        # vetiver extract, filed as "Acetylated Vetiveria Zizanioides Root Extract", is missed.
        ("VETIVERIA ZIZANIOIDES ROOT EXTRACT ACETYLATED", "380", False),
    ],
)
def test_upcoming_deadlines_by_name_chemical_name_and_cas(
    kb: KnowledgeBase, inci: str, ref: str, expected: bool
) -> None:
    ing = kb.lookup(inci)
    assert ing is not None
    assert any(d["ref"] == ref for d in ing.eu_upcoming) is expected
