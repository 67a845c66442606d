"""Finnish label vocabulary."""

from __future__ import annotations

from incilens.core.vocab.model import Vocabulary

VOCAB = Vocabulary(
    code="fi",
    name="Finnish",
    headers=("ainesosat", "koostumus"),
    may_contain=("voi sisältää",),
    ends=("käyttöohjeet", "käyttöohje", "käyttö", "valmistaja", "valmistettu", "säilytä"),
    warnings=("varoitus", "varoitukset", "huomio", "huom"),
    contains=("sisältää",),
    free_before=("ei sisällä",),
    free_suffix=("ton", "tön"),
    conjunctions=("ja", "tai"),
    negations=("ei",),
    families={"fragrance_free": ("hajuste", "hajusteita"), "sulfate_free": ("sulfaatti",)},
)
