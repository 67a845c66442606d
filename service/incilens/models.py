"""Data shapes shared by the stages: frozen dataclasses that check themselves.

Serialise only through ``to_dict()``. Pure: no I/O, no Flask.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass, fields
from types import MappingProxyType
from typing import Any

__all__ = ["CONCERN_LEVELS", "VEGAN_STATUSES", "Ingredient"]

CONCERN_LEVELS = ("none", "low", "moderate", "high", "unknown")
VEGAN_STATUSES = ("vegan", "not_vegan", "depends", "unknown")

Fact = Mapping[str, Any]


def _freeze(value: Any) -> Any:
    if isinstance(value, dict):
        return MappingProxyType({k: _freeze(v) for k, v in value.items()})
    if isinstance(value, list):
        return tuple(_freeze(v) for v in value)
    return value


def _thaw(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {k: _thaw(v) for k, v in value.items()}
    if isinstance(value, tuple):
        return [_thaw(v) for v in value]
    return copy.copy(value)


@dataclass(frozen=True)
class Ingredient:
    """One knowledge-base entry with every fact and its source.

    Nested facts are read-only mappings of the shapes documented in the README (for example
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
        names = {f.name for f in fields(cls)}
        extra = set(record) - names
        missing = names - set(record)
        if extra or missing:
            raise KeyError(f"unexpected keys {sorted(extra)}, missing keys {sorted(missing)}")
        return cls(**{k: _freeze(v) for k, v in record.items()})

    @property
    def flag_ids(self) -> frozenset[str]:
        """The ids of this ingredient's flags."""
        return frozenset(f["id"] for f in self.flags)

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form (snake_case keys, every fact with its source)."""
        return {f.name: _thaw(getattr(self, f.name)) for f in fields(self)}
