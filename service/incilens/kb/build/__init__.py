"""Build the packaged knowledge base from the public datasets and the curated files.

Usage::

    python -m incilens.kb.build --source ../shared/data [--out service/incilens/data/kb.jsonl.gz]

The build is deterministic: the same inputs give the same file, byte for byte, and the
``kb_version`` is a digest of the content. It prints counts as it goes. See ``DATA.md`` for
what each dataset contributes and ``docs/ARCHITECTURE.md`` for where the output is used.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import re
import sys
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from incilens.core.normalize import loose_key, name_key
from incilens.errors import KnowledgeBaseError
from incilens.kb.build import annex as annex_mod
from incilens.kb.build import rules
from incilens.kb.build.curated import CURATED_DIR, Curated, load_curated
from incilens.kb.build.record import Entry, eu_record, make_record, parse_rating
from incilens.kb.build.sources import (
    DATASETS,
    AnnexRow,
    CosingRow,
    dataset_digest,
    read_allergens,
    read_annex,
    read_comedogenic,
    read_cosing,
    read_glossary,
    read_on_notice,
)
from incilens.kb.knowledge import DEFAULT_KB_PATH, KB_SCHEMA

__all__ = ["build", "consistency_faults", "main", "slugify"]

_FORMERLY = re.compile(r"^(?P<new>.+?)\s*\(FORMERLY\s+(?P<old>.+)\)$", re.IGNORECASE)
_SEE_ALSO = re.compile(r"see also INCI:\s*([^)]+)\)", re.IGNORECASE)
_CI_IN_DESC = re.compile(r"\((CI \d{5})\)")
# "Cucumis Sativus (Cucumber) Fruit Extract is ...": a plant's Latin name and its common name.
_COMMON_IN_DESC = re.compile(
    r"\b([A-Z][a-z]+ [A-Z]?[a-z]+(?: [A-Z]?[a-z]+)?) \(([A-Z][a-z'-]+(?: [A-Z]?[a-z'-]+){0,2})\)"
)
ALLERGEN_NAME_FIXES = {"89": "METHYL 2-OCTYNOATE"}
SOURCE_FILES = [
    "cosing/cosing_ingredients_2021-12.csv",
    "eu-glossary-2025/eu-inci-glossary-2025.tsv",
    *(f"eu-annexes/annex_{a}.csv" for a in ("II", "III", "IV", "V", "VI")),
    "flags/eu_fragrance_allergens_from_annexIII.csv",
    "flags/on_notice_register.json",
    "comedogenicity/acneorg_fulton_list.csv",
    "comedogenicity/beneficialbotanicals_list.csv",
    "comedogenicity/hautschutzengel_list.csv",
    "comedogenicity/ezob_ingredients.csv",
    "comedogenicity/cosdna_sephora_ingredients.csv",
]


def slugify(name: str) -> str:
    """Return the URL id of an INCI name.

    Examples:
        >>> slugify("CAPRYLIC/CAPRIC TRIGLYCERIDE")
        'caprylic-capric-triglyceride'
    """
    return re.sub(r"[^a-z0-9]+", "-", name_key(name).lower()).strip("-") or "x"


class Builder:
    """Holds the entries and the name index while the steps run."""

    def __init__(self, root: Path, curated: Curated, log: Any) -> None:
        self.root = root
        self.curated = curated
        self.log = log
        self.entries: dict[str, Entry] = {}
        self.by_key: dict[str, str] = {}
        self.counts: Counter[str] = Counter()

    # -- entries -------------------------------------------------------------------------
    def _new(self, inci_name: str) -> Entry:
        base = slugify(inci_name)
        ident, n = base, 1
        while ident in self.entries:
            n += 1
            ident = f"{base}-{n}"
        entry = Entry(ident, inci_name)
        self.entries[ident] = entry
        self.by_key.setdefault(entry.key, ident)
        return entry

    def add_cosing(self, rows: list[CosingRow]) -> None:
        # Every CosIng name is its own entry, even the few that differ only in punctuation
        # (e.g. a trailing full stop): their CosIng references and facts differ.
        for row in sorted(rows, key=lambda r: (name_key(r.inci_name), r.inci_name)):
            if name_key(row.inci_name) in self.by_key:
                self.counts["cosing_punctuation_variants"] += 1
            self._new(row.inci_name).cosing = row
        self.counts["cosing_entries"] = sum(1 for e in self.entries.values() if e.cosing)
        self.log(f"CosIng: {len(rows)} distinct names -> {self.counts['cosing_entries']} entries")

    def add_glossary(self, rows: list[tuple[int, str]]) -> None:
        loose: dict[str, str] = {re.sub(r"[^0-9A-Z]", "", k): i for k, i in self.by_key.items()}
        for number, name in rows:
            key = name_key(name)
            if key in self.by_key:
                self.entries[self.by_key[key]].glossary_entry = number
                continue
            m = _FORMERLY.match(name)
            if m:
                old = self.by_key.get(name_key(m.group("old")))
                if old is not None:
                    entry = self.entries[old]
                    entry.current_name = m.group("new").strip()
                    entry.add_synonym(entry.current_name, "renamed", "eu-glossary-2025")
                    entry.add_synonym(name, "label", "eu-glossary-2025")
                    self.by_key.setdefault(name_key(entry.current_name), old)
                    self.counts["glossary_renames"] += 1
                    continue
                entry = self._new(m.group("new").strip())
                entry.glossary_entry = number
                entry.add_synonym(m.group("old").strip(), "former", "eu-glossary-2025")
                self.counts["glossary_new"] += 1
                continue
            variant = loose.get(re.sub(r"[^0-9A-Z]", "", key))
            if variant is not None:
                self.entries[variant].add_synonym(name, "label", "eu-glossary-2025")
                self.counts["glossary_spelling_variants"] += 1
                continue
            entry = self._new(name)
            entry.glossary_entry = number
            self.counts["glossary_new"] += 1
        self.log(
            f"Glossary 2025: {self.counts['glossary_new']} new names, "
            f"{self.counts['glossary_renames']} renames, "
            f"{self.counts['glossary_spelling_variants']} spelling variants"
        )

    # -- names --------------------------------------------------------------------------
    def _resolve(self, name: str, where: str) -> Entry:
        ident = self.by_key.get(name_key(name))
        if ident is None:
            raise KnowledgeBaseError(
                f"{where}: {name!r} is not an INCI name in CosIng or the glossary"
            )
        return self.entries[ident]

    def add_same_as(self) -> None:
        for entry in self.entries.values():
            if entry.cosing is None:
                continue
            found = _SEE_ALSO.findall(entry.cosing.description) + _CI_IN_DESC.findall(
                entry.cosing.description
            )
            for name in found:
                other = self.by_key.get(name_key(name))
                if other and other != entry.id:
                    entry.same_as.add(other)
                    self.entries[other].same_as.add(entry.id)
        self.counts["same_as_links"] = sum(len(e.same_as) for e in self.entries.values()) // 2

    def add_synonyms(self) -> None:
        for syn in self.curated.synonyms:
            entry = self._resolve(syn["inci"], "synonyms.toml")
            entry.add_synonym(syn["name"], syn["kind"], "curated")
        for p in self.curated.profiles:
            entry = self._resolve(p["inci"], f"profiles/{p['_file']}")
            for name in p.get("common_names", []):
                entry.add_synonym(name, "common", "curated")
        self._add_plant_common_names()
        # CosIng's INN and Ph. Eur. names ("bronopol", "enzacamene", "glycerolum"): the names
        # pharmacists and regulators search for. "/" separates several names in one cell.
        for entry in self.entries.values():
            if entry.cosing is None:
                continue
            for kind, cell in (
                ("inn", entry.cosing.inn_name),
                ("ph-eur", entry.cosing.ph_eur_name),
            ):
                for name in (n.strip() for n in cell.split(" / ")):
                    if len(name) >= 4:
                        entry.add_synonym(name, kind, "cosing")
                        self.counts[f"synonyms_{kind}_offered"] += 1
        # A synonym never shadows an INCI name, and one name never points at two entries.
        owners: dict[str, set[str]] = {}
        for entry in self.entries.values():
            for key in entry.synonyms:
                owners.setdefault(key, set()).add(entry.id)
        for key, ids in owners.items():
            inci_owner = self.by_key.get(key)
            for ident in ids:
                shadows = inci_owner is not None and inci_owner != ident
                if shadows or len(ids) > 1:
                    self.entries[ident].synonyms.pop(key, None)
                    self.counts["synonyms_dropped_as_ambiguous"] += 1
        self.counts["synonyms"] = sum(len(e.synonyms) for e in self.entries.values())
        self.log(
            f"Synonyms: {self.counts['synonyms']} "
            f"({self.counts['synonyms_dropped_as_ambiguous']} dropped as ambiguous)"
        )

    def _add_plant_common_names(self) -> None:
        """Name plant ingredients the way US labels do: "Cucumber Fruit Extract".

        CosIng's descriptions give a plant's common name beside its Latin one ("Cucumis
        Sativus (Cucumber) Fruit Extract is ..."). A Latin name whose descriptions agree on one
        common name (two thirds of the mentions; botanical family names such as "Rosaceae" and
        abbreviations are not common names) lends it to every entry named after that plant:
        CUCUMIS SATIVUS FRUIT EXTRACT gets "Cucumber Fruit Extract". A common name shared by
        two plants ("Orange") then points at two entries and is dropped as ambiguous below.
        """
        votes: dict[str, Counter[str]] = {}
        for entry in self.entries.values():
            for latin, common in _COMMON_IN_DESC.findall(
                entry.cosing.description if entry.cosing else ""
            ):
                if common.endswith("aceae") or common.isupper():
                    continue
                votes.setdefault(latin.upper(), Counter())[common] += 1
        common_of: dict[str, str] = {}
        for latin, counter in votes.items():
            common, count = counter.most_common(1)[0]
            if 3 * count >= 2 * sum(counter.values()) and name_key(common) != name_key(latin):
                common_of[latin] = common
        added = 0
        for entry in self.entries.values():
            words = entry.inci_name.split(" ")
            for n in (3, 2):  # the longest Latin name first (CITRUS AURANTIUM DULCIS)
                latin = " ".join(words[:n])
                if len(words) > n and latin in common_of:
                    rest = re.sub(r"[A-Z]+", lambda m: m[0].capitalize(), " ".join(words[n:]))
                    entry.add_synonym(f"{common_of[latin]} {rest}", "common", "cosing")
                    added += 1
                    break
        self.counts["plant_common_names"] = added
        self.log(
            f"Plant common names from CosIng descriptions: {len(common_of)} plants, {added} names"
        )

    # -- EU -----------------------------------------------------------------------------
    def add_annexes(self, annexes: dict[str, list[AnnexRow]]) -> None:
        restrictions = {e.id: e.cosing.restriction for e in self.entries.values() if e.cosing}
        cas = {e.id: e.cosing.cas for e in self.entries.values() if e.cosing}
        rows = {(a, r.ref, r.line): r for a, rs in annexes.items() for r in rs}
        refused: dict[str, int] = {}
        links = annex_mod.link_annexes(annexes, self.by_key, restrictions, cas, refused)
        self.counts.update(refused)
        # One substance, two INCI names (CI 77891 and TITANIUM DIOXIDE, linked by CosIng's
        # description): an Annex II or III row that names one also covers the other when the
        # other's CAS number is among the row's. Annex IV-VI are not carried over (CI 77891 is
        # a colorant name, not a UV filter).
        for ident in sorted(links):
            for link in list(links[ident]):
                row = rows[(link.annex, link.ref, link.line)]
                if link.annex not in ("II", "III") or link.basis != "annex-names-it":
                    continue
                for twin in sorted(self.entries[ident].same_as):
                    twin_entry = self.entries[twin]
                    twin_cas = set(twin_entry.cosing.cas) if twin_entry.cosing else set()
                    present = any(
                        (lk.annex, lk.ref, lk.line) == (link.annex, link.ref, link.line)
                        for lk in links.get(twin, [])
                    )
                    if not present and twin_cas & set(row.cas):
                        links.setdefault(twin, []).append(
                            annex_mod.EuLink(
                                link.annex,
                                link.ref,
                                "same-substance",
                                link.conditional,
                                link.condition,
                                link.line,
                            )
                        )
        for ident, found in links.items():
            entry = self.entries[ident]
            for link in found:
                row = rows[(link.annex, link.ref, link.line)]
                entry.eu.append(eu_record(row, link))
                self.counts[f"eu_links_annex_{link.annex}"] += 1
                self.counts[f"eu_link_basis_{link.basis}"] += 1
        self.log(
            "EU annexes: "
            + ", ".join(f"{a}: {self.counts[f'eu_links_annex_{a}']}" for a in annexes)
            + " links"
        )
        for row in annexes.get("V", []):
            if "formaldehyde releaser" in row.sccs.lower() and not row.deleted:
                for ident, found in links.items():
                    if any(lk.annex == "V" and lk.ref == row.ref for lk in found):
                        self.entries[ident].add_flag(
                            "formaldehyde_releaser",
                            "The EU assesses it as a formaldehyde releaser (Annex V "
                            f"entry {row.ref} cites the SCCS opinion on formaldehyde releasers).",
                            f"eu-annex-V/{row.ref}",
                        )

    def add_allergens(self, rows: list[dict[str, str]]) -> None:
        """Flag the EU fragrance allergens, on four kinds of evidence.

        1. A name in the list's glossary cell, split at ";", "/" and "," (row 157 reads
           "Alpha-Damascone/cis-Rose ketone 1/...") and with bracketed aliases tried too.
        2. The Annex III row itself names the entry (an unconditional naming link).
        3. For a single substance (no oil, extract or absolute in the row), every CAS number of
           the entry is among the row's (eugenyl acetate, written as a chemical name in row 368).
        4. The curated ``allergen_names.toml``: the oils CosIng spells differently.
        """
        refs = {row["annex_iii_ref"].strip(): row for row in rows}

        def flag(entry: Entry, ref: str) -> None:
            if "fragrance_allergen" not in entry.flags:
                self.counts["allergen_entries"] += 1
            entry.add_flag(
                "fragrance_allergen",
                "An EU fragrance allergen: must be named on the label above 0.001 % in "
                "leave-on and 0.01 % in rinse-off products (Regulation (EU) 2023/1545, "
                f"Annex III entry {ref}).",
                f"eu-annex-III/{ref}",
            )

        by_cas: dict[str, list[Entry]] = {}
        for entry in self.entries.values():
            for number in entry.cosing.cas if entry.cosing else ():
                by_cas.setdefault(number, []).append(entry)
        for ref, row in refs.items():
            cell = ALLERGEN_NAME_FIXES.get(ref) or row["glossary_names"]
            names: list[str] = []
            if name_key(cell) == name_key(row["chemical_name"]):
                # A chemical name, not a list ("Phenol, 2-methoxy-4-(2-propenyl)-, acetate"
                # must not flag PHENOL): matched by CAS below.
                cell_pieces: list[str] = []
            else:
                cell_pieces = re.split(r"[;,]", cell)
            for piece in cell_pieces:
                # "/" separates names ("Alpha-Damascone/cis-Rose ketone 1") except inside a
                # botanical INCI name ("Eucalyptus Globulus Leaf/Twig Oil").
                botanical = re.search(r"\b(oil|extract|water|flower|leaf)\b", piece, re.I)
                for part in [piece] if botanical else piece.split("/"):
                    names.append(re.sub(r"\(.*?\)", "", part))
                    names.extend(re.findall(r"\(([^()]*)\)", part))
            found = False
            for name in (n.strip() for n in names):
                if not name or name == "-":
                    continue
                ident = self.by_key.get(name_key(name))
                if ident is not None:
                    flag(self.entries[ident], ref)
                    found = True
            if not found:
                self.counts["allergen_rows_unmatched_by_name"] += 1
            row_cas = set(re.findall(r"\b\d{2,7}-\d{2}-\d\b", row["cas"]))
            if not re.search(r"\b(oil|extract|absolute|turpentine)\b", cell, re.IGNORECASE):
                for number in sorted(row_cas):
                    for entry in by_cas.get(number, []):
                        assert entry.cosing is not None
                        if set(entry.cosing.cas) <= row_cas:
                            flag(entry, ref)
        for entry in self.entries.values():
            for eu in entry.eu:
                if (
                    eu["annex"] == "III"
                    and eu["ref"] in refs
                    and eu["link_basis"] == "annex-names-it"
                    and not eu["conditional"]
                    and "indicated" in (eu["other"] + eu["warnings"]).lower()
                ):
                    flag(entry, eu["ref"])
        for item in self.curated.allergen_names:
            if item["ref"] not in refs:
                raise KnowledgeBaseError(
                    f"allergen_names.toml: {item['ref']!r} is not an allergen row of Annex III"
                )
            flag(self._resolve(item["inci"], "allergen_names.toml"), item["ref"])
        self.log(f"Fragrance allergens: {self.counts['allergen_entries']} entries flagged")

    def add_on_notice(self, provisions: list[dict[str, Any]]) -> None:
        """Link upcoming deadlines by INCI name, by chemical name and by CAS number.

        A CAS link needs every CAS number of the entry among the row's (as for annex rows), so
        "VETIVERIA ZIZANIOIDES ROOT EXTRACT ACETYLATED" gets the deadline the register files
        under "Acetylated Vetiveria Zizanioides Root Extract".
        """
        by_cas: dict[str, set[str]] = {}
        for entry in self.entries.values():
            for number in entry.cosing.cas if entry.cosing else ():
                by_cas.setdefault(number, set()).add(entry.id)
        for p in provisions:
            names = {
                n["name"]
                for n in p.get("names", [])
                if n.get("source") in ("inci_glossary", "chemical_name")
            }
            if p.get("inci_name"):
                names.add(p["inci_name"])
            if p.get("chemical_name"):
                names.add(p["chemical_name"])
            idents = {self.by_key[k] for k in map(name_key, names) if k in self.by_key}
            row_cas = set(re.findall(r"\b\d{2,7}-\d{2}-\d\b", p.get("row_text", "")))
            botanical = any(
                re.search(r"\b(oil|extract|absolute|water|ext\.)", n, re.IGNORECASE) for n in names
            )
            if botanical or len(row_cas) > 6:
                # A plant's CAS number covers its waters, powders and waxes, which the row does
                # not; and a long row's CAS list mixes several substances.
                row_cas = set()
            for number in sorted(row_cas):
                for ident in sorted(by_cas.get(number, ())):
                    cosing = self.entries[ident].cosing
                    if cosing is not None and set(cosing.cas) <= row_cas and ident not in idents:
                        idents.add(ident)
                        self.counts["upcoming_deadlines_by_cas"] += 1
            for ident in sorted(idents):
                self.entries[ident].eu_upcoming.append(
                    {
                        "date": p["date"],
                        "regulation": p["regulation"],
                        "annex": p["annex"],
                        "ref": p["entry_reference"],
                        "obligation": p.get("obligation", ""),
                        "what_changes": p.get("restriction_plain", ""),
                        "provision": p.get("provision", ""),
                        "source": "eu-on-notice",
                    }
                )
                self.counts["upcoming_deadlines"] += 1
        self.log(f"Upcoming EU deadlines: {self.counts['upcoming_deadlines']} links")

    # -- ratings ------------------------------------------------------------------------
    def add_comedogenic(self) -> None:
        mapping = {(c["list"], c["name"].strip()): c for c in self.curated.comedogenic_names}
        for row in read_comedogenic(self.root):
            mapped = mapping.get((row.source, row.name.strip()))
            if mapped is not None:
                targets = [self._resolve(n, "comedogenic_names.toml") for n in mapped["inci"]]
                how = f"mapped: {mapped['reason']}"
            elif name_key(row.match_name) in self.by_key:
                targets = [self.entries[self.by_key[name_key(row.match_name)]]]
                how = "same name"
            else:
                self.counts["comedogenic_rows_unmapped"] += 1
                continue
            if not targets:
                self.counts["comedogenic_rows_not_an_ingredient"] += 1
                continue
            for entry in targets:
                for value, bucket in (
                    (row.comedogenic, entry.comedogenic),
                    (row.irritancy, entry.irritancy),
                ):
                    parsed = parse_rating(value)
                    if parsed is None:
                        continue
                    bucket.append(
                        {
                            "source": row.source,
                            "value": value.strip(),
                            "min": parsed[0],
                            "max": parsed[1],
                            "name_in_source": row.name,
                            "link": how,
                        }
                    )
                    self.counts["rating_values"] += 1
        rated = sum(1 for e in self.entries.values() if e.comedogenic)
        self.counts["entries_with_comedogenic_rating"] = rated
        self.counts["entries_with_irritancy_rating"] = sum(
            1 for e in self.entries.values() if e.irritancy
        )
        self.log(
            f"Comedogenicity: {rated} entries rated; "
            f"{self.counts['comedogenic_rows_unmapped']} rows unmapped"
        )

    # -- curated ------------------------------------------------------------------------
    def add_profiles(self) -> None:
        for p in self.curated.reference_pages:
            entry = self._resolve(p["inci"], "reference_pages.toml")
            entry.profile, entry.profile_source = p, f"ref:{slugify(p['inci'])}"
            parsed = parse_rating(p["comedogenic"])
            if parsed:
                entry.comedogenic.append(
                    {
                        "source": entry.profile_source,
                        "value": p["comedogenic"],
                        "min": parsed[0],
                        "max": parsed[1],
                        "name_in_source": p["inci"],
                        "link": "same name",
                    }
                )
        for p in self.curated.profiles:
            where = f"profiles/{p['_file']}"
            for target in [p["inci"], *p.get("also", [])]:
                entry = self._resolve(target, where)
                if entry.profile is not None:
                    if entry.profile_source.startswith("ref:"):
                        continue
                    raise KnowledgeBaseError(f"{where}: {target!r} has two curated profiles")
                entry.profile, entry.profile_source = p, "curated"
        self.counts["curated_profiles"] = sum(1 for e in self.entries.values() if e.profile)
        self.log(f"Curated profiles: {self.counts['curated_profiles']} entries")


def consistency_faults(records: list[dict[str, Any]]) -> dict[str, list[str]]:
    """Whole-KB checks whose counts must be zero; returns the offending INCI names per check.

    - ``prohibited_without_unconditional_row``: an "EU prohibited" flag with no unconditional
      Annex II link behind it.
    - ``twins_disagree``: two entries for one substance (the same curated profile, or CosIng's
      "see also") whose concern levels differ.
    - ``profile_contradicts_flag``: a profile that warns about fungal acne without the flag.
    """
    out: dict[str, list[str]] = {
        "prohibited_without_unconditional_row": [],
        "twins_disagree": [],
        "profile_contradicts_flag": [],
    }
    by_id = {r["id"]: r for r in records}
    for r in records:
        flags = {f["id"] for f in r["flags"]}
        if "eu_prohibited" in flags and not any(
            e["annex"] == "II" and not e["conditional"] for e in r["eu"]
        ):
            out["prohibited_without_unconditional_row"].append(r["inci_name"])
        for other in r["same_as"]:
            twin = by_id.get(other)
            if (
                twin is not None
                and r["id"] < other
                and r["summary"]
                and twin["summary"]
                and r["concern"]["level"] != twin["concern"]["level"]
            ):
                out["twins_disagree"].append(f"{r['inci_name']} / {twin['inci_name']}")
        skin = r["skin_types"]
        if skin and "fungal-acne" in skin["not_ideal_for"] and "fungal_acne_trigger" not in flags:
            out["profile_contradicts_flag"].append(r["inci_name"])
    by_summary: dict[str, list[dict[str, Any]]] = {}
    for r in records:
        if r["summary"] and r["summary"]["source"] == "curated":
            by_summary.setdefault(r["summary"]["text"], []).append(r)
    for group in by_summary.values():
        if len({r["concern"]["level"] for r in group}) > 1:
            out["twins_disagree"].append(" / ".join(r["inci_name"] for r in group))
    return out


def _source_catalogue(builder: Builder) -> dict[str, dict[str, str]]:
    cat: dict[str, dict[str, str]] = {
        d.id: {"title": d.title, "licence": d.licence, "attribution": d.attribution}
        for d in DATASETS
    }
    cat["curated"] = {
        "title": "Curated by the INCI Lens project (see kb/curated/)",
        "licence": "MIT",
        "attribution": "INCI Lens contributors",
    }
    for p in builder.curated.reference_pages:
        cat[f"ref:{slugify(p['inci'])}"] = {
            "title": p["source"],
            "licence": "facts only",
            "attribution": "shared/reference-pages",
        }
    return cat


def build(
    root: Path, out: Path, *, curated_dir: Path = CURATED_DIR, log: Any = print
) -> dict[str, Any]:
    """Build the knowledge base from ``root`` (``shared/data``) into ``out``; return the header."""
    curated = load_curated(curated_dir)
    b = Builder(root, curated, log)
    b.add_cosing(read_cosing(root))
    b.add_glossary(read_glossary(root))
    b.add_same_as()
    b.add_synonyms()
    annexes = {a: read_annex(root, a) for a in ("II", "III", "IV", "V", "VI")}
    b.add_annexes(annexes)
    b.add_allergens(read_allergens(root))
    b.add_on_notice(read_on_notice(root))
    b.add_comedogenic()
    b.add_profiles()

    plain = curated.functions
    entries = sorted(b.entries.values(), key=lambda e: e.id)
    records = [make_record(e, plain) for e in entries]
    missing = sorted({f["name"] for r in records for f in r["functions"]} - set(plain))
    if missing:
        raise KnowledgeBaseError(f"functions.toml: no plain-words text for {missing}")
    b.counts["entries"] = len(records)
    for name, count in consistency_faults(records).items():
        b.counts[f"consistency_{name}"] = len(count)
        log(f"Consistency check {name}: {len(count)}" + (f" e.g. {count[:3]}" if count else ""))
    for r in records:
        b.counts[f"vegan_{r['vegan']['status']}"] += 1
        b.counts[f"concern_{r['concern']['level']}"] += 1
        for f in r["flags"]:
            b.counts[f"flag_{f['id']}"] += 1

    lines = [
        json.dumps(r, ensure_ascii=False, sort_keys=True, separators=(",", ":")) for r in records
    ]
    index = []
    for r in records:
        names = [r["inci_name"], *(s["name"] for s in r["synonyms"])]
        keys = [[name_key(n), loose_key(n)] for n in names]
        index.append([r["id"], r["inci_name"], names[1:], 1 if r["summary"] else 0, keys])
    index_line = json.dumps(index, ensure_ascii=False, separators=(",", ":"))
    digest = hashlib.sha256("\n".join([index_line, *lines]).encode()).hexdigest()
    header = {
        "schema": KB_SCHEMA,
        "kb_version": f"{KB_SCHEMA}.{digest[:12]}",
        "inputs": dataset_digest(root, SOURCE_FILES),
        "curated_inputs": hashlib.sha256(
            b"".join(p.read_bytes() for p in sorted(curated.files))
        ).hexdigest()[:16],
        "counts": dict(sorted(b.counts.items())),
        "sources": _source_catalogue(b),
        "functions": dict(sorted(plain.items())),
        "flag_labels": rules.FLAG_LABELS,
        # Names derived by rule (plant common names): matched exactly, never loosely or fuzzily,
        # since common words sit close together ("Lemon" and "Melon", "Grape Fruit").
        "exact_only_names": sorted(
            {
                name_key(syn["name"])
                for r in records
                for syn in r["synonyms"]
                if syn["kind"] == "common" and syn["source"] == "cosing"
            }
        ),
    }
    payload = (
        "\n".join(
            [
                json.dumps(header, ensure_ascii=False, sort_keys=True, separators=(",", ":")),
                index_line,
                *lines,
            ]
        )
        + "\n"
    )
    out.parent.mkdir(parents=True, exist_ok=True)
    with (
        out.open("wb") as raw,
        gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=9) as gz,
    ):
        gz.write(payload.encode())
    log(
        f"Wrote {out} ({out.stat().st_size:,} bytes): {len(records)} entries, "
        f"kb_version {header['kb_version']}"
    )
    return header


def main(argv: Iterable[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(prog="python -m incilens.kb.build", description=__doc__)
    parser.add_argument(
        "--source",
        type=Path,
        default=Path("../shared/data"),
        help="the shared/data folder (default: ../shared/data)",
    )
    parser.add_argument(
        "--out", type=Path, default=DEFAULT_KB_PATH, help="where to write the knowledge base"
    )
    args = parser.parse_args(list(argv) if argv is not None else None)
    try:
        header = build(args.source, args.out)
    except KnowledgeBaseError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    for key, value in header["counts"].items():
        print(f"  {key}: {value:,}")
    return 0
