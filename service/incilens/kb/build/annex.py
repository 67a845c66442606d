"""Link rows of the EU annexes (II-VI) to knowledge-base entries.

A wrong link is worse than none, so a link is made only on evidence, strongest first, and each
link records its ``basis``:

1. ``annex-names-it``: the annex row itself names the INCI name (its glossary or "identified
   ingredients" column).
2. ``cosing-restriction``: the CosIng entry's own restriction column cites the annex entry. A
   qualifier written there ("Only when Cyclomethicone contains D4", "when used as a substance in
   hair dye products") makes the link *conditional*, with the qualifier as its condition.
3. ``chemical-name``: the row's chemical name, less "(INN)" and a trailing "and its salts", is
   exactly the INCI name. Used only when the row names no INCI name at all.
4. ``cas``: every CAS number of the entry is among the row's CAS numbers. Used only when the row
   names no INCI name and no stronger basis linked the entry. A mixture whose CAS list merely
   includes a listed substance (CYCLOMETHICONE and cyclotetrasiloxane) is not linked this way.

Pure: works on rows already read by :mod:`incilens.kb.build.sources`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from incilens.core.normalize import name_key
from incilens.kb.build.sources import AnnexRow

__all__ = [
    "ANNEX_STATUS",
    "EuLink",
    "link_annexes",
    "parse_restriction",
    "separator_prefixes",
    "split_known",
]

ANNEX_STATUS = {
    "II": "prohibited",
    "III": "restricted",
    "IV": "allowed colorant",
    "V": "allowed preservative",
    "VI": "allowed UV filter",
}

_SEPARATORS = re.compile(r"(\s*[,;/]\s*)")
_CODE = re.compile(r"\b(?:Annex\s+)?(VI|IV|V|III|II)\s*[/ ]\s*(\d+[a-z]?)\b")
_CONDITION_WORDS = re.compile(r"\b(when|only|except|if|nano|unless|not)\b", re.IGNORECASE)
_II_CONDITION = re.compile(r"\bwhen used\b|\bexcept(?:ion)?\b|\bother than\b", re.IGNORECASE)
_GROUP_TAIL = re.compile(
    r"\s+and\s+(its|their)\s+(salts|esters|salts and esters|esters and salts)\b.*$", re.IGNORECASE
)


@dataclass(frozen=True)
class EuLink:
    """An entry's link to one annex row."""

    annex: str
    ref: str
    basis: str
    conditional: bool
    condition: str


def separator_prefixes(known: Iterable[str]) -> frozenset[str]:
    """Return every leading part of the known names that ends just before a separator."""
    out: set[str] = set()
    for key in known:
        for m in _SEPARATORS.finditer(key):
            out.add(key[: m.start()])
    return frozenset(out)


def split_known(
    cell: str, known: Mapping[str, object], prefixes: frozenset[str] | None = None
) -> list[str]:
    """Split a cell listing names into the known name keys it contains.

    Commas, semicolons and slashes both separate names and occur inside them, so pieces are
    joined greedily into the longest known name.

    Examples:
        >>> split_known("BUTYL BENZOATE,1,2-HEXANEDIOL", {"BUTYL BENZOATE": 1, "1,2-HEXANEDIOL": 2})
        ['BUTYL BENZOATE', '1,2-HEXANEDIOL']
        >>> split_known("CI 42053/ FAST GREEN FCF", {"CI 42053": 1})
        ['CI 42053']
    """
    if prefixes is None:
        prefixes = separator_prefixes(known)
    parts = _SEPARATORS.split(cell)
    pieces = parts[0::2]
    seps = parts[1::2]
    out: list[str] = []
    i = 0
    while i < len(pieces):
        found = -1
        text = pieces[i]
        candidate = ""
        for j in range(i, len(pieces)):
            if j > i:
                text += seps[j - 1] + pieces[j]
            key = name_key(text)
            if key in known:
                found, candidate = j, key
            if key not in prefixes:
                break
        if found >= 0:
            if candidate not in out:
                out.append(candidate)
            i = found + 1
        else:
            i += 1
    return out


def parse_restriction(text: str) -> list[tuple[str, str, str]]:
    """Parse CosIng's restriction column into ``(annex, ref, qualifier)`` triples.

    Examples:
        >>> parse_restriction("II/1388 (Only when Cyclomethicone contains D4)")
        [('II', '1388', 'Only when Cyclomethicone contains D4')]
        >>> parse_restriction("IV 143 VI 27 VI 27a (nano)")
        [('IV', '143', ''), ('VI', '27', ''), ('VI', '27a', 'nano')]
    """
    matches = list(_CODE.finditer(text))
    out: list[tuple[str, str, str]] = []
    for n, m in enumerate(matches):
        end = matches[n + 1].start() if n + 1 < len(matches) else len(text)
        qualifier = text[m.end() : end].strip(" ;,-=")
        if qualifier.startswith("(") and qualifier.endswith(")"):
            qualifier = qualifier[1:-1].strip()
        out.append((m.group(1), m.group(2), qualifier))
    return out


def link_annexes(
    annexes: Mapping[str, list[AnnexRow]],
    names: Mapping[str, str],
    restrictions: Mapping[str, str],
    cas: Mapping[str, tuple[str, ...]],
) -> dict[str, list[EuLink]]:
    """Link annex rows to entries.

    Args:
        annexes: rows per annex ("II" … "VI").
        names: name key → entry id, for every KB name.
        restrictions: entry id → CosIng restriction text (CosIng entries only).
        cas: entry id → CAS numbers (CosIng entries only).

    Returns:
        entry id → its links, in annex order.
    """
    by_ref = {(a, row.ref): row for a, rows in annexes.items() for row in rows if not row.deleted}
    links: dict[str, dict[tuple[str, str], EuLink]] = {}

    def add(entry: str, link: EuLink) -> None:
        found = links.setdefault(entry, {})
        old = found.get((link.annex, link.ref))
        # A condition stated for this very entry is more specific than a bare naming.
        if old is None or (link.conditional and not old.conditional):
            found[(link.annex, link.ref)] = link

    prefixes = separator_prefixes(names)
    unnamed_rows: list[AnnexRow] = []
    for annex, rows in annexes.items():
        for row in rows:
            if row.deleted:
                continue
            named = split_known(row.glossary_names, names, prefixes) + split_known(
                row.identified, names, prefixes
            )
            if not named:
                unnamed_rows.append(row)
            group_condition = _row_condition(row)
            for key in named:
                entry = names[key]
                condition = group_condition
                entry_cas = set(cas.get(entry, ()))
                if annex == "II" and row.cas and entry_cas and not entry_cas <= set(row.cas):
                    # Annex II names ingredients that *may contain* the banned substance; a
                    # mixture (its CAS numbers go beyond the row's) is banned only when it does.
                    condition = (
                        f"Only when it contains {row.chemical_name}: the annex names it as an "
                        "ingredient that may contain the banned substance."
                    )
                add(entry, EuLink(annex, row.ref, "annex-names-it", bool(condition), condition))

    for entry, text in restrictions.items():
        for annex, ref, qualifier in parse_restriction(text):
            if (annex, ref) not in by_ref:
                continue
            conditional = bool(qualifier and _CONDITION_WORDS.search(qualifier))
            add(
                entry,
                EuLink(
                    annex, ref, "cosing-restriction", conditional, qualifier if conditional else ""
                ),
            )

    cas_index: dict[str, list[str]] = {}
    for entry, numbers in cas.items():
        for number in numbers:
            cas_index.setdefault(number, []).append(entry)
    for row in unnamed_rows:
        condition = _row_condition(row)
        chem = _GROUP_TAIL.sub("", re.sub(r"\s*\(INN\)\s*", " ", row.chemical_name)).strip()
        entry_id = names.get(name_key(chem)) if chem else None
        if entry_id is not None:
            add(entry_id, EuLink(row.annex, row.ref, "chemical-name", bool(condition), condition))
            continue
        row_cas = set(row.cas)
        candidates = {e for number in row_cas for e in cas_index.get(number, [])}
        for entry in sorted(candidates):
            if entry in links or not cas[entry] or not set(cas[entry]) <= row_cas:
                continue
            add(entry, EuLink(row.annex, row.ref, "cas", bool(condition), condition))

    order = {"II": 0, "III": 1, "IV": 2, "V": 3, "VI": 4}
    return {
        entry: sorted(found.values(), key=lambda link: (order[link.annex], _ref_sort(link.ref)))
        for entry, found in links.items()
    }


def _row_condition(row: AnnexRow) -> str:
    """Return the chemical name of an Annex II row that bans a substance only in some uses."""
    if row.annex == "II" and _II_CONDITION.search(row.chemical_name):
        return row.chemical_name
    return ""


def _ref_sort(ref: str) -> tuple[int, str]:
    digits = re.match(r"\d+", ref)
    return (int(digits.group(0)) if digits else 0, ref)
