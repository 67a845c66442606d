"""Irish label vocabulary (labels sold in Ireland are mostly English; these are the Irish forms)."""

from __future__ import annotations

from incilens.core.vocab.model import Vocabulary

VOCAB = Vocabulary(
    code="ga",
    name="Irish",
    headers=("comhábhair",),
    may_contain=("d'fhéadfadh sé",),
    ends=("treoracha", "úsáid", "déanta in", "coinnigh"),
    warnings=("rabhadh", "aire"),
    contains=("tá ann",),
    free_before=("gan", "saor ó"),
    conjunctions=("agus", "nó"),
    negations=("ní",),
    families={"fragrance_free": ("cumhrán",)},
)
