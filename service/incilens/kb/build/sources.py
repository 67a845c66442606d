"""Readers for the public datasets the knowledge base is built from.

Each reader takes the dataset folder (``shared/data``) and returns plain rows. Errors name the
file and the line. This module is used only by the build (``python -m incilens.kb.build``); the
running service never reads these files.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from incilens.errors import KnowledgeBaseError

__all__ = [
    "DATASETS",
    "AnnexRow",
    "ComedoRow",
    "CosingRow",
    "Dataset",
    "dataset_digest",
    "read_allergens",
    "read_annex",
    "read_comedogenic",
    "read_cosing",
    "read_glossary",
    "read_on_notice",
]


@dataclass(frozen=True)
class Dataset:
    """A dataset the build reads, with its attribution."""

    id: str
    folder: str
    title: str
    licence: str
    attribution: str


DATASETS: tuple[Dataset, ...] = (
    Dataset(
        "cosing",
        "cosing",
        "EU CosIng inventory of cosmetic ingredients (export of 15/12/2021)",
        "Commission Decision 2011/833/EU (reuse with attribution)",
        "© European Union; CosIng has no legal value. Converted to CSV by Kaw-Aii/skintwinformx.",
    ),
    Dataset(
        "eu-glossary-2025",
        "eu-glossary-2025",
        "EU glossary of common ingredient names (2025 version)",
        "Commission Decision 2011/833/EU (reuse with attribution)",
        "© European Union. Copied from mouadlouhichi/flousy-app.",
    ),
    Dataset(
        "eu-annexes",
        "eu-annexes",
        "Annexes II-VI of Regulation (EC) No 1223/2009 (CosIng export, last update 28/08/2026)",
        "Commission Decision 2011/833/EU; packaged by on-the-list 0.1.4 (MIT)",
        "© European Union. Files from the PyPI package on-the-list (github.com/Waiga/on-the-list).",
    ),
    Dataset(
        "eu-fragrance-allergens",
        "flags",
        "EU fragrance allergens requiring labelling (Regulation (EU) 2023/1545, from Annex III)",
        "Commission Decision 2011/833/EU",
        "© European Union. Derived from the Annex III export.",
    ),
    Dataset(
        "eu-on-notice",
        "flags",
        "Upcoming EU cosmetics deadlines (on-notice 0.1.3 register, built 2026-09-18 from EUR-Lex)",
        "MIT (on-notice); EUR-Lex content © European Union",
        "From the PyPI package on-notice 0.1.3.",
    ),
    Dataset(
        "acneorg_fulton",
        "comedogenicity",
        "Fulton-style comedogenicity and irritancy list as republished on acne.org",
        "no stated licence (facts only are used)",
        "Via junian/comedogenic (dataAcneOrg.dump.js).",
    ),
    Dataset(
        "beneficialbotanicals",
        "comedogenicity",
        "Comedogenicity of oils and butters (beneficialbotanicals.com)",
        "no stated licence (facts only are used)",
        "Via junian/comedogenic (dataBotanic.dump.js).",
    ),
    Dataset(
        "hautschutzengel",
        "comedogenicity",
        "Comedogenicity list of hautschutzengel.de",
        "no stated licence (facts only are used)",
        "Via junian/comedogenic (dataHautschutzEngel.dump.js).",
    ),
    Dataset(
        "ezob",
        "comedogenicity",
        "Comedogenicity and irritancy list of e-zob/comedogenic-ingredients",
        "no stated licence (facts only are used)",
        "From e-zob/comedogenic-ingredients, backend/ingredients.csv.",
    ),
    Dataset(
        "cosdna_sephora",
        "comedogenicity",
        "CosDNA acne and irritant ratings of Sephora skincare ingredients",
        "no stated licence (facts only are used)",
        "Via weifanchen/Knowledge-Graph-For-Cosmetics.",
    ),
)

_CAS = re.compile(r"\b\d{2,7}-\d{2}-\d\b")
_EC = re.compile(r"\b\d{3}-\d{3}-\d\b")


def _open_text(path: Path, encoding: str = "utf-8") -> str:
    try:
        return path.read_text(encoding=encoding)
    except OSError as e:
        raise KnowledgeBaseError(f"cannot read {path}: {e.strerror}") from e
    except UnicodeDecodeError as e:
        raise KnowledgeBaseError(f"{path}: not valid {encoding} ({e.reason})") from e


def dataset_digest(root: Path, files: list[str]) -> str:
    """Return a short sha256 over the named files under ``root`` (the build's input stamp)."""
    digest = hashlib.sha256()
    for rel in sorted(files):
        digest.update(rel.encode())
        digest.update((root / rel).read_bytes())
    return digest.hexdigest()[:16]


def split_ids(text: str, pattern: re.Pattern[str]) -> tuple[str, ...]:
    """Return the distinct CAS or EC numbers found in ``text``, in order."""
    seen: dict[str, None] = {}
    for found in pattern.findall(text):
        seen.setdefault(found, None)
    return tuple(seen)


@dataclass(frozen=True)
class CosingRow:
    """One CosIng inventory entry."""

    line: int
    ref: str
    inci_name: str
    cas: tuple[str, ...]
    ec: tuple[str, ...]
    description: str
    restriction: str
    functions: tuple[str, ...]
    updated: str
    inn_name: str = ""
    ph_eur_name: str = ""


def read_cosing(root: Path) -> list[CosingRow]:
    """Read the CosIng export; the first of two rows with the same name wins."""
    path = root / "cosing" / "cosing_ingredients_2021-12.csv"
    rows: list[CosingRow] = []
    seen: set[str] = set()
    reader = csv.DictReader(io.StringIO(_open_text(path)))
    for line, raw in enumerate(reader, start=2):
        name = (raw.get("inci_name") or "").strip()
        if not name:
            raise KnowledgeBaseError(f"{path}:{line}: empty inci_name")
        if name in seen:
            continue
        seen.add(name)
        functions = tuple(
            dict.fromkeys(f.strip() for f in (raw["function"] or "").split(",") if f.strip())
        )
        rows.append(
            CosingRow(
                line=line,
                ref=raw["cosing_ref_no"].strip(),
                inci_name=name,
                cas=split_ids(raw["cas_no"] or "", _CAS),
                ec=split_ids(raw["ec_no"] or "", _EC),
                description=" ".join((raw["chem_iupac_name___description"] or "").split()),
                restriction=" ".join((raw["restriction"] or "").split()),
                functions=functions,
                updated=raw["update_date"].strip(),
                inn_name=" ".join((raw.get("inn_name") or "").split()),
                ph_eur_name=" ".join((raw.get("ph_eur_name") or "").split()),
            )
        )
    return rows


def read_glossary(root: Path) -> list[tuple[int, str]]:
    """Read the 2025 glossary: ``(entry number, name)`` in file order."""
    path = root / "eu-glossary-2025" / "eu-inci-glossary-2025.tsv"
    out: list[tuple[int, str]] = []
    lines = _open_text(path).splitlines()
    for line, text in enumerate(lines[1:], start=2):
        parts = text.split("\t")
        if len(parts) != 2 or not parts[0].isdigit():
            raise KnowledgeBaseError(f"{path}:{line}: expected 'entry<TAB>name'")
        out.append((int(parts[0]), parts[1].strip()))
    return out


@dataclass(frozen=True)
class AnnexRow:
    """One row of an EU annex export."""

    annex: str
    ref: str
    line: int
    chemical_name: str
    glossary_names: str
    identified: str
    cas: tuple[str, ...]
    product_type: str
    max_concentration: str
    other: str
    warnings: str
    sccs: str
    regulation: str
    updated: str
    cells: dict[str, str] = field(default_factory=dict, compare=False, repr=False)

    @property
    def deleted(self) -> bool:
        """Whether the row only says the entry was moved or deleted."""
        return self.chemical_name.strip().lower().startswith("moved or deleted")


def read_annex(root: Path, annex: str) -> list[AnnexRow]:
    """Read one annex export (``annex`` is ``"II"`` … ``"VI"``)."""
    path = root / "eu-annexes" / f"annex_{annex}.csv"
    text = _open_text(path, encoding="utf-8-sig")
    records = list(csv.reader(io.StringIO(text)))
    header_at = next((i for i, r in enumerate(records) if r and r[0] == "Reference Number"), None)
    if header_at is None:
        raise KnowledgeBaseError(f"{path}: no 'Reference Number' header row")
    header = records[header_at]
    rows: list[AnnexRow] = []
    for offset, record in enumerate(records[header_at + 1 :], start=header_at + 2):
        if not any(cell.strip() for cell in record):
            continue
        cells = {h: (record[i] if i < len(record) else "") for i, h in enumerate(header)}

        def cell(*names: str, _cells: dict[str, str] = cells) -> str:
            for name in names:
                if name in _cells:
                    return " ".join(_cells[name].split())
            return ""

        rows.append(
            AnnexRow(
                annex=annex,
                ref=cell("Reference Number"),
                line=offset,
                chemical_name=cell("Chemical name / INN", "Chemical name"),
                glossary_names=cell(
                    "Name of Common Ingredients Glossary",
                    "Colour index Number / Name of Common Ingredients Glossary",
                ),
                identified=cell("Identified INGREDIENTS or substances e.g."),
                cas=split_ids(cell("CAS Number"), _CAS),
                product_type=cell("Product Type, body parts"),
                max_concentration=cell("Maximum concentration in ready for use preparation"),
                other=cell("Other"),
                warnings=cell("Wording of conditions of use and warnings"),
                sccs=cell("SCCS opinions"),
                regulation=cell("Regulation"),
                updated=cell("Update Date"),
                cells=cells,
            )
        )
    return rows


def read_allergens(root: Path) -> list[dict[str, str]]:
    """Read the EU fragrance-allergen list derived from Annex III."""
    path = root / "flags" / "eu_fragrance_allergens_from_annexIII.csv"
    return [dict(r) for r in csv.DictReader(io.StringIO(_open_text(path)))]


def read_on_notice(root: Path) -> list[dict[str, Any]]:
    """Read the dated provisions of the on-notice register (all three kinds)."""
    path = root / "flags" / "on_notice_register.json"
    try:
        data = json.loads(_open_text(path))
    except json.JSONDecodeError as e:
        raise KnowledgeBaseError(f"{path}:{e.lineno}: {e.msg}") from e
    out: list[dict[str, Any]] = []
    for section in ("entries", "labelling_only", "restriction_text_not_recovered"):
        out.extend(data.get(section, []))
    return out


@dataclass(frozen=True)
class ComedoRow:
    """One row of a comedogenicity list: the name as the list spells it and its ratings."""

    source: str
    line: int
    name: str
    match_name: str
    comedogenic: str
    irritancy: str


def read_comedogenic(root: Path) -> list[ComedoRow]:
    """Read the five comedogenicity lists into one row type."""
    folder = root / "comedogenicity"
    specs = (
        ("acneorg_fulton", "acneorg_fulton_list.csv", "ingredient", "comedogenicity", "irritancy"),
        (
            "beneficialbotanicals",
            "beneficialbotanicals_list.csv",
            "ingredient",
            "comedogenicity",
            "",
        ),
        ("hautschutzengel", "hautschutzengel_list.csv", "ingredient_en_de", "comedogenicity", ""),
        ("ezob", "ezob_ingredients.csv", "Ingredients", "Comedogenicity", "Irritancy"),
        ("cosdna_sephora", "cosdna_sephora_ingredients.csv", "name", "acne", "irritant"),
    )
    rows: list[ComedoRow] = []
    for source, filename, name_col, comedo_col, irr_col in specs:
        reader = csv.DictReader(io.StringIO(_open_text(folder / filename)))
        for line, raw in enumerate(reader, start=2):
            name = (raw.get(name_col) or "").strip()
            comedo = (raw.get(comedo_col) or "").strip()
            irritancy = (raw.get(irr_col) or "").strip() if irr_col else ""
            if not name or not (comedo or irritancy):
                continue
            english = name.split(" / ")[0].strip() if source == "hautschutzengel" else name
            rows.append(ComedoRow(source, line, name, english, comedo, irritancy))
    return rows
