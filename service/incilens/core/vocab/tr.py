"""Turkish label vocabulary."""

from __future__ import annotations

from incilens.core.vocab.model import Vocabulary

VOCAB = Vocabulary(
    code="tr",
    name="Turkish",
    headers=("içindekiler", "bileşenler", "bileşimi"),
    may_contain=("içerebilir",),
    ends=(
        "kullanım şekli",
        "kullanma talimatı",
        "kullanım",
        "üretici",
        "üretim yeri",
        "saklayınız",
        "muhafaza",
    ),
    warnings=("uyarı", "uyarılar", "dikkat"),
    contains=("içerir",),
    free_after=("içermez",),
    free_suffix=("siz", "sız", "suz", "süz"),
    conjunctions=("ve", "veya"),
    negations=("değil",),
    families={
        "fragrance_free": ("parfüm", "koku"),
        "alcohol_free": ("alkol",),
        "sulfate_free": ("sülfat",),
    },
)
