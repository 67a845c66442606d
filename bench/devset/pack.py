"""Whole-pack text for the development set: an ingredient list among everything else on a box.

Used by build_text_devset.py; deterministic for a given ``random.Random``. The templates are ours
and cover what surrounds a list on real packs: product name and brand, claims, a sentence of
marketing that names ingredients (which must not count as the list), directions, warnings, the
country of manufacture, a company address with postcode, batch and expiry codes, net content,
and the list header in several languages and forms. Sometimes the list starts on the next line,
sometimes a "may contain" colourant block follows it, sometimes prose runs on the same line.
"""

from __future__ import annotations

import random

HEADERS = [
    "Ingredients:",
    "INGREDIENTS:",
    "INGREDIENTS/INGRÉDIENTS:",
    "Ingrédients :",
    "Zutaten:",
    "Inhaltsstoffe:",
    "Ingredientes:",
    "Ingredienti:",
    "Ingrediënten:",
    "INCI:",
    "Composition:",
]
CLAIMS = [
    "Dermatologically tested",
    "Paraben free",
    "With hyaluronic acid",
    "Vegan",
    "Fragrance free",
    "Non-comedogenic",
    "Suitable for sensitive skin",
    "Cruelty free",
    "Ophthalmologically tested",
    "Sans parabènes",
    "Dermatologisch getestet",
    "With vitamin C",
    "Enriched with shea butter",
    "97% ingredients of natural origin",
]
PROSE = [
    "A lightweight daily cream with hyaluronic acid and vitamin E that keeps skin comfortable.",
    "Formulated without parabens, sulfates, mineral oil or silicones.",
    "Enriched with shea butter, squalane and niacinamide for soft, supple skin.",
    "Our gentle formula with aloe vera and chamomile soothes the skin.",
    "Contains 2% salicylic acid to help clear pores.",
    "Glycerin and panthenol help the skin hold its moisture for up to 24 hours.",
    "Une texture fondante à l'huile d'argan et au beurre de karité.",
    "Mit Hyaluronsäure und Vitamin E für ein glattes Hautgefühl.",
    "Retinol and peptides visibly smooth fine lines overnight.",
    "Free from alcohol, fragrance and essential oils.",
]
DIRECTIONS = [
    "How to use: apply morning and evening to clean skin, avoiding the eye area.",
    "Directions: massage onto damp skin, then rinse thoroughly with water.",
    "Mode d'emploi : appliquer matin et soir sur une peau propre et sèche.",
    "Anwendung: morgens und abends auf die gereinigte Haut auftragen.",
    "Modo de empleo: aplicar sobre el rostro limpio con un suave masaje.",
    "Apply a thin layer 15 minutes before sun exposure and reapply every two hours.",
]
WARNINGS = [
    "For external use only. Avoid contact with eyes.",
    "Keep out of reach of children.",
    "Discontinue use if irritation occurs. If contact with eyes occurs, rinse with water.",
    "Précautions d'emploi : éviter le contour des yeux. Ne pas avaler.",
    "Warning: do not use on broken skin.",
]
MADE_IN = [
    "Made in France",
    "Fabriqué en Italie",
    "Made in Korea",
    "Hergestellt in Deutschland",
    "Made in USA",
    "Fabricado en España",
]
ADDRESSES = [
    "Laboratoires Bellerive, 12 rue des Tanneurs, 69002 Lyon, France",
    "Cosmetica Verde S.r.l., Via Roma 14, 20121 Milano (MI), Italia",
    "Nordlicht Kosmetik GmbH, Hafenstraße 8, 20457 Hamburg, Deutschland",
    "Lumen Labs Inc., 410 Market St, San Francisco, CA 94111, USA",
    "Distributed by Clearwater Beauty Ltd, 5 Mill Lane, Leeds LS1 4AB, UK",
    "Seoul Skin Co., 21 Teheran-ro, Gangnam-gu, Seoul 06142, Korea",
]
NET = ["50 ml e 1.7 fl oz", "30 mL ℮ 1 FL. OZ.", "Net wt. 50 g / 1.76 oz", "150 ml ℮ 5.07 fl.oz."]
COLOURANTS = ["CI 77891", "CI 77491", "CI 77492", "CI 77499", "CI 77007", "CI 15850", "CI 19140"]
KIT_PARTS = ["Cleanser", "Toner", "Serum", "Day Cream", "Night Cream", "Eye Cream", "Mask"]
NO_LIST_NAMES = [
    ("Maison Clairène", "Crème Douceur Visage"),
    ("Verdelia", "Hydra Balance Gel"),
    ("Nordlicht", "Sanfte Reinigungsmilch"),
    ("Aurelia Skin", "Overnight Repair Serum"),
    ("Lumen Labs", "Daily Defence SPF 30"),
]


def _lot(rng: random.Random) -> str:
    code = f"{rng.randint(1, 9)}{rng.choice('ABCDEFGHK')}{rng.randint(100, 999)}"
    expiry = f"{rng.randint(1, 12):02d}/{rng.randint(2025, 2028)}"
    forms = [f"LOT {code}", f"Batch: {code}  EXP {expiry}", f"L.{code} / Use by {expiry}"]
    return rng.choice(forms) + rng.choice(["", "  PAO 12M", " ⓘ 6M"])


def _surroundings(rng: random.Random) -> tuple[list[str], list[str]]:
    """Return the blocks that go before and after the list."""
    claims = rng.sample(CLAIMS, rng.randint(2, 4))
    before = [rng.choice([" • ", "\n", " - "]).join(claims)]
    if rng.random() < 0.6:
        before.append(rng.choice(PROSE))
    after = [rng.choice(WARNINGS), rng.choice(ADDRESSES), rng.choice(MADE_IN), _lot(rng)]
    (before if rng.random() < 0.5 else after).append(rng.choice(DIRECTIONS))
    (before if rng.random() < 0.3 else after).append(rng.choice(NET))
    rng.shuffle(after)
    return before, after


def _list_block(items: list[str], rng: random.Random) -> tuple[str, list[str]]:
    """Return a header, the list and perhaps a colourant block, and the colourants it names."""
    body = rng.choice([", ", ", ", ", ", ","]).join(items) + rng.choice([".", ".", ""])
    block = rng.choice(HEADERS) + rng.choice([" ", " ", "\n"]) + body
    colourants: list[str] = []
    if rng.random() < 0.2:
        colourants = rng.sample(COLOURANTS, rng.randint(1, 3))
        named = ", ".join(colourants)
        form = rng.choice([f"[+/- May contain: {named}]", f"May contain (+/-): {named}."])
        block += rng.choice([" ", "\n"]) + form
    return block, colourants


def _join(blocks: list[str], rng: random.Random) -> str:
    out = blocks[0]
    for block in blocks[1:]:
        out += rng.choice(["\n", "\n", "\n\n", " "]) + block
    return out


def pack_text(brand: str, name: str, items: list[str], rng: random.Random) -> tuple[str, list[str]]:
    """Return the text of a pack around one list, and the colourants its "may contain" names."""
    before, after = _surroundings(rng)
    block, colourants = _list_block(items, rng)
    title = rng.choice([f"{brand}\n{name}", f"{name.upper()}\n{brand}", f"{brand} {name}"])
    return _join([title, *before, block, *after], rng), colourants


def kit_text(brand: str, lists: list[list[str]], rng: random.Random) -> str:
    """Return the text of a kit box with one list per product (colourant blocks left out)."""
    parts = rng.sample(KIT_PARTS, len(lists))
    header = rng.choice(HEADERS)
    listed = [
        f"{part} — {header} {', '.join(items)}." for part, items in zip(parts, lists, strict=True)
    ]
    before, after = _surroundings(rng)
    title = f"{brand} {rng.choice(['Discovery Kit', 'Travel Set', 'Routine Duo'])}"
    return _join([title, *before, rng.choice(["\n", " / "]).join(listed), *after], rng)


def no_list_text(rng: random.Random) -> str:
    """Return pack text with no ingredient list (prose may still name ingredients)."""
    brand, name = rng.choice(NO_LIST_NAMES)
    before, after = _surroundings(rng)
    if rng.random() < 0.3:
        after.append("For the list of ingredients, see the outer packaging.")
    return _join([f"{brand}\n{name}", *before, rng.choice(PROSE), *after], rng)
