from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from incilens.core.parsing import fold, parse


def names(text: str) -> list[str]:
    return [t.clean for t in parse(text).tokens]


# -- no list --------------------------------------------------------------------------------
NO_LIST = [
    "",
    "   \n\t  ",
    "!!!???",
    "Apply a small amount to clean skin morning and evening. Avoid contact with eyes.",
    "Made in France. Lot 2231B. EXP 12/2027. 50 ml e 1.7 fl oz",
    "This gentle cream is made for the most sensitive skin and it is loved by our customers.",
    "\u202eمرحبا بالعالم\u202c 🧴🧴🧴",
    "((((((((((((((((((((((((",
]


@pytest.mark.parametrize("text", NO_LIST)
def test_no_list_is_reported_as_none(text: str) -> None:
    parsed = parse(text)
    assert not parsed.list_found
    assert parsed.tokens == ()


# -- headers --------------------------------------------------------------------------------
HEADERS = [
    ("Ingredients: Aqua, Glycerin", "Ingredients:"),
    ("INGREDIENTS/INGRÉDIENTS: Aqua, Glycerin", "INGREDIENTS/INGRÉDIENTS:"),
    ("Ingredients / Ingrédients / Ingredientes: Aqua, Glycerin", None),
    ("Ingrédients : Aqua, Glycerin", "Ingrédients :"),
    ("Zutaten: Aqua, Glycerin", "Zutaten:"),
    ("Inhaltsstoffe: Aqua, Glycerin", "Inhaltsstoffe:"),
    ("Ingredientes: Aqua, Glycerin", "Ingredientes:"),
    ("Ingredienti: Aqua, Glycerin", "Ingredienti:"),
    ("Composição: Aqua, Glycerin", "Composição:"),
    ("Ingrediënten: Aqua, Glycerin", "Ingrediënten:"),
    ("Samenstelling: Aqua, Glycerin", "Samenstelling:"),
    ("INCI: Aqua, Glycerin", "INCI:"),
    ("Composition: Aqua, Glycerin", "Composition:"),
    ("Full Ingredient List: Aqua, Glycerin", "Full Ingredient List:"),
    ("Inactive Ingredients: Aqua, Glycerin", "Inactive Ingredients:"),
    ("lngredlents: Aqua, Glycerin", "lngredlents:"),  # OCR: l for I and i
    ("INGRED1ENTS: Aqua, Glycerin", "INGRED1ENTS:"),
    ("Ingredients (INCI): Aqua, Glycerin", "Ingredients (INCI):"),
    ("INGREDIENTS\nAqua, Glycerin", "INGREDIENTS"),
    ("Ingredients - Aqua, Glycerin", "Ingredients -"),
    ("Division: El (Estee Lauder)Ingredients: Aqua, Glycerin", "Ingredients:"),
]


@pytest.mark.parametrize(("text", "header"), HEADERS)
def test_headers_in_seven_languages(text: str, header: str | None) -> None:
    parsed = parse(text)
    assert [t.clean for t in parsed.tokens] == ["Aqua", "Glycerin"]
    lst = parsed.lists[0]
    assert lst.found_by == "header"
    if header is not None:
        assert lst.header == header
    assert text[lst.start : lst.end] == "Aqua, Glycerin"


@pytest.mark.parametrize(
    "text",
    [
        "Our key ingredients: niacinamide calms the skin and keeps it smooth.",
        "We chose the ingredients: carefully and with love for your skin.",
    ],
)
def test_prose_about_ingredients_is_not_a_header(text: str) -> None:
    assert all(lst.found_by != "header" for lst in parse(text).lists)


# -- where a list ends ----------------------------------------------------------------------
ENDS = [
    "Ingredients: Aqua, Glycerin. Directions: apply daily.",
    "Ingredients: Aqua, Glycerin\nHow to use: massage in.",
    "Ingredients: Aqua, Glycerin. Warning: for external use only.",
    "Ingredients: Aqua, Glycerin. Made in France.",
    "Ingredients: Aqua, Glycerin\nManufactured by Example Ltd, 1 High Street, London",
    "Ingredients: Aqua, Glycerin. LOT 22B41 EXP 03/2027",
    "Ingredients: Aqua, Glycerin. Dermatologically tested.",
    "Ingredients: Aqua, Glycerin. Paraben free. Vegan.",
    "Ingredients: Aqua, Glycerin. 50 ml e",
    "Ingredients: Aqua, Glycerin.\n\nSHEA BODY CREAM",
    "Ingredients: Aqua, Glycerin. This cream is loved by all of our customers for its feel.",
    "Zutaten: Aqua, Glycerin. Hergestellt in Deutschland.",
    "Ingrédients : Aqua, Glycerin. Mode d'emploi : appliquer.",
    "Ingredientes: Aqua, Glycerin. Modo de empleo: aplicar.",
    "Ingredienti: Aqua, Glycerin. Modo d'uso: applicare.",
    "Ingrediënten: Aqua, Glycerin. Gebruik: aanbrengen.",
    "Ingredients: Aqua, Glycerin. Please be aware that ingredient lists may change.",
]


@pytest.mark.parametrize("text", ENDS)
def test_the_list_ends_where_the_list_ends(text: str) -> None:
    assert names(text) == ["Aqua", "Glycerin"]


# -- colourant blocks, kits, bare lists --------------------------------------------------------
def test_may_contain_block_is_its_own_list() -> None:
    text = "Ingredients: Talc, Mica, Parfum [+/- CI 77891, CI 77491]. Made in Italy."
    parsed = parse(text)
    assert names(text) == ["Talc", "Mica", "Parfum", "CI 77891", "CI 77491"]
    assert [lst.may_contain for lst in parsed.lists] == [False, True]
    assert [t.list_index for t in parsed.tokens] == [0, 0, 0, 1, 1]


@pytest.mark.parametrize(
    "text",
    [
        "Ingredients: Talc, Mica. May contain: CI 77891, CI 77491.",
        "Ingredients: Talc, Mica. May contain (+/-): CI 77891, CI 77491.",
        "Ingredients: Talc, Mica +/- CI 77891, CI 77491",
        "Ingredients: Talc, Mica. Peut contenir : CI 77891, CI 77491",
        "Talc, Mica [+/- CI 77891, CI 77491]",
    ],
)
def test_may_contain_forms(text: str) -> None:
    parsed = parse(text)
    assert names(text) == ["Talc", "Mica", "CI 77891", "CI 77491"]
    assert parsed.lists[-1].may_contain


def test_a_kit_has_one_list_per_product_with_its_label() -> None:
    text = "Cleanser - Ingredients: Aqua, Glycerin. Toner - Ingredients: Aqua, Alcohol Denat."
    parsed = parse(text)
    assert [(lst.label, text[lst.start : lst.end]) for lst in parsed.lists] == [
        ("Cleanser", "Aqua, Glycerin"),
        ("Toner", "Aqua, Alcohol Denat"),
    ]


def test_labelled_sub_lists_without_headers() -> None:
    parsed = parse("Lip Gloss: Polybutene, Mica, Silica. Eye Shadow: Talc, Mica, CI 77491")
    assert [lst.label for lst in parsed.lists] == ["Lip Gloss", "Eye Shadow"]
    assert [t.list_index for t in parsed.tokens] == [0, 0, 0, 1, 1, 1]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Water, Glycerin, Dimethicone", ["Water", "Glycerin", "Dimethicone"]),
        ("Niacinamide", ["Niacinamide"]),
        ("aqua\nglycerin\nniacinamide\n", ["aqua", "glycerin", "niacinamide"]),
        (
            "-Hyaluronic Acid: Moisturizes the skin and gives it a plump look.\n\n"
            "Water, Glycerin, Sodium Hyaluronate, Phenoxyethanol",
            ["Water", "Glycerin", "Sodium Hyaluronate", "Phenoxyethanol"],
        ),
    ],
)
def test_bare_lists(text: str, expected: list[str]) -> None:
    parsed = parse(text)
    assert names(text) == expected
    assert parsed.lists[-1].found_by == "bare"


# -- splitting ------------------------------------------------------------------------------
SPLITS = [
    ("Ingredients: 1,2-Hexanediol, Aqua", ["1,2-Hexanediol", "Aqua"]),
    ("Ingredients: Caprylic/Capric Triglyceride, Aqua", ["Caprylic/Capric Triglyceride", "Aqua"]),
    ("Ingredients: Styrene/Acrylates Copolymer, Aqua", ["Styrene/Acrylates Copolymer", "Aqua"]),
    (
        "Ingredients: (Arctium Lappa/Bardane) Seed Oil, Aqua",
        ["(Arctium Lappa/Bardane) Seed Oil", "Aqua"],
    ),
    ("Ingredients: Aqua (Water, Eau), Glycerin", ["Aqua (Water, Eau)", "Glycerin"]),
    ("Ingredients: Water\\Aqua\\Eau, Glycerin", ["Water\\Aqua\\Eau", "Glycerin"]),
    ("Ingredients: Niacinamide 10%, Zinc PCA (1 %)", ["Niacinamide", "Zinc PCA"]),
    (
        "Ingredients: Aloe Barbadensis Leaf Juice*, Aqua. *organic",
        ["Aloe Barbadensis Leaf Juice", "Aqua"],
    ),
    ("Ingredients: Aqua; Glycerin; Parfum", ["Aqua", "Glycerin", "Parfum"]),
    ("Ingredients: Aqua • Glycerin • Parfum", ["Aqua", "Glycerin", "Parfum"]),
    ("Ingredients:\n- Aqua\n- Glycerin\n- Parfum", ["Aqua", "Glycerin", "Parfum"]),
    ("Ingredients:\n1. Aqua\n2. Glycerin", ["Aqua", "Glycerin"]),
    ("Ingredients: Aqua, Glycerin and Parfum", ["Aqua", "Glycerin and Parfum"]),
    ("Ingredients: Aqua, Glyc-\nerin, Parfum", ["Aqua", "Glycerin", "Parfum"]),
    (
        "INGREDIENTS: AQUA, PEG-\n40 HYDROGENATED CASTOR OIL",
        ["AQUA", "PEG-40 HYDROGENATED CASTOR OIL"],
    ),
    (
        "Ingredients: Aqua, Caprylic/Capric\nTriglyceride, Glycerin",
        ["Aqua", "Caprylic/Capric Triglyceride", "Glycerin"],
    ),
    ("Ingredients: Titanium Dioxide (nano), Aqua", ["Titanium Dioxide", "Aqua"]),
    ("Ingredients: Aqua, Alcohol Denat., Glycerin.", ["Aqua", "Alcohol Denat", "Glycerin"]),
    ("Ingredients: Aqua , Glycerin , Parfum", ["Aqua", "Glycerin", "Parfum"]),
    ("Ingredients: Aqua,,, Glycerin", ["Aqua", "Glycerin"]),
    ("Ingredients: Aqua, (Glycerin, Parfum", ["Aqua", "Glycerin", "Parfum"]),  # unbalanced
    ("Ingredients: Aqua, Glycerin), Parfum", ["Aqua", "Glycerin", "Parfum"]),
]


@pytest.mark.parametrize(("text", "expected"), SPLITS)
def test_splitting(text: str, expected: list[str]) -> None:
    assert names(text) == expected


def test_percentages_nano_and_footnotes_are_kept_as_annotations() -> None:
    parsed = parse(
        "Ingredients: Niacinamide 10%, Zinc Oxide (nano), Aloe Leaf Juice*. *Certified organic"
    )
    niacinamide, zinc, aloe = parsed.tokens
    assert niacinamide.percent == "10%"
    assert zinc.nano
    assert aloe.footnote == "Certified organic"


@pytest.mark.parametrize(
    ("text", "expected", "legend"),
    [
        # the comma before the legend lost, and the legend running on into a notice
        (
            "Ingredients: Aqua, Phenoxyethanol * Essential Oil Please be aware that lists vary.",
            ["Aqua", "Phenoxyethanol"],
            "Essential Oil",
        ),
        ("INGREDIENTS: AQUA, PARFUM ** ORGANIC", ["AQUA", "PARFUM"], "ORGANIC"),
        # a mark with nothing after it is only a mark; the list goes on
        ("Ingredients: Rosa Water *, Glycerin", ["Rosa Water", "Glycerin"], None),
    ],
)
def test_a_legend_on_the_last_items_line(
    text: str, expected: list[str], legend: str | None
) -> None:
    parsed = parse(text)
    assert names(text) == expected
    assert dict(parsed.lists[0].footnotes).get("*") == legend
    if legend:
        assert parsed.tokens[-1].footnote == legend


def test_offsets_point_at_the_name_as_printed() -> None:
    text = "INGREDIENTS: AQUA (WATER), GLYC-\nERIN, NIACINAMIDE 5%, PARFUM*."
    for token in parse(text).tokens:
        assert text[token.start : token.end] == token.text
        assert token.text.replace("-\n", "").startswith(token.clean.replace(" ", "")[:4])
    token = parse(text).tokens[1]
    assert token.text == "GLYC-\nERIN"
    assert token.span(0, len(token.clean)) == (token.start, token.end)


def test_fold_keeps_length() -> None:
    assert len(fold("İngrédients")) == len("İngrédients")


# -- properties -----------------------------------------------------------------------------
list_text = st.lists(
    st.one_of(
        st.sampled_from(
            [
                "Aqua",
                "Glycerin",
                "1,2-Hexanediol",
                "(",
                ")",
                "[+/-",
                "]",
                ",",
                ";",
                "\n",
                "-\n",
                "Ingredients:",
                "May contain:",
                "*",
                "10%",
                " and ",
                "Made in France.",
                "Zutaten:",
                "•",
                "\u202e",
                "🧴",
                "\\",
                "/",
                ".",
                " ",
                "\r\n",
                ":",
                "(nano)",
                "Cl 77891",
            ]
        ),
        st.text(max_size=8),
    ),
    max_size=40,
).map("".join)


@settings(max_examples=300, deadline=None)
@given(list_text)
def test_parse_never_raises_and_offsets_stay_in_the_text(text: str) -> None:
    parsed = parse(text)
    for token in parsed.tokens:
        assert 0 <= token.start < token.end <= len(text)
        assert text[token.start : token.end] == token.text
        if token.offsets is not None:
            assert all(token.start <= o < token.end for o in token.offsets)
        assert token.clean.strip() == token.clean and token.clean
    for lst in parsed.lists:
        assert 0 <= lst.start <= lst.end <= len(text)
    assert parse(text) == parsed  # deterministic
