"""The knowledge base at run time: load the packaged file once, validate it, look names up.

The file (``data/kb.jsonl.gz``, written by :mod:`incilens.kb.build`) is gzip-compressed JSON
lines: a header, an index of names, then one record per entry. Loading keeps the decompressed
bytes and an offset per record, builds the name indexes, and parses a record only when it is
asked for, so start-up stays fast and small. Records are validated into
:class:`~incilens.core.models.Ingredient` on first use, with errors naming the file and line.
"""

from __future__ import annotations

import bisect
import gzip
import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import orjson
from rapidfuzz import fuzz, process

from incilens.core.models import Ingredient
from incilens.core.normalize import colour_index_key, loose_key, name_key
from incilens.errors import KnowledgeBaseError

__all__ = ["DEFAULT_KB_PATH", "KB_SCHEMA", "KnowledgeBase", "SearchHit"]

KB_SCHEMA = 1
DEFAULT_KB_PATH = Path(__file__).parents[1] / "data" / "kb.jsonl.gz"

_HEADER_KEYS = ("schema", "kb_version", "counts", "sources", "functions", "flag_labels")


@dataclass(frozen=True)
class SearchHit:
    """One search result: the entry, the name that matched and how."""

    id: str
    inci_name: str
    matched: str
    method: str  # exact | prefix | word-prefix | fuzzy
    score: float

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form."""
        return {
            "id": self.id,
            "inci_name": self.inci_name,
            "matched": self.matched,
            "method": self.method,
            "score": round(self.score, 1),
        }


class KnowledgeBase:
    """The loaded knowledge base. Build it with :meth:`load`."""

    def __init__(self, path: Path, payload: bytes) -> None:
        """Parse header and index from ``payload``; prefer :meth:`load`."""
        self.path = path
        self._lines = payload.split(b"\n")
        if self._lines and not self._lines[-1]:
            self._lines.pop()
        if len(self._lines) < 2:
            raise KnowledgeBaseError(f"{path}: too short to be a knowledge base")
        self.header: dict[str, Any] = self._json_line(0)
        for key in _HEADER_KEYS:
            if key not in self.header:
                raise KnowledgeBaseError(f"{path}:1: header lacks {key!r}")
        if self.header["schema"] != KB_SCHEMA:
            raise KnowledgeBaseError(
                f"{path}:1: schema {self.header['schema']} but this code reads {KB_SCHEMA}; "
                "rebuild it with `make kb`"
            )
        #: Names matched only exactly (plant common names derived by rule; see kb.build).
        self.exact_only: frozenset[str] = frozenset(self.header.get("exact_only_names", ()))
        index = self._json_line(1)
        if not isinstance(index, list) or len(index) != len(self._lines) - 2:
            raise KnowledgeBaseError(f"{path}:2: the index does not match the number of records")
        self.ids: list[str] = []
        self.names: list[str] = []
        self.profiled: list[bool] = []
        self._by_id: dict[str, int] = {}
        self._by_key: dict[str, list[int]] = {}
        self._by_loose: dict[str, list[int]] = {}
        self._all_names: list[tuple[str, int, str]] = []  # (key, entry, name as written)
        # (name as written, entry, key, loose key, is the INCI name)
        self._name_rows: list[tuple[str, int, str, str, bool]] = []
        for n, row in enumerate(index):
            try:
                ident, inci, synonyms, profiled, keys = row
                named = list(zip([inci, *synonyms], keys, strict=True))
            except (TypeError, ValueError) as e:
                raise KnowledgeBaseError(f"{path}:2: index row {n} is malformed") from e
            self.ids.append(ident)
            self.names.append(inci)
            self.profiled.append(bool(profiled))
            self._by_id[ident] = n
            for i, (name, (key, loose)) in enumerate(named):
                self._name_rows.append((name, n, key, loose, i == 0 or key == keys[0][0]))
                self._by_key.setdefault(key, []).append(n)
                self._by_loose.setdefault(loose, []).append(n)
                self._all_names.append((key, n, name))
        self._all_names.sort()
        self._sorted_keys = [k for k, _, _ in self._all_names]
        words: dict[str, set[int]] = {}
        for key, n, _ in self._all_names:
            for word in re.findall(r"[A-Z0-9]+", key):
                words.setdefault(word, set()).add(n)
        self._words = sorted(words)
        self._word_sets = [words[w] for w in self._words]
        self._fuzzy_choices = {i: k for i, (k, _, _) in enumerate(self._all_names)}
        self._record = lru_cache(maxsize=4096)(self._parse_record)

    # -- loading ----------------------------------------------------------------------------
    @classmethod
    def load(cls, path: Path | str = DEFAULT_KB_PATH) -> KnowledgeBase:
        """Read and validate the knowledge base at ``path``."""
        path = Path(path)
        try:
            with gzip.open(path, "rb") as fh:
                payload = fh.read()
        except FileNotFoundError as e:
            raise KnowledgeBaseError(
                f"{path}: knowledge-base file is missing; rebuild it with `make kb`"
            ) from e
        except (OSError, EOFError, zlib.error) as e:
            raise KnowledgeBaseError(f"{path}: knowledge-base file is corrupt ({e})") from e
        return cls(path, payload)

    def _json_line(self, line: int) -> Any:
        try:
            return orjson.loads(self._lines[line])
        except (ValueError, UnicodeDecodeError) as e:  # orjson.JSONDecodeError is a ValueError
            raise KnowledgeBaseError(f"{self.path}:{line + 1}: not valid JSON ({e})") from e

    def _parse_record(self, n: int) -> Ingredient:
        record = self._json_line(n + 2)
        try:
            return Ingredient.from_record(record)
        except (KeyError, TypeError, ValueError) as e:
            raise KnowledgeBaseError(f"{self.path}:{n + 3}: invalid record ({e})") from e

    # -- facts about the KB ----------------------------------------------------------------
    @property
    def version(self) -> str:
        """The ``kb_version`` stamp."""
        return str(self.header["kb_version"])

    def __len__(self) -> int:
        return len(self.ids)

    def __iter__(self) -> Iterator[Ingredient]:
        for n in range(len(self.ids)):
            yield self._record(n)

    @property
    def sources(self) -> dict[str, dict[str, str]]:
        """The source catalogue: id → title, licence, attribution."""
        return dict(self.header["sources"])

    # -- look-ups ---------------------------------------------------------------------------
    def entry(self, n: int) -> Ingredient:
        """Return entry number ``n``."""
        return self._record(n)

    def find(self, name: str) -> int | None:
        """Return the entry number for an id, INCI name or synonym, or None.

        Case, accents, spacing and punctuation are ignored (in that order of preference: a
        name-key hit beats a letters-and-digits-only hit); printed colour-index forms such as
        "C.I. 77891" and "Cl 77891" are read as "CI 77891". Nothing is corrected: a damaged
        name ("Glycerln") is not found here. Correcting names needs the matcher's indexes
        (:meth:`incilens.kb.matching.Matcher.resolve_name`, what the analysis and the API's
        ingredient page use); this look-up serves search and the CLI without building them.
        """
        text = name.strip()
        if text in self._by_id:
            return self._by_id[text]
        key = colour_index_key(name_key(text))
        for table, k in ((self._by_key, key), (self._by_loose, loose_key(key))):
            hits = table.get(k)
            if hits:
                # The INCI name spelled exactly so, then one with the same key, then a synonym.
                for n in hits:
                    if self.names[n].upper() == text.upper():
                        return n
                for n in hits:
                    if name_key(self.names[n]) == key:
                        return n
                return hits[0]
        return None

    def iter_names(self) -> Iterator[tuple[str, int, str, str, bool]]:
        """Yield every name and synonym as ``(written, entry, key, loose key, is_inci_name)``."""
        yield from self._name_rows

    def lookup(self, name: str) -> Ingredient | None:
        """Return the ingredient for an id, INCI name or synonym, or None."""
        n = self.find(name)
        return None if n is None else self._record(n)

    def suggest(self, name: str, *, limit: int = 5, score_cutoff: float = 70.0) -> list[str]:
        """Return up to ``limit`` INCI names close to ``name`` ("did you mean")."""
        return [hit.inci_name for hit in self.search(name, limit=limit, score_cutoff=score_cutoff)]

    def search(self, query: str, *, limit: int = 10, score_cutoff: float = 75.0) -> list[SearchHit]:
        """Rank entries for a query: exact, then prefix, then word-prefix, then fuzzy.

        Within a tier, entries with a curated profile (the common ingredients) come first,
        then shorter names. Each entry appears once, under its best-matching name.
        """
        key = name_key(query)
        if not key:
            return []
        found: dict[int, SearchHit] = {}

        def take(n: int, matched: str, method: str, score: float) -> None:
            if n not in found and len(found) < limit:
                found[n] = SearchHit(self.ids[n], self.names[n], matched, method, score)

        exact = self.find(query)
        if exact is not None:
            written = self.names[exact]
            if name_key(written) != key:
                at = bisect.bisect_left(self._sorted_keys, key)
                written = next(
                    (w for k, n, w in self._all_names[at : at + 50] if k == key and n == exact),
                    query.strip(),
                )
            take(exact, written, "exact", 100.0)
        pool: dict[int, tuple[tuple[int, int, int, str], str, str]] = {}
        lo = bisect.bisect_left(self._sorted_keys, key)
        hi = bisect.bisect_left(self._sorted_keys, key + "\uffff")
        for name_k, n, written in self._all_names[lo:hi]:
            inci_k = name_key(self.names[n])
            shown = self.names[n] if inci_k.startswith(key) else written
            rank = (0 if self.profiled[n] else 1, 0, len(name_k), name_k)
            if n not in pool or rank < pool[n][0]:
                pool[n] = (rank, shown, "prefix")
        tokens = re.findall(r"[A-Z0-9]+", key)
        if tokens:
            sets = []
            for token in tokens:
                a = bisect.bisect_left(self._words, token)
                b = bisect.bisect_left(self._words, token + "\uffff")
                union: set[int] = set()
                for word_set in self._word_sets[a:b]:
                    union |= word_set
                sets.append(union)
            for n in set.intersection(*sets):
                if n not in pool:
                    inci_k = name_key(self.names[n])
                    rank = (0 if self.profiled[n] else 1, 1, len(inci_k), inci_k)
                    pool[n] = (rank, self.names[n], "word-prefix")
        for n, (_, shown, method) in sorted(pool.items(), key=lambda item: item[1][0]):
            take(n, shown, method, 95.0 if method == "prefix" else 90.0)
        if len(found) < limit:
            for _, score, i in process.extract(
                key,
                self._fuzzy_choices,
                scorer=fuzz.ratio,
                processor=None,
                limit=limit * 3,
                score_cutoff=score_cutoff,
            ):
                _, n, written = self._all_names[i]
                take(n, written, "fuzzy", float(score))
        return list(found.values())
