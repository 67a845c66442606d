"""French label vocabulary."""

from __future__ import annotations

from incilens.core.vocab.model import Vocabulary

VOCAB = Vocabulary(
    code="fr",
    name="French",
    headers=("ingrédients", "liste des ingrédients", "composition"),
    may_contain=("peut contenir",),
    ends=(
        "mode d'emploi",
        "conseils d'utilisation",
        "utilisation",
        "fabriqué",
        "conserver",
        "à conserver",
        "tenir hors de portée",
        "distribué par",
    ),
    warnings=("attention", "avertissement", "précautions"),
    contains=("contient",),
    free_before=("sans", "sans ajout de", "exempt de", "zéro"),
    conjunctions=("et", "ou"),
    negations=("non", "pas"),
    families={"nut_free": ("noix", "fruits à coque"), "fragrance_free": ("parfums",)},
)
