"""Flags on the built knowledge base: look-alikes first, then the real members."""

from __future__ import annotations

import pytest

from incilens.kb.knowledge import KnowledgeBase

# (INCI name, flag that must NOT be raised, why it is a look-alike)
LOOK_ALIKES = [
    ("SILICA", "silicone", "silicon dioxide, a mineral, not a siloxane"),
    ("SODIUM SILICATE", "silicone", "an inorganic silicate"),
    ("HYDROLYZED SILK", "silicone", "silk protein"),
    ("MAGNESIUM SULFATE", "sulfate_surfactant", "Epsom salt"),
    ("ZINC SULFATE", "sulfate_surfactant", "an inorganic salt"),
    ("BEHENTRIMONIUM METHOSULFATE", "sulfate_surfactant", "a conditioning quat"),
    ("DISODIUM LAURETH SULFOSUCCINATE", "sulfate_surfactant", "a sulfosuccinate"),
    ("CETYL ALCOHOL", "drying_alcohol", "a fatty alcohol"),
    ("STEARYL ALCOHOL", "drying_alcohol", "a fatty alcohol"),
    ("CETEARYL ALCOHOL", "drying_alcohol", "a fatty alcohol"),
    ("BEHENYL ALCOHOL", "drying_alcohol", "a fatty alcohol"),
    ("BENZYL ALCOHOL", "drying_alcohol", "an aromatic preservative alcohol"),
    ("LANOLIN ALCOHOL", "drying_alcohol", "wool-wax alcohols"),
    ("CAPRYLIC/CAPRIC TRIGLYCERIDE", "fungal_acne_trigger", "C8/C10 chains"),
    ("SQUALANE", "fungal_acne_trigger", "a hydrocarbon, not a fatty acid"),
    ("CETYL ALCOHOL", "fungal_acne_trigger", "an alcohol, not an ester"),
    ("HELIANTHUS ANNUUS SEED OIL", "essential_oil", "a fixed oil"),
    ("GLYCERIN", "fragrance", "PERFUMING in CosIng does not make it a fragrance"),
    ("TOCOPHEROL", "fragrance", "PERFUMING in CosIng does not make it a fragrance"),
    ("SODIUM BENZOATE", "paraben", "a benzoate, not a paraben"),
    ("SODIUM HYALURONATE", "aha", "not an exfoliant"),
    ("SODIUM LACTATE", "aha", "a salt used as a humectant"),
]

MEMBERS = [
    ("DIMETHICONE", "silicone"),
    ("CYCLOPENTASILOXANE", "silicone"),
    ("AMODIMETHICONE", "silicone"),
    ("SODIUM LAURYL SULFATE", "sulfate_surfactant"),
    ("SODIUM LAURETH SULFATE", "sulfate_surfactant"),
    ("AMMONIUM LAURYL SULFATE", "sulfate_surfactant"),
    ("ALCOHOL DENAT.", "drying_alcohol"),
    ("ALCOHOL", "drying_alcohol"),
    ("ISOPROPYL ALCOHOL", "drying_alcohol"),
    ("CETEARYL ALCOHOL", "fatty_alcohol"),
    ("METHYLPARABEN", "paraben"),
    ("PROPYLPARABEN", "paraben"),
    ("DMDM HYDANTOIN", "formaldehyde_releaser"),
    ("IMIDAZOLIDINYL UREA", "formaldehyde_releaser"),
    ("DIAZOLIDINYL UREA", "formaldehyde_releaser"),
    ("QUATERNIUM-15", "formaldehyde_releaser"),
    ("PARFUM", "fragrance"),
    ("LIMONENE", "fragrance_allergen"),
    ("LINALOOL", "fragrance_allergen"),
    ("METHYL 2-OCTYNOATE", "fragrance_allergen"),
    ("LAVANDULA ANGUSTIFOLIA OIL", "essential_oil"),
    ("CITRUS AURANTIUM BERGAMIA PEEL OIL", "essential_oil"),
    ("PEG-40 HYDROGENATED CASTOR OIL", "peg"),
    ("LAURETH-4", "peg"),
    ("POLYSORBATE 20", "peg"),
    ("PARAFFINUM LIQUIDUM", "mineral_oil"),
    ("PETROLATUM", "mineral_oil"),
    ("BENZOPHENONE-3", "uv_filter"),
    ("BENZOPHENONE-3", "reef_concern"),
    ("ETHYLHEXYL METHOXYCINNAMATE", "reef_concern"),
    ("GLYCOLIC ACID", "aha"),
    ("SALICYLIC ACID", "bha"),
    ("RETINOL", "retinoid"),
    ("RETINYL PALMITATE", "retinoid"),
    ("POLYSORBATE 80", "fungal_acne_trigger"),
    ("ISOPROPYL MYRISTATE", "fungal_acne_trigger"),
    ("GLYCERYL STEARATE", "fungal_acne_trigger"),
    ("OLEA EUROPAEA FRUIT OIL", "fungal_acne_trigger"),
    ("LAURIC ACID", "fungal_acne_trigger"),
    ("LANOLIN", "animal_derived"),
    ("CERA ALBA", "animal_derived"),
    ("CI 75470", "animal_derived"),
    ("HUMAN UMBILICAL MESENCHYMAL STEM CELL CONDITIONED MEDIA", "human_derived"),
    ("CI 77891", "colorant"),
    ("PHENOXYETHANOL", "preservative"),
]


@pytest.mark.parametrize(("name", "flag", "why"), LOOK_ALIKES)
def test_look_alikes_are_not_flagged(kb: KnowledgeBase, name: str, flag: str, why: str) -> None:
    ingredient = kb.lookup(name)
    assert ingredient is not None, name
    assert flag not in ingredient.flag_ids, f"{name} is {why}"


@pytest.mark.parametrize(("name", "flag"), MEMBERS)
def test_members_are_flagged(kb: KnowledgeBase, name: str, flag: str) -> None:
    ingredient = kb.lookup(name)
    assert ingredient is not None, name
    assert flag in ingredient.flag_ids
    reason = next(f for f in ingredient.flags if f["id"] == flag)
    assert reason["reason"] and reason["source"]


@pytest.mark.parametrize(
    ("name", "status"),
    [
        ("GLYCERIN", "depends"),
        ("STEARIC ACID", "depends"),
        ("SQUALANE", "depends"),
        ("HUMAN UMBILICAL MESENCHYMAL STEM CELL CONDITIONED MEDIA", "not_vegan"),
        ("HUMAN AMNIOTIC MEMBRANE STEM CELL CONDITIONED MEDIA", "not_vegan"),
        ("ANEMARRHENA ASPHODELOIDES CALLUS CONDITIONED MEDIA EXTRACT", "vegan"),
        ("LANOLIN", "not_vegan"),
        ("CERA ALBA", "not_vegan"),
        ("MEL", "not_vegan"),
        ("CI 75470", "not_vegan"),
        ("ALOE BARBADENSIS LEAF JUICE", "vegan"),
        ("TITANIUM DIOXIDE", "vegan"),
        ("DIMETHICONE", "vegan"),
    ],
)
def test_vegan_status(kb: KnowledgeBase, name: str, status: str) -> None:
    ingredient = kb.lookup(name)
    assert ingredient is not None
    assert ingredient.vegan["status"] == status
    assert ingredient.vegan["reason"] and ingredient.vegan["source"]


def test_every_entry_has_an_origin_and_vegan_verdict(kb: KnowledgeBase) -> None:
    statuses = {ing.vegan["status"] for ing in kb}
    assert statuses <= {"vegan", "not_vegan", "depends", "unknown"}
