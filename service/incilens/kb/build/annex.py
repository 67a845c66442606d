"""Link rows of the EU annexes (II-VI) to knowledge-base entries.

A wrong link is worse than none, so a link is made only on evidence, strongest first, and each
link records its ``basis``:

1. ``annex-names-it``: the annex row itself names the INCI name (its glossary or "identified
   ingredients" column).
2. ``cosing-restriction``: the CosIng entry's own restriction column cites the annex entry. A
   qualifier written there ("Only when Cyclomethicone contains D4", "when used as a substance in
   hair dye products") makes the link *conditional*, with the qualifier as its condition; a
   qualifier that only dates a phase-in is not a condition. CosIng is from 2021 and the annexes
   from 2026, so the reference is checked: refused when the row is now another single substance
   (it has CAS numbers, none the entry's, and covers no group such as "salts" or "esters");
   conditional for an Annex II row that neither names the entry nor shares a CAS number ("only
   if it is the material this row bans").
3. ``chemical-name``: the row's chemical name, less "(INN)" and a trailing "and its salts", is
   exactly the INCI name. Used only when the row names no INCI name at all.
4. ``cas``: every CAS number of the entry is among the row's CAS numbers. Used only when the row
   names no INCI name and no stronger basis linked the entry. A mixture whose CAS list merely
   includes a listed substance (CYCLOMETHICONE and cyclotetrasiloxane) is not linked this way.

Conditions come from the row too: an Annex II row that bans a substance only in some uses,
grades or forms ("if it contains", "except", "fibres", "(nano)" ...), an Annex III row that
limits a substance only "as traces in ingredients", and an Annex II row that names an ingredient
which "may contain" the banned substance (its CAS numbers go beyond the row's) all link as
conditional. Rows are told apart by their line (the export reuses some reference numbers).

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
    "names_itself",
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
# A CosIng qualifier that only dates a phase-in ("From 23 August 2019 cosmetic products
# containing that substance shall not be placed on the market") is not a condition.
_DATE_QUALIFIER = re.compile(
    r"^\s*(?:as\s+)?from\s+\d{1,2}\s+[A-Za-z]+\s+\d{4}\b|\bshall not be (?:placed|made)\b",
    re.IGNORECASE,
)
# Annex II rows that ban a substance only in some uses, grades or forms: "when used as a
# substance in hair dye products", "except for normal content in natural essences", "if it
# contains >= 0,1 % w/w Butadiene", "if they contain > 3 % w/w DMSO extract", "unless ...",
# "Silicon carbide fibres (with diameter < 3 um ...)", "Margosa, ext. [from the kernels ...]",
# "Styrene/Acrylates copolymer (nano)": the nano form only.
_II_CONDITION = re.compile(
    r"\bwhen used\b|\bexcept(?:ion)?\b|\bother than\b|\bif\s+(?:it|they|the)\b|\bunless\b|"
    r"\bfibres\b|\bext\.\s*\[from\b|\bgeometric\b|\(nano\)",
    re.IGNORECASE,
)
# Footnote markers in annex name cells: "CETRIMONIUM CHLORIDE (1)".
_FOOTNOTE = re.compile(r"\s*\(\d\)")
# "HC RED NO 18" in a cell, "HC RED NO. 18" in the inventory.
_NUMBER_MARK = re.compile(r"\bNO\.?\s*(?=\d)")
# A comma followed by a locant in lower case continues a chemical name: "Phenol, 2-methoxy-".
_CHEMICAL_CONTINUATION = re.compile(r"^\d[\d,']*-[a-z]")
_TRACES = re.compile(r"\btraces?\b", re.IGNORECASE)
# A row that covers a group ("zinc salts", "and its esters", "compounds", "oil and extract")
# can rightly cover an ingredient whose CAS number it does not list.
_GROUP_ROW = re.compile(
    r"\b(?:salts|esters|compounds|derivatives|ethers|isomers|mixtures|substances|"
    r"e\.g\.|including|any substance|and its|and their|oils? and extracts?|extracts? and oils?|"
    r"terpenoids)\b",
    re.IGNORECASE,
)
# Misspelt names in the annex export, mapped to the inventory's spelling.
ANNEX_NAME_FIXES = {"STRARTRIMONIUM CHLORIDE": "STEARTRIMONIUM CHLORIDE"}
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
    line: int = 0  # the row's line in the export: two live rows can share a reference number


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
        >>> split_known("Phenol, 2-methoxy- 4-(2-propenyl)-, acetate", {"PHENOL": 1})
        []
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
        if (
            found >= 0
            and found < len(seps)
            and seps[found].strip() == ","
            and _CHEMICAL_CONTINUATION.match(pieces[found + 1])
        ):
            found = -1  # "Phenol, 2-methoxy-4-(2-propenyl)-, acetate" is one chemical name
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
    counts: dict[str, int] | None = None,
) -> dict[str, list[EuLink]]:
    """Link annex rows to entries.

    Args:
        annexes: rows per annex ("II" … "VI").
        names: name key → entry id, for every KB name.
        restrictions: entry id → CosIng restriction text (CosIng entries only).
        cas: entry id → CAS numbers (CosIng entries only).
        counts: if given, receives how many candidate links each guard refused.

    Returns:
        entry id → its links, in annex order.
    """
    refused: dict[str, int] = counts if counts is not None else {}
    live = [row for rows in annexes.values() for row in rows if not row.deleted]
    by_ref: dict[tuple[str, str], list[AnnexRow]] = {}
    for row in live:
        by_ref.setdefault((row.annex, row.ref), []).append(row)
    links: dict[str, dict[tuple[str, str, int], EuLink]] = {}

    def add(entry: str, link: EuLink) -> None:
        found = links.setdefault(entry, {})
        slot = (link.annex, link.ref, link.line)
        old = found.get(slot)
        # A condition stated for this very entry is more specific than a bare naming.
        if old is None or (link.conditional and not old.conditional):
            found[slot] = link

    known = _with_spelling_variants(names)
    names_of: dict[str, str] = {}
    for key, entry in names.items():
        names_of.setdefault(entry, key)
    prefixes = separator_prefixes(known)
    named_by_row: dict[int, set[str]] = {}
    unnamed_rows: list[AnnexRow] = []
    for row in live:
        annex = row.annex
        glossary_cell = _FOOTNOTE.sub("", row.glossary_names)
        if name_key(glossary_cell) == name_key(row.chemical_name):
            # The glossary cell repeats a chemical name (Annex III 368, eugenyl acetate written
            # "Phenol, 2-methoxy-4-(2-propenyl)-, acetate"): not a list of INCI names.
            glossary_cell = ""
        in_glossary = split_known(glossary_cell, known, prefixes)
        in_identified = split_known(_FOOTNOTE.sub("", row.identified), known, prefixes)
        named = in_glossary + [k for k in in_identified if k not in in_glossary]
        named_by_row[id(row)] = {known[k] for k in named}
        if not named:
            unnamed_rows.append(row)
        group_condition = _row_condition(row)
        complex_name = name_key(glossary_cell) if "(AND)" in glossary_cell.upper() else ""
        for key in named:
            entry = known[key]
            if complex_name and key != complex_name and key not in in_glossary:
                # "CITRIC ACID (AND) SILVER CITRATE" (Annex V 59) restricts the complex, not
                # citric acid on its own.
                refused["eu_refused_component_of_complex"] = (
                    refused.get("eu_refused_component_of_complex", 0) + 1
                )
                continue
            condition = group_condition
            entry_cas = set(cas.get(entry, ()))
            itself = key in in_glossary or names_itself(row.chemical_name, key)
            if (
                annex == "II"
                and not condition
                and not itself
                and row.cas
                and entry_cas
                and not entry_cas <= set(row.cas)
            ):
                # Annex II names ingredients that *may contain* the banned substance; a
                # mixture (its CAS numbers go beyond the row's) is banned only when it does.
                condition = (
                    f"Only if it contains {row.chemical_name}: the annex lists it among the "
                    "ingredients that may contain the banned substance."
                )
            if annex == "III" and _TRACES.search(row.product_type) and not itself:
                # Annex III 186 limits diethylene glycol "as traces in ingredients": the named
                # copolymers are not diethylene glycol.
                substance = row.glossary_names or row.chemical_name
                condition = (
                    f"Limits {substance} only as a trace impurity in this ingredient "
                    f"({row.product_type}), not the ingredient itself."
                )
            add(
                entry,
                EuLink(annex, row.ref, "annex-names-it", bool(condition), condition, row.line),
            )

    for entry, text in restrictions.items():
        entry_cas = set(cas.get(entry, ()))
        for annex, ref, qualifier in parse_restriction(text):
            candidates = by_ref.get((annex, ref), [])
            if not candidates:
                continue
            is_condition = bool(
                qualifier
                and _CONDITION_WORDS.search(qualifier)
                and not _DATE_QUALIFIER.search(qualifier)
            )
            for row in candidates:
                condition = qualifier if is_condition else ""
                if entry in named_by_row[id(row)]:
                    # The row names it: the naming link stands; a CosIng condition refines it.
                    if condition:
                        add(
                            entry,
                            EuLink(annex, ref, "cosing-restriction", True, condition, row.line),
                        )
                    continue
                condition = condition or _row_condition(row)
                specific = not _GROUP_ROW.search(row.chemical_name)
                if (
                    row.cas
                    and specific
                    and not (entry_cas & set(row.cas))
                    and not names_itself(row.chemical_name, name_key(names_of[entry]))
                    and (entry_cas or annex != "II")
                    and not (annex == "II" and condition)
                ):
                    # A stale 2021 reference: the 2026 row is another single substance (SODIUM
                    # IODATE cited VI/10, which is now octocrylene; propylparaben cited V/12,
                    # which now covers only the methyl and ethyl esters).
                    refused["eu_refused_stale_cosing_reference"] = (
                        refused.get("eu_refused_stale_cosing_reference", 0) + 1
                    )
                    continue
                # A human-derived or recombinant-human ("rh-") ingredient is the material of the
                # human-origin row; the annex itself names dozens of rh-polypeptides there.
                human = "human origin" in row.chemical_name.lower() and re.search(
                    r"(?<![A-Z-])HUMAN\b|(?<![A-Z])RH-(?:POLY|OLIGO)PEPTIDE", names_of[entry]
                )
                if annex == "II" and not condition and not human and not (entry_cas & set(row.cas)):
                    # Only CosIng (2021) ties it to this row and the row does not name it: the
                    # data cannot tell whether this ingredient is the material the row bans
                    # (Annex II 419 bans category 1 and 2 animal material, not every squalene).
                    condition = (
                        f"Only if it is the material this row bans: {row.chemical_name}. "
                        "CosIng (2021) cites this entry for it; the annex row does not name "
                        "the ingredient."
                    )
                add(
                    entry,
                    EuLink(annex, ref, "cosing-restriction", bool(condition), condition, row.line),
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
            add(
                entry_id,
                EuLink(row.annex, row.ref, "chemical-name", bool(condition), condition, row.line),
            )
            continue
        row_cas = set(row.cas)
        by_cas = {e for number in row_cas for e in cas_index.get(number, [])}
        for entry in sorted(by_cas):
            if entry in links or not cas[entry] or not set(cas[entry]) <= row_cas:
                continue
            add(entry, EuLink(row.annex, row.ref, "cas", bool(condition), condition, row.line))

    order = {"II": 0, "III": 1, "IV": 2, "V": 3, "VI": 4}
    return {
        entry: sorted(
            found.values(),
            key=lambda link: (order[link.annex], _ref_sort(link.ref), link.line),
        )
        for entry, found in links.items()
    }


def _with_spelling_variants(names: Mapping[str, str]) -> dict[str, str]:
    """Add "NO 18" for every "NO. 18" in the names (and the reverse), unless taken."""
    out = dict(names)
    for wrong, right in ANNEX_NAME_FIXES.items():
        if right in names:
            out.setdefault(wrong, names[right])
    for key, entry in names.items():
        if "NO" in key:
            for variant in (_NUMBER_MARK.sub("NO. ", key), _NUMBER_MARK.sub("NO ", key)):
                out.setdefault(variant, entry)
    return out


def names_itself(chemical_name: str, key: str) -> bool:
    """Whether the row's chemical name spells out the INCI name ("... (Solvent Blue 35)").

    Examples:
        >>> names_itself("Colouring agent CI 61554 (Solvent Blue 35)", "SOLVENT BLUE 35")
        True
        >>> names_itself("Octamethylcyclotetrasiloxane; D4", "CYCLOMETHICONE")
        False
    """
    text = name_key(_GROUP_TAIL.sub("", chemical_name))
    if _NUMBER_MARK.search(key):  # "HC Red No 8 and its salts" names HC RED NO. 8
        text = _NUMBER_MARK.sub("NO. ", text)
        key = _NUMBER_MARK.sub("NO. ", key)
    # The name must stand as a unit: at the start or after "(", ";" or ",", and followed by the
    # end or one of those ("3,3-Bis(4-hydroxyphenyl)phthalide" does not name PHTHALIDE).
    unit = rf"(?:^|[(;,]\s*){re.escape(key)}(?=\s*(?:$|[();,]))"
    return re.search(unit, text) is not None


def _row_condition(row: AnnexRow) -> str:
    """Return the chemical name of an Annex II row that bans a substance only in some uses."""
    if row.annex == "II" and _II_CONDITION.search(row.chemical_name):
        return row.chemical_name
    return ""


def _ref_sort(ref: str) -> tuple[int, str]:
    digits = re.match(r"\d+", ref)
    return (int(digits.group(0)) if digits else 0, ref)
