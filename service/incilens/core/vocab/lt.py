"""Lithuanian label vocabulary."""

from __future__ import annotations

from incilens.core.vocab.model import Vocabulary

VOCAB = Vocabulary(
    code="lt",
    name="Lithuanian",
    headers=("sudėtis", "sudedamosios dalys", "ingredientai"),
    may_contain=("gali būti",),
    ends=("naudojimo būdas", "naudojimas", "gamintojas", "pagaminta", "laikyti", "saugoti"),
    warnings=("įspėjimas", "įspėjimai", "dėmesio", "atsargumo priemonės"),
    contains=("sudėtyje yra",),
    free_before=("be",),
    conjunctions=("ir", "arba"),
    negations=("ne",),
    families={"fragrance_free": ("kvapiųjų medžiagų",)},
)
