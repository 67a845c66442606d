r"""Match list items to knowledge-base entries: exact, synonym, normalised, OCR-folded, fuzzy.

:class:`Matcher` is built once per knowledge base (at app start) and holds every index the
look-ups need, so matching an item costs a few dictionary probes and, only when those fail, one
bounded fuzzy search:

1. **Dictionary** probes, most certain first: the name key (case, accents, spacing around
   punctuation ignored; ``exact`` for an INCI name, ``synonym`` otherwise), the letters-and-digits
   key (``normalized``: lost or extra spaces, punctuation), then the OCR-folded key (``ocr``:
   l/1/I, O/0, rn/m, cl/d, S/5, B/8 confusions cost nothing).
2. **Structure**, still by dictionary: "Aqua (Water)" (the name outside or inside brackets),
   "Water/Aqua/Eau" and "Water\Aqua\Eau" (alternatives naming one entry, or a list written
   with slashes), "A and B", and items run together by a lost comma or line break
   ("Glycerin Niacinamide", split where every part is a known name).
3. **Fuzzy**: Levenshtein distance on OCR-folded keys, searched only among names of a similar
   length (length buckets built at start-up), with a distance allowance that grows with the
   name's length, numbers that must agree exactly, and a uniqueness rule: when two different
   entries are equally close the item stays unrecognised. Precision comes first: an item that
   matches nothing well is reported with its nearest candidates, never forced onto one.

Pure: no I/O and no Flask.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from incilens.core.models import Match, Resolved, Token
from incilens.core.normalize import loose_key, name_key, ocr_fold
from incilens.kb.knowledge import KnowledgeBase
from incilens.kb.matching.fuzzy import TrigramIndex, max_distance
from incilens.kb.matching.names import (
    AND,
    COLOUR_INDEX,
    COMMA,
    COMPOUND_WORDS,
    DIGITS,
    cut_outside_brackets,
    first_bracket_span,
    has_brackets,
    name_keys,
    strip_brackets,
    word_units,
)

__all__ = ["MATCHER_VERSION", "Matcher", "Resolved", "max_distance"]

MATCHER_VERSION = "2"


#: Items longer than this (in characters) are never names; they are reported unrecognised.
MAX_NAME_CHARS = 160

_SLASH = re.compile(r"\s*/\s*")
_BLEND_AND = re.compile(r"\(\s*and\s*\)", re.IGNORECASE)


#: Most words an item may have for the "lost separator" split to be tried.
MAX_SPLIT_WORDS = 16


@dataclass(frozen=True)
class _Hit:
    entry: int
    written: str
    method: str
    score: float


_Part = tuple[int, int, "_Hit | None", tuple[str, ...]]


class Matcher:
    """Every index needed to match names against one knowledge base; build once, reuse."""

    def __init__(self, kb: KnowledgeBase) -> None:
        """Index every INCI name and synonym of ``kb`` by key, loose key and OCR-folded key."""
        self.kb = kb
        self._key: dict[str, list[tuple[int, str, bool]]] = {}
        self._loose: dict[str, list[tuple[int, str, bool]]] = {}
        self._folded: dict[str, list[tuple[int, str, bool]]] = {}
        for written, n, key, loose, is_inci in kb.iter_names():
            if key in kb.exact_only and not is_inci:  # a derived common name: exact only
                self._key.setdefault(key, []).append((n, written, is_inci))
                continue
            folded = ocr_fold(loose)
            for table, k in ((self._key, key), (self._loose, loose), (self._folded, folded)):
                table.setdefault(k, []).append((n, written, is_inci))
        # Words that are names on their own but mostly parts of longer names (OIL, ALCOHOL,
        # EXTRACT, SODIUM ...): never split a run-together item into such a lone word.
        inside: dict[str, int] = {}
        for key in self._key:
            words = key.split()
            if len(words) > 1:
                for word in set(words):
                    inside[word] = inside.get(word, 0) + 1
        self._fragments = frozenset(w for w, count in inside.items() if count >= 15)
        self._analyse = lru_cache(maxsize=1 << 15)(self._analyse_uncached)
        self._matches = lru_cache(maxsize=1 << 15)(self._matches_uncached)
        # What comes before the first "/" of a name: "CAPRYLIC" for CAPRYLIC/CAPRIC TRIGLYCERIDE.
        self._slash_heads = frozenset(k.split("/", 1)[0] for k in self._key if "/" in k)
        # Fuzzy choices: every folded key, in a trigram index.
        self._index = TrigramIndex(self._folded)

    def clear_caches(self) -> None:
        """Forget every memoised name (benchmarks use this to time unseen lists)."""
        self._analyse.cache_clear()
        self._matches.cache_clear()
        name_keys.cache_clear()
        name_key.cache_clear()

    def equivalent(self, a: int, b: int) -> bool:
        """Whether two entries name one substance (they share a CAS number: AQUA and WATER)."""
        if a == b:
            return True
        cas_a = set(self.kb.entry(a).cas)
        return bool(cas_a and cas_a & set(self.kb.entry(b).cas))

    def _distinct(self, entries: Sequence[int]) -> int:
        """How many different substances ``entries`` name."""
        kept: list[int] = []
        for n in entries:
            if not any(self.equivalent(n, k) for k in kept):
                kept.append(n)
        return len(kept)

    # -- single names ---------------------------------------------------------------------------
    def lookup(self, text: str) -> _Hit | None:
        """Return the dictionary hit for ``text`` (no fuzzy search), or None."""
        key, loose, folded = name_keys(text)
        if not key:
            return None
        rows = self._key.get(key)
        if rows:
            return self._pick(rows, "exact" if any(r[2] for r in rows) else "synonym")
        rows = self._loose.get(loose)
        if rows:
            return self._pick(rows, "normalized")
        rows = self._folded.get(folded)
        if rows and len(loose) >= 3:
            entries = {r[0] for r in rows}
            if len(entries) == 1:
                return self._pick(rows, "ocr")
            # Several entries share the fold: keep the one clearly closest to what was read.
            ranked = sorted((Levenshtein.distance(loose, loose_key(r[1])), r) for r in rows)
            if ranked[0][0] < ranked[1][0] or ranked[0][1][0] == ranked[1][1][0]:
                return self._pick([ranked[0][1]], "ocr")
        return None

    def resolve_name(self, name: str) -> tuple[int, Match] | None:
        """One name read as the analysis reads a list item, or None unless it is one ingredient.

        The same resolver as :meth:`resolve` (dictionaries, OCR folds, then fuzzy), for a name
        on its own: the API's ingredient page uses it, so ``Glycerln`` finds GLYCERIN there as
        in a list. A name that reads as several ingredients, or as none, gives None.

        Returns:
            The entry number and the :class:`Match` saying how the name was read.
        """
        clean = " ".join(name.split())
        parts = self._analyse(clean) if clean else ()
        if len(parts) != 1:
            return None
        start, end, hit, _ = parts[0]
        if hit is None or (start, end) != (0, len(clean)):
            return None
        return hit.entry, self._match(hit, clean)

    def _pick(self, rows: list[tuple[int, str, bool]], method: str) -> _Hit:
        # An INCI name beats a synonym; then the entry with a curated profile; then the first.
        n, written, _ = min(rows, key=lambda r: (not r[2], not self.kb.profiled[r[0]]))
        score = {"exact": 100.0, "synonym": 100.0, "normalized": 99.0, "ocr": 95.0}[method]
        return _Hit(n, written, method, score)

    def fuzzy(self, text: str) -> tuple[_Hit | None, tuple[str, ...]]:
        """Return the unique close match of ``text`` (or None) and the nearest candidates."""
        _, loose, folded = name_keys(text)
        allowed = max_distance(len(folded))
        if allowed == 0:
            return None, ()  # too short to correct safely
        found = self._ranked(folded, allowed, allowed + 1)
        if found:
            best_dist, best, written = found[0]
            rival = next((d for d, n, _ in found if n != best), None)
            unique = rival is None or rival > best_dist  # else two entries are equally close
            unique = unique and best_dist <= allowed
            same_numbers = DIGITS.findall(loose) == DIGITS.findall(loose_key(written))
            if unique and same_numbers:  # "PEG-175" is not "PEG-150"
                score = fuzz.ratio(name_key(text), name_key(written))
                return _Hit(best, written, "fuzzy", float(score)), self._names(found)
        return None, self._names(found)  # no safe match: offer the nearest as candidates

    def _ranked(self, folded: str, allowed: int, reach: int) -> list[tuple[int, int, str]]:
        found = [
            (dist, n, written)
            for dist, key in self._index.near(folded, allowed, reach)
            for n, written, _ in self._folded[key]
        ]
        found.sort(key=lambda f: (f[0], not self.kb.profiled[f[1]], f[2]))
        return found

    def _names(self, found: list[tuple[int, int, str]]) -> tuple[str, ...]:
        return tuple(dict.fromkeys(self.kb.names[n] for _, n, _ in found))[:3]

    # -- items ------------------------------------------------------------------------------
    def resolve_all(self, tokens: Sequence[Token]) -> list[Resolved]:
        """Match every token, then rejoin names a comma cut in two.

        "Hydroxyethyl Acrylate, Sodium Acryloyldimethyl Taurate Copolymer" is one ingredient
        printed with a comma: when an item is unrecognised and joining it with the next one or
        two (by "/", ", " or a space) gives a known name, the joined item replaces them.
        """
        out: list[Resolved] = []
        resolved = [self.resolve(t) for t in tokens]
        i = 0
        while i < len(tokens):
            merged = self._merge(tokens, resolved, i)
            if merged is not None:
                item, used = merged
                out.append(item)
                i += used
                continue
            out.extend(resolved[i])
            i += 1
        return out

    def _merge(
        self, tokens: Sequence[Token], resolved: list[list[Resolved]], i: int
    ) -> tuple[Resolved, int] | None:
        if i + 1 >= len(tokens):
            return None
        first = tokens[i]
        if (
            all(r.match for r in resolved[i])
            and name_keys(first.clean)[0] not in self._slash_heads
            and all(r.match for r in resolved[i + 1])
        ):
            return None  # the usual case: two known ingredients, no name "<first>/..."
        for used in (2, 3):
            group = tokens[i : i + used]
            if len(group) < used or any(t.list_index != first.list_index for t in group):
                return None
            hit: _Hit | None = None
            if all(r.match for rs in resolved[i : i + used] for r in rs):
                # Every part is an ingredient on its own: only an exact name joined by "/"
                # counts ("Caprylic, Capric Triglyceride"), checked on the cached keys.
                keys = [name_keys(t.clean)[0] for t in group]
                if keys[0] not in self._slash_heads:
                    return None
                rows = self._key.get("/".join(keys))
                if rows:
                    hit = self._pick(rows, "exact" if any(r[2] for r in rows) else "synonym")
            else:
                for glue in ("/", ", ", " "):
                    hit = self.lookup(glue.join(t.clean for t in group))
                    if hit:
                        break
            if hit:
                last = group[-1]
                match = self._match(hit, " ".join(t.clean for t in group))
                start = first.span(0, len(first.clean))[0] if first.clean else first.start
                end = last.span(0, len(last.clean))[1] if last.clean else last.end
                return Resolved(first, start, end, match.read_as, match, hit.entry), used
        return None

    def resolve(self, token: Token) -> list[Resolved]:
        """Match one token; it may turn out to hold several ingredients (a lost comma)."""
        return [
            Resolved(token, *token.span(i, j), read_as, match, entry, candidates)
            for i, j, read_as, match, entry, candidates in self._matches(token.clean)
        ]

    def _matches_uncached(
        self, clean: str
    ) -> tuple[tuple[int, int, str, Match | None, int | None, tuple[str, ...]], ...]:
        """The parts of a cleaned item with their :class:`Match` (memoised per name)."""
        return tuple(
            (i, j, clean[i:j], None if hit is None else self._match(hit, clean[i:j]),
             None if hit is None else hit.entry, candidates)
            for i, j, hit, candidates in self._analyse(clean)
        )  # fmt: skip

    def _analyse_uncached(self, clean: str) -> tuple[_Part, ...]:
        """Match a cleaned item: its parts as ``(start, end, hit or None, candidates)``.

        The same names recur in list after list, so :meth:`_analyse` caches this per name.
        """
        if len(clean) > MAX_NAME_CHARS:
            return ((0, len(clean), None, ()),)
        hit = self.lookup(clean)
        if hit:
            return ((0, len(clean), hit, ()),)
        structures = self._structures(clean)
        named = self._colour_with_name(clean)
        if named:  # "CI 77288 / CHROMIUM": the colour index and what it is, one colourant
            return ((0, len(clean), named, ()),)
        for parts in structures:  # a list written with slashes or "and": all parts known
            hits = [self._lookup_part(clean[i:j]) for i, j in parts]
            entries = [h.entry for h in hits if h]
            plain = _BLEND_AND.sub(" ", clean)  # "A (and) B": a blend, not a bracket
            if all(hits) and not has_brackets(plain) and self._distinct(entries) == len(hits):
                return tuple((i, j, h, ()) for (i, j), h in zip(parts, hits, strict=True))
        split = self._split_run_together(clean)
        if split:  # "Glycerin Niacinamide": a lost comma or line break
            return tuple((i, j, h, ()) for i, j, h in split)
        if "/" in clean or "\\" in clean:  # a damaged compound: "Lactobacillus/Algac Ferment"
            hit, _ = self.fuzzy(clean)
            if hit:
                return ((0, len(clean), hit, ()),)
        for parts in structures:  # alternatives naming one entry: "Water/Aqua/Eau"
            hit = self._alternatives(clean, parts)
            if hit:
                return ((0, len(clean), hit, ()),)
        bracket_free = strip_brackets(clean)
        inner = first_bracket_span(clean)
        inner_text = clean[inner[0] : inner[1]] if inner else ""
        if inner and COLOUR_INDEX.match(inner_text):  # "Violet 2 (CI 60730)": the number
            hit = self.lookup(inner_text)
            if hit:
                return ((0, len(clean), hit, ()),)
        if inner and "," in inner_text and self.lookup(bracket_free) is None:
            # "Iron Oxides (CI 77491, CI 77492, CI 77499)": the bracket lists the ingredients
            spans = [
                (inner[0] + i, inner[0] + j) for i, j in cut_outside_brackets(inner_text, COMMA)
            ]
            hits = [self.lookup(clean[i:j]) for i, j in spans]
            if len(hits) > 1 and all(hits):
                return tuple((i, j, h, ()) for (i, j), h in zip(spans, hits, strict=True))
        if bracket_free and bracket_free != clean:
            hit = self.lookup(bracket_free)  # "Aqua (Water)", "Glycerin (Vegetable)"
            if hit:
                return ((0, len(clean), hit, ()),)
            if len(bracket_free.split()) <= 1 and len(inner_text) >= 4:
                hit = self.lookup(inner_text)  # "Eau (Aqua)": the bracket holds the name
                if hit:
                    return ((0, len(clean), hit, ()),)
        hit, candidates = self.fuzzy(clean)
        if hit is None and bracket_free and bracket_free != clean:
            hit, _ = self.fuzzy(bracket_free)
        if hit:
            return ((0, len(clean), hit, ()),)
        return ((0, len(clean), None, candidates),)

    def _colour_with_name(self, clean: str) -> _Hit | None:
        """The colour index of "CI 77288 / CHROMIUM" or "CI 19140/Yellow 5", else None.

        EU labels print a colourant's CI number with its name or US name after a slash; the
        name describes the CI number (CHROMIUM for chromium(III) oxide) and is not a second
        ingredient, so reading it as one would report a banned element that is not there.
        Exactly two parts, one a known CI number and the other no CI number.
        """
        parts = cut_outside_brackets(clean, _SLASH)
        if len(parts) != 2:
            return None
        texts = [clean[i:j].strip() for i, j in parts]
        colour = [bool(COLOUR_INDEX.match(name_keys(t)[0])) for t in texts]
        if colour.count(True) != 1:
            return None
        return self.lookup(texts[colour.index(True)])

    def _lookup_part(self, part: str) -> _Hit | None:
        hit = self.lookup(part)
        if hit is None and ("(" in part or "[" in part):
            hit = self.lookup(strip_brackets(part))
        return hit

    def _alternatives(self, clean: str, parts: list[tuple[int, int]]) -> _Hit | None:
        """One entry named in several languages ("Yeast Extract/Faex/Extrait de Levure").

        Every part that names an entry must name the same substance (entries sharing a CAS
        number count as one: FAEX and YEAST EXTRACT), and no unrecognised part may read like the
        rest of a compound name ("Lactobacillus/Punica Granatum Fruit Ferment Extract" is one
        ferment, not lactobacillus).
        """
        hits = [self._lookup_part(clean[i:j]) for i, j in parts]
        named = [h.entry for h in hits if h]
        if not named or self._distinct(named) != 1:
            return None
        known = next(h for h in hits if h)
        unknown = [clean[i:j] for (i, j), h in zip(parts, hits, strict=True) if h is None]
        last = name_key(known.written).split(" ")[-1]
        for rest in unknown:
            # "Glycine Soja Oil/Soybean Oil": a common name ending in the same word as the
            # INCI name (OIL, EXTRACT, STARCH ...) names the same thing; any other unknown
            # part that reads like the rest of a compound ("Punica Granatum Fruit Ferment
            # Extract" after "Lactobacillus") makes the item one unknown compound.
            words = name_key(strip_brackets(rest)).split(" ")
            if len(words) > 1 and words[-1] == last:
                continue
            if COMPOUND_WORDS.search(name_key(rest)):
                return None
        return known

    def _structures(self, clean: str) -> list[list[tuple[int, int]]]:
        """Candidate ways to cut ``clean`` into parts: slashes, backslashes, "and"."""
        out: list[list[tuple[int, int]]] = []
        for pattern in (r"\s*\\\s*", r"\s*/\s*", AND.pattern):
            parts = cut_outside_brackets(clean, re.compile(pattern, re.IGNORECASE))
            if len(parts) > 1:
                out.append(parts)
        return out

    def _split_run_together(self, clean: str) -> list[tuple[int, int, _Hit]] | None:
        """Split "Glycerin Niacinamide" into known names, fewest parts first, or None."""
        words = word_units(clean)
        if not 2 <= len(words) <= MAX_SPLIT_WORDS:
            return None
        count = len(words)
        best: list[tuple[int, list[tuple[int, int, _Hit]]] | None] = [None] * (count + 1)
        best[0] = (0, [])
        for j in range(1, count + 1):
            for i in range(j):
                prev = best[i]
                if prev is None or (i == 0 and j == count):
                    continue
                part = clean[words[i][0] : words[j - 1][1]]
                lone = j - i == 1 and name_key(part) in self._fragments
                if j - i == 1 and len(part) < 4:
                    continue
                hit = self.lookup(part)
                if hit is None:
                    continue
                # A lone fragment word ("Water", "Alcohol") costs more than a full name.
                cand = (
                    prev[0] + (3 if lone else 1),
                    [*prev[1], (words[i][0], words[j - 1][1], hit)],
                )
                current = best[j]
                if current is None or cand[0] < current[0]:
                    best[j] = cand
        done = best[count]
        if done is None or done[0] >= 3 * len(done[1]):
            return None  # only fragment words ("Coconut Alcohol"): a name we do not know
        parts = done[1]
        if self._distinct([hit.entry for _, _, hit in parts]) == 1:
            return None  # "Yellow 5 (CI 19140)": one ingredient named twice, not a lost comma
        return parts

    def _match(self, hit: _Hit, read_as: str) -> Match:
        return Match(
            entry_id=self.kb.ids[hit.entry],
            inci_name=self.kb.names[hit.entry],
            matched_name=hit.written,
            read_as=read_as,
            score=hit.score,
            method=hit.method,
        )
