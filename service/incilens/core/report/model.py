"""The report's data: the items as read, matched and annotated, the reliability, the report.

Each has ``to_dict()`` for the JSON answer. Pure: no I/O.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import Any

from incilens.core.claims import ClaimMention
from incilens.core.functions import rank_functions
from incilens.core.models import CONCERN_LEVELS, Ingredient, IngredientList, Match, Resolved
from incilens.core.profile import Profile

__all__ = ["Counts", "Finding", "Item", "Reliability", "Report", "Summary"]

#: One entry of the summary (a flag, a claim verdict, a personal finding or an active): JSON
#: shaped, naming the items behind it and the source of each fact.
Finding = Mapping[str, Any]


@dataclass(frozen=True)
class Item:
    """One ingredient as read, matched and annotated."""

    position: int
    list_index: int
    position_in_list: int
    text: str
    resolved: Resolved
    ingredient: Ingredient | None
    concern: str
    reasons: tuple[Mapping[str, str], ...]
    notes: tuple[Mapping[str, str], ...]
    may_contain: bool = False

    @property
    def start(self) -> int:
        """Where the item starts in the analysed text."""
        return self.resolved.start

    @property
    def end(self) -> int:
        """Where the item ends in the analysed text."""
        return self.resolved.end

    @property
    def read_as(self) -> str:
        """The cleaned name that was matched."""
        return self.resolved.read_as

    def __post_init__(self) -> None:
        if self.position < 1 or not 0 <= self.start <= self.end:
            raise ValueError("positions start at 1 and spans cannot be negative")
        if self.concern not in CONCERN_LEVELS:
            raise ValueError(f"concern must be one of {CONCERN_LEVELS}")

    @cached_property
    def uses(self) -> dict[str, list[str]] | None:
        """The entry's CosIng functions, main uses first and minor ones apart (None: unknown)."""
        if self.ingredient is None:
            return None
        main, minor = _ranked(
            tuple(f["name"] for f in self.ingredient.functions), self.ingredient.flag_ids
        )
        return {"main": list(main), "minor": list(minor)}

    @property
    def match(self) -> Match | None:
        """How the item was matched, or None when unrecognised."""
        return self.resolved.match

    @property
    def name(self) -> str:
        """The display name when recognised, else the text as read."""
        return self.ingredient.display_name if self.ingredient else self.read_as

    def ref(self) -> dict[str, Any]:
        """A short reference to this item, used inside flags and findings (do not mutate)."""
        return self._ref

    @cached_property
    def _ref(self) -> dict[str, Any]:
        return {"position": self.position, "name": self.name, "start": self.start, "end": self.end}

    def to_dict(self, *, compact: bool = False) -> dict[str, Any]:
        """Return the JSON form; ``compact``: the entry's id, names and flag ids, not its record."""
        match = self.resolved.match
        token = self.resolved.token
        slim = compact and self.ingredient is not None and match is not None
        out: dict[str, Any] = {
            "position": self.position,
            "list": self.list_index,
            "position_in_list": self.position_in_list,
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "read_as": self.read_as,
            "match": match.to_dict() if match else None,
            "ingredient": self.ingredient.to_dict() if self.ingredient and not slim else None,
            "uses": {k: list(v) for k, v in self.uses.items()} if self.uses else None,
            "concern": self.concern,
            "reasons": [dict(r) for r in self.reasons],
            "notes": [dict(n) for n in self.notes],
            "percent": token.percent,
            "nano": token.nano,
            "footnote": token.footnote,
            "may_contain": self.may_contain,
            "candidates": list(self.resolved.candidates),
        }
        if slim and self.ingredient is not None:
            # Nothing the record or the item already says twice: the record's names and flag
            # ids stay, its concern reasons and the match's copies of the names go.
            ing = self.ingredient
            out["ingredient"] = {
                "id": ing.id,
                "inci_name": ing.inci_name,
                "display_name": ing.display_name,
                "flags": sorted(ing.flag_ids),
            }
            out["match"] = {k: out["match"][k] for k in _COMPACT_MATCH}
            del out["reasons"]
        return out


@lru_cache(maxsize=8192)
def _ranked(names: tuple[str, ...], flag_ids: frozenset[str]) -> tuple[tuple[str, ...], ...]:
    """:func:`rank_functions`, once per distinct entry (every report ranks the same entries)."""
    main, minor = rank_functions(names, flag_ids)
    return tuple(main), tuple(minor)


#: What a compact item keeps of its match (the names are the record's, ``read_as`` the item's).
_COMPACT_MATCH = ("method", "score", "matched_name")
#: What a compact flag entry leaves out: texts that come from the item's record.
_RECORD_TEXTS = frozenset({"reason", "max_concentration", "product_type", "condition", "warnings"})


def _slim_product(product: Finding | None) -> Finding | None:
    """The product type with its rules' annex ``limits`` left out (each record's ``eu`` rows)."""
    if product is None or not product.get("rules"):
        return product
    rules = [{k: v for k, v in rule.items() if k != "limits"} for rule in product["rules"]]
    return {**product, "rules": rules}


def _slim_flag(flag: Finding) -> dict[str, Any]:
    """A flag whose item entries (lists of mappings with a ``position``) lose the record texts."""
    out: dict[str, Any] = {}
    for key, value in flag.items():
        if (
            isinstance(value, list | tuple)
            and value
            and all(isinstance(e, Mapping) and "position" in e for e in value)
        ):
            value = [{k: v for k, v in e.items() if k not in _RECORD_TEXTS} for e in value]
        out[key] = value
    return out


@dataclass(frozen=True)
class Reliability:
    """How far the read can be trusted."""

    level: str  # good | fair | unreliable | unreadable (a photo) | none
    recognised_share: float
    message: str

    @property
    def verdicts(self) -> bool:
        """Whether verdicts that rest on an absence may be given."""
        return self.level in ("good", "fair")

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form."""
        return {
            "level": self.level,
            "recognised_share": round(self.recognised_share, 3),
            "verdicts_withheld": not self.verdicts,
            "message": self.message,
        }


@dataclass(frozen=True)
class Counts:
    """How many items were read and recognised, in how many lists."""

    items: int
    recognised: int
    lists: int
    unrecognised_items: tuple[Finding, ...] = ()

    @property
    def unrecognised(self) -> int:
        """Items read but matched to no entry."""
        return self.items - self.recognised

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form."""
        return {
            "items": self.items,
            "recognised": self.recognised,
            "unrecognised": self.unrecognised,
            "unrecognised_items": [dict(i) for i in self.unrecognised_items],
            "lists": self.lists,
        }


@dataclass(frozen=True)
class Summary:
    """The verdicts over the whole list, in the order a shopper reads them.

    Typed down to the findings; each finding is still its JSON-shaped mapping (see
    :data:`Finding`). Serialised once, by :meth:`to_dict`, at the edge.
    """

    counts: Counts
    reliability: Reliability
    for_you: tuple[Finding, ...] = ()
    flags: tuple[Finding, ...] = ()
    claims: tuple[Finding, ...] = ()
    notable_actives: tuple[Finding, ...] = ()
    concern_counts: Mapping[str, int] = field(default_factory=dict)
    #: The product type read from the text and the rules that depend on it (report/product).
    product: Finding | None = None
    verdict: Finding | None = None  # see core.report.verdict: what matters most, first

    def flag(self, flag_id: str) -> Finding | None:
        """The product flag ``flag_id`` ("fragrance", "vegan", "eu_prohibited" ...), if any."""
        return next((f for f in self.flags if f["id"] == flag_id), None)

    def to_dict(self, *, compact: bool = False) -> dict[str, Any]:
        """Return the JSON form: counts and reliability first, then the verdicts.

        ``compact``: the flags' item entries leave out the texts their records hold (the
        reason, and an annex row's limits and warnings); each keeps its place, name, source and
        short keys (annex, ref, status, ratings). The product type's rules leave out the annex
        ``limits`` they quote (their ``text`` says what applies).
        """
        return {
            "counts": self.counts.to_dict(),
            "reliability": self.reliability.to_dict(),
            "for_you": list(self.for_you),
            "flags": [_slim_flag(f) for f in self.flags] if compact else list(self.flags),
            "claims": list(self.claims),
            "notable_actives": list(self.notable_actives),
            "concern_counts": dict(self.concern_counts),
            "product": _slim_product(self.product) if compact else self.product,
            "verdict": dict(self.verdict) if self.verdict is not None else None,
        }


@dataclass(frozen=True)
class Report:
    """The whole analysis of one text."""

    text_length: int
    lists: tuple[IngredientList, ...]
    items: tuple[Item, ...]
    reliability: Reliability
    summary: Summary
    profile: Profile
    versions: Mapping[str, str]
    claims: tuple[ClaimMention, ...] = field(default=())
    truncated: int = 0
    ocr: Mapping[str, Any] | None = None  # the photo path's section (engine, text, timings ...)
    item_ocr: Mapping[int, Mapping[str, Any]] = field(default_factory=dict)  # by position

    @property
    def list_found(self) -> bool:
        """Whether an ingredient list with at least one item was found."""
        return bool(self.items)

    def to_dict(self, *, compact: bool = False) -> dict[str, Any]:
        """Return the JSON form (the API's response body).

        ``compact`` leaves each recognised item's full record out (its id, names and flag ids
        stay): what a client needs to mark and colour a list, at a fraction of the size.
        """
        ingredients = [item.to_dict(compact=compact) for item in self.items]
        if self.ocr is not None:
            for body in ingredients:
                body["ocr"] = dict(self.item_ocr.get(body["position"], {}))
        out = {
            "list_found": self.list_found,
            "lists": [lst.to_dict() for lst in self.lists],
            "summary": self.summary.to_dict(compact=compact),
            "ingredients": ingredients,
            "profile": self.profile.to_dict(),
            "text_length": self.text_length,
            "items_not_analysed": self.truncated,
            "versions": dict(self.versions),
        }
        if self.ocr is not None:
            out["ocr"] = dict(self.ocr)
        return out
