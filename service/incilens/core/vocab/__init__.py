"""Label vocabulary: one small data module per language, read by the parser and the claims.

Twenty-five languages: the 22 official EU languages written in Latin script (Bulgarian and
Greek are the two that are not) plus Norwegian, Icelandic and Turkish. Each module holds one
:class:`~incilens.core.vocab.model.Vocabulary`; the readers build their patterns from
:data:`LANGUAGES` once, at import. Pure data: no I/O (the core's import contract), so the
vocabulary is Python rather than files read at start-up.

The words were written for this project from general knowledge of the languages' label
conventions (EU Regulation 1223/2009 requires the list and warnings in the language of the
country of sale); each has a test in ``tests/core/test_vocab.py``.
"""

from __future__ import annotations

from incilens.core.vocab import (
    cs,
    da,
    de,
    en,
    es,
    et,
    fi,
    fr,
    ga,
    hr,
    hu,
    it,
    lt,
    lv,
    mt,
    nl,
    no,
    pl,
    pt,
    ro,
    sk,
    sl,
    sv,
    tr,
)  # fmt: skip
from incilens.core.vocab import (
    is_ as _is,
)
from incilens.core.vocab.model import Vocabulary

__all__ = ["LANGUAGES", "Vocabulary", "family_words", "words"]

#: Every language's vocabulary, keyed by ISO 639-1 code.
LANGUAGES: dict[str, Vocabulary] = {
    v.code: v
    for v in (
        m.VOCAB
        for m in (en, fr, de, es, it, pt, nl, cs, sk, pl, sl, hr, hu, ro, lt, lv, et, fi, sv,
                  da, no, _is, tr, mt, ga)
    )
}  # fmt: skip


def words(attribute: str) -> tuple[str, ...]:
    """Every language's words of one kind (``"headers"``, ``"ends"`` ...), deduplicated.

    Examples:
        >>> "advarsel" in words("warnings"), "składniki" in words("headers")
        (True, True)
    """
    seen: dict[str, None] = {}
    for vocab in LANGUAGES.values():
        for word in getattr(vocab, attribute):
            seen.setdefault(word, None)
    return tuple(seen)


def family_words(claim: str) -> tuple[str, ...]:
    """Every language's extra words for one claim family ("fragrance_free" ...)."""
    seen: dict[str, None] = {}
    for vocab in LANGUAGES.values():
        for word in vocab.families.get(claim, ()):
            seen.setdefault(word, None)
    return tuple(seen)
