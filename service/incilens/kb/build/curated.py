"""Load and strictly validate the curated TOML files in ``kb/curated/``.

The curated files are written by the project: ingredient profiles, reference-page facts,
synonyms, comedogenicity name mappings and plain-words explanations of CosIng functions. Any
unknown key, wrong type or value outside a vocabulary fails the build with the file and entry.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from incilens.errors import KnowledgeBaseError

__all__ = [
    "CURATED_DIR",
    "Curated",
    "load_curated",
]

CURATED_DIR = Path(__file__).with_name("curated")

CONCERN_LEVELS = ("none", "low", "moderate", "high")
SKIN_VOCAB = frozenset(
    {
        "oily",
        "dry",
        "combination",
        "normal",
        "sensitive",
        "acne-prone",
        "rosacea",
        "eczema",
        "fungal-acne",
    }
)
VEGAN_VOCAB = frozenset({"vegan", "not_vegan", "depends"})
ORIGIN_VOCAB = frozenset(
    {"plant", "animal", "human", "mineral", "synthetic", "microbial", "petroleum", "mixed"}
)
SYNONYM_KINDS = frozenset({"common", "label", "us-eu", "trade", "ci"})
COMEDO_LISTS = frozenset(
    {"acneorg_fulton", "beneficialbotanicals", "hautschutzengel", "ezob", "cosdna_sephora"}
)

# key -> (type, required)
_PROFILE_SCHEMA: dict[str, tuple[type | tuple[type, ...], bool]] = {
    "inci": (str, True),
    "also": (list, False),
    "what_it_is": (str, True),
    "concern": (str, True),
    "concern_reason": (str, True),
    "pregnancy": (str, True),
    "pregnancy_caution": (bool, True),
    "sun": (str, True),
    "photosensitizing": (bool, True),
    "side_effects": (list, True),
    "not_ideal_for": (list, True),
    "not_ideal_reason": (str, False),
    "vegan": (str, False),
    "vegan_reason": (str, False),
    "origin": (str, False),
    "notable_active": (str, False),
    "common_names": (list, False),
}
_REFERENCE_EXTRA: dict[str, tuple[type | tuple[type, ...], bool]] = {
    "source": (str, True),
    "functions": (list, True),
    "comedogenic": (str, True),
    "suits": (str, True),
}


@dataclass(frozen=True)
class Curated:
    """Everything read from ``kb/curated/``."""

    profiles: list[dict[str, Any]]
    reference_pages: list[dict[str, Any]]
    synonyms: list[dict[str, Any]]
    comedogenic_names: list[dict[str, Any]]
    functions: dict[str, str]
    files: list[Path]
    allergen_names: list[dict[str, Any]] = field(default_factory=list)


def _load(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except OSError as e:
        raise KnowledgeBaseError(f"cannot read {path}: {e.strerror}") from e
    except tomllib.TOMLDecodeError as e:
        raise KnowledgeBaseError(f"{path}: {e}") from e


def _check(
    path: Path,
    where: str,
    entry: dict[str, Any],
    schema: dict[str, tuple[type | tuple[type, ...], bool]],
) -> None:
    for key in entry:
        if key not in schema:
            raise KnowledgeBaseError(f"{path}: {where}: unknown key {key!r}")
    for key, (kind, required) in schema.items():
        if key not in entry:
            if required:
                raise KnowledgeBaseError(f"{path}: {where}: missing key {key!r}")
            continue
        if not isinstance(entry[key], kind):
            raise KnowledgeBaseError(f"{path}: {where}: {key!r} has the wrong type")
        if isinstance(entry[key], str) and not entry[key].strip():
            raise KnowledgeBaseError(f"{path}: {where}: {key!r} is empty")
        if isinstance(entry[key], list) and not all(isinstance(v, str) for v in entry[key]):
            raise KnowledgeBaseError(f"{path}: {where}: {key!r} must be a list of strings")


def _check_profile(path: Path, where: str, p: dict[str, Any]) -> None:
    if p["concern"] not in CONCERN_LEVELS:
        raise KnowledgeBaseError(f"{path}: {where}: concern must be one of {CONCERN_LEVELS}")
    bad = set(p["not_ideal_for"]) - SKIN_VOCAB
    if bad:
        raise KnowledgeBaseError(f"{path}: {where}: not_ideal_for has unknown values {sorted(bad)}")
    if p["not_ideal_for"] and "not_ideal_reason" not in p:
        raise KnowledgeBaseError(f"{path}: {where}: not_ideal_reason is required")
    if "vegan" in p and (p["vegan"] not in VEGAN_VOCAB or "vegan_reason" not in p):
        raise KnowledgeBaseError(f"{path}: {where}: vegan needs a valid value and vegan_reason")
    if "origin" in p and p["origin"] not in ORIGIN_VOCAB:
        raise KnowledgeBaseError(f"{path}: {where}: origin must be one of {sorted(ORIGIN_VOCAB)}")


def load_curated(folder: Path = CURATED_DIR) -> Curated:
    """Read and validate every curated file under ``folder``."""
    files: list[Path] = []
    profiles: list[dict[str, Any]] = []
    for path in sorted((folder / "profiles").glob("*.toml")):
        files.append(path)
        for n, p in enumerate(_load(path).get("profile", []), start=1):
            where = f"profile #{n} ({p.get('inci', '?')})"
            _check(path, where, p, _PROFILE_SCHEMA)
            _check_profile(path, where, p)
            profiles.append({**p, "_file": path.name})

    ref_path = folder / "reference_pages.toml"
    files.append(ref_path)
    reference_pages: list[dict[str, Any]] = []
    for n, p in enumerate(_load(ref_path).get("page", []), start=1):
        where = f"page #{n} ({p.get('inci', '?')})"
        _check(ref_path, where, p, {**_PROFILE_SCHEMA, **_REFERENCE_EXTRA})
        _check_profile(ref_path, where, p)
        reference_pages.append(p)

    syn_path = folder / "synonyms.toml"
    files.append(syn_path)
    synonyms = _load(syn_path).get("synonym", [])
    for n, s in enumerate(synonyms, start=1):
        where = f"synonym #{n} ({s.get('name', '?')})"
        _check(
            syn_path,
            where,
            s,
            {"name": (str, True), "inci": (str, True), "kind": (str, True), "note": (str, False)},
        )
        if s["kind"] not in SYNONYM_KINDS:
            raise KnowledgeBaseError(
                f"{syn_path}: {where}: kind must be one of {sorted(SYNONYM_KINDS)}"
            )

    com_path = folder / "comedogenic_names.toml"
    files.append(com_path)
    comedogenic_names = _load(com_path).get("name", [])
    for n, c in enumerate(comedogenic_names, start=1):
        where = f"name #{n} ({c.get('name', '?')})"
        _check(
            com_path,
            where,
            c,
            {"list": (str, True), "name": (str, True), "inci": (list, True), "reason": (str, True)},
        )
        if c["list"] not in COMEDO_LISTS:
            raise KnowledgeBaseError(
                f"{com_path}: {where}: list must be one of {sorted(COMEDO_LISTS)}"
            )

    fn_path = folder / "functions.toml"
    files.append(fn_path)
    functions = _load(fn_path).get("functions", {})
    if not isinstance(functions, dict) or not all(
        isinstance(k, str) and isinstance(v, str) and v.strip() for k, v in functions.items()
    ):
        raise KnowledgeBaseError(f"{fn_path}: [functions] must map names to non-empty strings")
    all_path = folder / "allergen_names.toml"
    files.append(all_path)
    allergen_names = _load(all_path).get("allergen", [])
    for n, a in enumerate(allergen_names, start=1):
        where = f"allergen #{n} ({a.get('inci', '?')})"
        _check(all_path, where, a, {"ref": (str, True), "inci": (str, True), "reason": (str, True)})
    return Curated(
        profiles, reference_pages, synonyms, comedogenic_names, functions, files, allergen_names
    )
