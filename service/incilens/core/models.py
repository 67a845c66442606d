"""Data shapes shared by the stages: frozen dataclasses that check themselves.

Serialise only through ``to_dict()``. Pure: no I/O, no Flask.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from functools import cached_property
from types import MappingProxyType
from typing import Any

__all__ = [
    "CONCERN_LEVELS",
    "MATCH_METHODS",
    "VEGAN_STATUSES",
    "Ingredient",
    "IngredientList",
    "Match",
    "OcrResult",
    "OcrWord",
    "Resolved",
    "Token",
]

CONCERN_LEVELS = ("none", "low", "moderate", "high", "unknown")
VEGAN_STATUSES = ("vegan", "not_vegan", "depends", "unknown")
#: How an item was matched, from the most to the least certain.
MATCH_METHODS = ("exact", "synonym", "normalized", "ocr", "fuzzy")

Fact = Mapping[str, Any]


_NESTED = (dict, list)
_FROZEN = (Mapping, tuple)


def _freeze(value: Any) -> Any:
    """Read-only copy of parsed JSON: dicts become mapping proxies, lists tuples.

    Scalars are tested inline rather than by a call per leaf: a record has about a hundred
    nodes, most of them strings, and this runs for every record the analysis reads.
    """
    if isinstance(value, dict):
        return MappingProxyType(
            {k: _freeze(v) if isinstance(v, _NESTED) else v for k, v in value.items()}
        )
    if isinstance(value, list):
        return tuple([_freeze(v) if isinstance(v, _NESTED) else v for v in value])
    return value


_FIELD_NAMES: dict[type, frozenset[str]] = {}


def _field_names(cls: type) -> frozenset[str]:
    names = _FIELD_NAMES.get(cls)
    if names is None:
        names = _FIELD_NAMES[cls] = frozenset(f.name for f in fields(cls))
    return names


def _thaw(value: Any) -> Any:
    """The JSON form of a frozen value (new dicts and lists; the leaves are immutable)."""
    if isinstance(value, Mapping):
        return {k: _thaw(v) if isinstance(v, _FROZEN) else v for k, v in value.items()}
    if isinstance(value, tuple):
        return [_thaw(v) if isinstance(v, _FROZEN) else v for v in value]
    return value


@dataclass(frozen=True)
class Ingredient:
    """One knowledge-base entry with every fact and its source.

    Nested facts are read-only mappings of the shapes documented in docs/API.md (for example
    ``vegan`` is ``{"status", "reason", "source"}``); every fact carries a ``source`` id that
    the KB's source catalogue explains.
    """

    id: str
    inci_name: str
    display_name: str
    current_inci_name: str | None
    synonyms: tuple[Fact, ...]
    same_as: tuple[str, ...]
    cas: tuple[str, ...]
    ec: tuple[str, ...]
    cosing_ref: str | None
    glossary_entry: int | None
    functions: tuple[Fact, ...]
    description: Fact | None
    summary: Fact | None
    notable_active: Fact | None
    comedogenic: Fact | None
    irritancy: Fact | None
    origin: Fact
    vegan: Fact
    pregnancy: Fact | None
    photosensitizing: Fact | None
    side_effects: Fact | None
    skin_types: Fact | None
    flags: tuple[Fact, ...]
    eu: tuple[Fact, ...]
    eu_upcoming: tuple[Fact, ...]
    concern: Fact
    sources: tuple[str, ...]

    def __post_init__(self) -> None:
        if not self.id or not self.inci_name:
            raise ValueError("an ingredient needs an id and an INCI name")
        if self.concern.get("level") not in CONCERN_LEVELS:
            raise ValueError(f"concern level must be one of {CONCERN_LEVELS}")
        if self.vegan.get("status") not in VEGAN_STATUSES:
            raise ValueError(f"vegan status must be one of {VEGAN_STATUSES}")
        for rating in (self.comedogenic, self.irritancy):
            if rating is not None and not 0 <= rating["min"] <= rating["max"] <= 5:
                raise ValueError("ratings run from 0 to 5 with min <= max")

    @classmethod
    def from_record(cls, record: Mapping[str, Any]) -> Ingredient:
        """Build from a knowledge-base record; unknown or missing keys raise."""
        names = _field_names(cls)
        if record.keys() != names:
            extra = set(record) - names
            missing = names - set(record)
            raise KeyError(f"unexpected keys {sorted(extra)}, missing keys {sorted(missing)}")
        return cls(**{k: _freeze(v) for k, v in record.items()})

    @cached_property
    def flag_ids(self) -> frozenset[str]:
        """The ids of this ingredient's flags."""
        return frozenset(f["id"] for f in self.flags)

    @cached_property
    def _json(self) -> dict[str, Any]:
        """The JSON form, built once per record (records are cached by the knowledge base)."""
        return {f.name: _thaw(getattr(self, f.name)) for f in fields(self)}

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form (snake_case keys, every fact with its source).

        The nested values are built once per record and shared by every answer that includes
        it; the top-level mapping is a new one each time, so a caller may add keys to it, but
        nothing inside may be changed.
        """
        return dict(self._json)


def _check_span(start: int, end: int) -> None:
    if not 0 <= start <= end:
        raise ValueError(f"impossible span {start}..{end}")


@dataclass(frozen=True)
class Token:
    """One item of a list as printed, with its place in the original text.

    ``text`` is exactly ``original[start:end]``. ``clean`` is the name to match (bullets,
    footnote marks, percentages and "(nano)" removed, spacing collapsed, line-break hyphenation
    undone) and ``offsets[i]`` is the position in the original text of ``clean[i]``; when
    ``offsets`` is None the cleaned name is the start of the token itself (the common case).
    """

    text: str
    start: int
    end: int
    clean: str
    offsets: tuple[int, ...] | None
    list_index: int
    percent: str | None = None
    nano: bool = False
    footnote: str | None = None

    def __post_init__(self) -> None:
        _check_span(self.start, self.end)
        if self.offsets is None:
            if len(self.clean) > self.end - self.start:
                raise ValueError("the cleaned name cannot be longer than the token")
        elif len(self.offsets) != len(self.clean):
            raise ValueError("every cleaned character needs its offset")
        elif self.offsets and not self.start <= self.offsets[0] <= self.offsets[-1] < self.end:
            raise ValueError("offsets must fall inside the token")

    def span(self, i: int, j: int) -> tuple[int, int]:
        """Return the original-text span of ``clean[i:j]`` (the whole token when empty)."""
        if j <= i:
            return self.start, self.end
        if self.offsets is None:
            return self.start + i, self.start + j
        return self.offsets[i], self.offsets[j - 1] + 1


@dataclass(frozen=True)
class IngredientList:
    """Where one ingredient list sits in the text and how it was found."""

    index: int
    start: int
    end: int
    found_by: str  # header | bare
    header: str | None = None
    header_start: int | None = None
    header_end: int | None = None
    label: str | None = None  # "Lip gloss", "Shade 02": a sub-list of a kit or shade range
    may_contain: bool = False  # a "may contain / [+/-]" colourant block
    footnotes: tuple[tuple[str, str], ...] = ()

    def __post_init__(self) -> None:
        _check_span(self.start, self.end)
        if self.found_by not in ("header", "bare"):
            raise ValueError("found_by is 'header' or 'bare'")

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form."""
        return {
            "index": self.index,
            "start": self.start,
            "end": self.end,
            "found_by": self.found_by,
            "header": self.header,
            "header_start": self.header_start,
            "header_end": self.header_end,
            "label": self.label,
            "may_contain": self.may_contain,
            "footnotes": dict(self.footnotes),
        }


@dataclass(frozen=True)
class Match:
    """How an item was matched to a knowledge-base entry.

    ``read_as`` is the text that was matched and ``matched_name`` the KB name (INCI name or
    synonym) it met; when the method corrected the reading (``ocr`` or ``fuzzy``) the pair
    reads "read as X, matched Y".
    """

    entry_id: str
    inci_name: str
    matched_name: str
    read_as: str
    score: float
    method: str

    def __post_init__(self) -> None:
        if not 0 <= self.score <= 100:
            raise ValueError("score runs from 0 to 100")
        if self.method not in MATCH_METHODS:
            raise ValueError(f"method must be one of {MATCH_METHODS}")

    @property
    def corrected(self) -> bool:
        """Whether the text as read differs from the name matched beyond case and spacing."""
        return self.method in ("ocr", "fuzzy")

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form."""
        body: dict[str, Any] = {
            "inci_name": self.inci_name,
            "id": self.entry_id,
            "score": round(self.score, 1),
            "method": self.method,
            "matched_name": self.matched_name,
            "read_as": self.read_as,
        }
        if self.corrected:
            body["note"] = f"read as {self.read_as!r}, matched {self.matched_name!r}"
        return body


@dataclass(frozen=True)
class OcrWord:
    """One word read by the OCR engine: its box in the engine's image and its place in the text.

    ``start``/``end`` are offsets into :attr:`OcrResult.text`; the box is in the coordinates of
    the image the engine read (the pipeline maps it back onto the uploaded photo).
    """

    text: str
    start: int
    end: int
    left: int
    top: int
    width: int
    height: int
    confidence: float  # 0-100
    line: int  # a running line number across the page

    def __post_init__(self) -> None:
        _check_span(self.start, self.end)
        if self.width < 0 or self.height < 0:
            raise ValueError("a box cannot have a negative size")
        if not 0 <= self.confidence <= 100:
            raise ValueError("confidence runs from 0 to 100")


@dataclass(frozen=True)
class OcrResult:
    """What the engine read: the full text (one line of text per line read) and every word."""

    text: str
    words: tuple[OcrWord, ...]
    engine: str
    version: str
    languages: str
    config: str

    @property
    def mean_confidence(self) -> float:
        """The mean word confidence (0-100), weighted by word length; 0 with no words."""
        total = sum(len(w.text) for w in self.words)
        if not total:
            return 0.0
        return sum(w.confidence * len(w.text) for w in self.words) / total

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form (without the words, which are large)."""
        return {
            "engine": self.engine,
            "version": self.version,
            "languages": self.languages,
            "config": self.config,
            "text": self.text,
            "mean_confidence": round(self.mean_confidence, 1),
            "words": len(self.words),
        }


@dataclass(frozen=True)
class Resolved:
    """One ingredient as read: its span in the original text and its match (or None)."""

    token: Token
    start: int
    end: int
    read_as: str
    match: Match | None
    entry: int | None
    candidates: tuple[str, ...] = ()
