"""Every language's vocabulary reads a list header, a list end, a may-contain block, a warning
panel and a free-from claim (one table row per language)."""

# ruff: noqa: E501  (the case tables read best one case a line)

from __future__ import annotations

import pytest

from incilens.core.claims import find_claims
from incilens.core.parsing import parse
from incilens.core.vocab import LANGUAGES

LIST = "Aqua, Glycerin, Parfum"

# (language, header, end of list, may contain, warning, claim text, claim)
LANGUAGE_CASES = [
    ("en", "Ingredients", "Directions", "May contain", "Warning", "paraben-free", "paraben_free"),
    ("fr", "Ingrédients", "Mode d'emploi", "Peut contenir", "Attention", "sans parabène", "paraben_free"),
    ("de", "Inhaltsstoffe", "Anwendung", "Kann enthalten", "Warnhinweis", "parabenfrei", "paraben_free"),
    ("es", "Ingredientes", "Modo de empleo", "Puede contener", "Advertencias", "sin parabenos", "paraben_free"),
    ("it", "Ingredienti", "Modo d'uso", "Può contenere", "Avvertenze", "senza parabeni", "paraben_free"),
    ("pt", "Ingredientes", "Modo de usar", "Pode conter", "Advertências", "sem parabenos", "paraben_free"),
    ("nl", "Ingrediënten", "Gebruik", "Kan bevatten", "Waarschuwing", "parabeenvrij", "paraben_free"),
    ("cs", "Složení", "Návod k použití", "Může obsahovat", "Upozornění", "bez parabenů", "paraben_free"),
    ("sk", "Zloženie", "Použitie", "Môže obsahovať", "Upozornenie", "bez parabénov", "paraben_free"),
    ("pl", "Skład", "Sposób użycia", "Może zawierać", "Ostrzeżenie", "bez parabenów", "paraben_free"),
    ("sl", "Sestavine", "Uporaba", "Lahko vsebuje", "Opozorilo", "brez parabenov", "paraben_free"),
    ("hr", "Sastojci", "Način uporabe", "Može sadržavati", "Upozorenje", "bez parabena", "paraben_free"),
    ("hu", "Összetevők", "Használati utasítás", "Tartalmazhat", "Figyelmeztetés", "parabénmentes", "paraben_free"),
    ("ro", "Ingrediente", "Mod de utilizare", "Poate conține", "Avertisment", "fără parabeni", "paraben_free"),
    ("lt", "Sudėtis", "Naudojimas", "Gali būti", "Įspėjimas", "be parabenų", "paraben_free"),
    ("lv", "Sastāvs", "Lietošana", "Var saturēt", "Brīdinājums", "bez parabēniem", "paraben_free"),
    ("et", "Koostis", "Kasutamine", "Võib sisaldada", "Hoiatus", "parabeenivaba", "paraben_free"),
    ("fi", "Ainesosat", "Käyttö", "Voi sisältää", "Varoitus", "hajusteeton", "fragrance_free"),
    ("sv", "Ingredienser", "Användning", "Kan innehålla", "Varning", "parfymfri", "fragrance_free"),
    ("da", "Ingredienser", "Brugsanvisning", "Kan indeholde", "Advarsel", "uden parfume", "fragrance_free"),
    ("no", "Ingredienser", "Bruksanvisning", "Kan inneholde", "Advarsel", "parfymefri", "fragrance_free"),
    ("is", "Innihaldsefni", "Notkun", "Getur innihaldið", "Varúð", "án parabena", "paraben_free"),
    ("tr", "İçindekiler", "Kullanım", "İçerebilir", "Uyarı", "parabensiz", "paraben_free"),
    ("mt", "Ingredjenti", "Struzzjonijiet", "Jista' jkun fih", "Twissija", "mingħajr parabeni", "paraben_free"),
    ("ga", "Comhábhair", "Treoracha", "D'fhéadfadh sé", "Rabhadh", "gan pharaibéin", "paraben_free"),
]  # fmt: skip


def test_every_language_has_a_row() -> None:
    assert sorted(row[0] for row in LANGUAGE_CASES) == sorted(LANGUAGES)
    assert len(LANGUAGES) == 25


@pytest.mark.parametrize(
    ("lang", "header", "end", "may", "warning", "claim_text", "claim"), LANGUAGE_CASES
)
def test_language(
    lang: str, header: str, end: str, may: str, warning: str, claim_text: str, claim: str
) -> None:
    # The header opens the list; the directions end it.
    parsed = parse(f"{header}: {LIST}. {end}: apply daily.")
    assert [t.clean for t in parsed.tokens] == ["Aqua", "Glycerin", "Parfum"], lang
    # A warning panel on the next line ends it too.
    parsed = parse(f"{header}: {LIST}\n{warning}: avoid the eyes")
    assert [t.clean for t in parsed.tokens] == ["Aqua", "Glycerin", "Parfum"], lang
    # The may-contain words open a colourant block.
    parsed = parse(f"{header}: {LIST}. {may}: CI 77491, CI 77891")
    may_items = [t.clean for t in parsed.tokens if parsed.lists[t.list_index].may_contain]
    assert may_items == ["CI 77491", "CI 77891"], lang
    # The free-from claim.
    found = [c.claim for c in find_claims(claim_text)]
    assert found == [claim], lang
