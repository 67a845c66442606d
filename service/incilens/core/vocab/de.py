"""German label vocabulary."""

from __future__ import annotations

from incilens.core.vocab.model import Vocabulary

VOCAB = Vocabulary(
    code="de",
    name="German",
    headers=("inhaltsstoffe", "zutaten", "bestandteile", "zusammensetzung"),
    may_contain=("kann enthalten",),
    ends=(
        "anwendung",
        "gebrauchsanweisung",
        "hergestellt",
        "vertrieb",
        "aufbewahren",
        "außer reichweite",
        "mindestens haltbar",
    ),
    warnings=("warnhinweis", "warnhinweise", "achtung", "vorsicht"),
    contains=("enthält",),
    free_before=("ohne", "frei von", "ohne zusatz von"),
    free_after=("frei", "freie", "freier", "freies"),
    conjunctions=("und", "oder"),
    negations=("nicht", "kein", "keine"),
    families={
        "fragrance_free": ("duft", "duftstoffe", "duftstoff"),
        "mineral_oil_free": ("mineralöl", "mineralöle", "mineralöle"),
        "nut_free": ("nüsse", "nuss"),
    },
)
