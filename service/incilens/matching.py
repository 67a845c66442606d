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
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from incilens.knowledge import KnowledgeBase
from incilens.models import Match, Token
from incilens.normalize import colour_index_key, loose_key, name_key, ocr_fold

__all__ = ["MATCHER_VERSION", "Matcher", "Resolved"]

MATCHER_VERSION = "1"

#: Items longer than this (in characters) are never names; they are reported unrecognised.
MAX_NAME_CHARS = 160
#: Most words an item may have for the "lost separator" split to be tried.
MAX_SPLIT_WORDS = 16

_DIGITS = re.compile(r"\d+")
_AND = re.compile(r"\s*\(and\)\s*|\s+(?:and|&|et|und|y|e)\s+", re.IGNORECASE)
_BRACKETED = re.compile(r"\s*[(\[][^()\[\]]*[)\]]\s*")
_NOT_ALNUM = re.compile(r"[^0-9A-Z]+")
_COMMA = re.compile(r"\s*,\s*")
_COLOUR_INDEX = re.compile(r"^C\s*[.,]?\s*[IiLl1|]\s*[.,]?\s*\d{5}$")
# Words that continue a compound INCI name after a slash (ferments, polymers, extracts).
_COMPOUND_WORDS = re.compile(
    r"\b(?:FERMENT|FILTRATE|LYSATE|COPOLYMER|CROSSPOLYMER|POLYMER|EXTRACT|OIL|ESTERS?|ETHER|"
    r"ACRYLATES?|ACRYLATE|GLYCERIDES?|HYDROLYSATE|CULTURE)\b"
)


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


@dataclass(frozen=True)
class _Hit:
    entry: int
    written: str
    method: str
    score: float


_Part = tuple[int, int, "_Hit | None", tuple[str, ...]]


def max_distance(length: int) -> int:
    """Return the Levenshtein distance allowed for a folded key of ``length`` characters.

    Examples:
        >>> [max_distance(n) for n in (4, 6, 12, 24, 30)]
        [0, 1, 2, 2, 3]
    """
    if length < 6:
        return 0
    if length < 12:
        return 1
    if length < 25:
        return 2
    return 3


class Matcher:
    """Every index needed to match names against one knowledge base; build once, reuse."""

    def __init__(self, kb: KnowledgeBase) -> None:
        """Index every INCI name and synonym of ``kb`` by key, loose key and OCR-folded key."""
        self.kb = kb
        self._key: dict[str, list[tuple[int, str, bool]]] = {}
        self._loose: dict[str, list[tuple[int, str, bool]]] = {}
        self._folded: dict[str, list[tuple[int, str, bool]]] = {}
        for written, n, key, loose, is_inci in kb.iter_names():
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
        # What comes before the first "/" of a name: "CAPRYLIC" for CAPRYLIC/CAPRIC TRIGLYCERIDE.
        self._analyse = lru_cache(maxsize=1 << 15)(self._analyse_uncached)
        self._matches = lru_cache(maxsize=1 << 15)(self._matches_uncached)
        self._slash_heads = frozenset(k.split("/", 1)[0] for k in self._key if "/" in k)
        # Fuzzy choices: every folded key, and a trigram index over them whose postings are
        # sorted by key length (with the lengths alongside, to cut a length window by bisection).
        self._fold_keys = sorted(self._folded, key=len)
        grams: dict[str, list[int]] = {}
        for i, folded in enumerate(self._fold_keys):
            for gram in {folded[j : j + 3] for j in range(len(folded) - 2)}:
                grams.setdefault(gram, []).append(i)
        lengths = [len(k) for k in self._fold_keys]
        self._grams = {g: (tuple(v), array("H", [lengths[i] for i in v])) for g, v in grams.items()}

    def clear_caches(self) -> None:
        """Forget every memoised name (benchmarks use this to time unseen lists)."""
        self._analyse.cache_clear()
        self._matches.cache_clear()
        _keys.cache_clear()
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
        key, loose, folded = _keys(text)
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

    def _pick(self, rows: list[tuple[int, str, bool]], method: str) -> _Hit:
        # An INCI name beats a synonym; then the entry with a curated profile; then the first.
        n, written, _ = min(rows, key=lambda r: (not r[2], not self.kb.profiled[r[0]]))
        score = {"exact": 100.0, "synonym": 100.0, "normalized": 99.0, "ocr": 95.0}[method]
        return _Hit(n, written, method, score)

    def _near(self, folded: str, allowed: int, reach: int) -> list[tuple[int, str]]:
        """Folded keys within ``reach`` edits of ``folded`` (complete up to ``allowed``).

        Pigeonhole blocking: ``allowed`` edits can damage at most ``allowed`` of the query's
        pieces. With ``allowed + 3`` pieces at least three stay whole, so after dropping the
        commonest piece a match still holds two of the others: the candidates are the keys
        found by at least two pieces (each piece found through the intersection of its rarest
        trigram postings, cut to the possible key lengths by bisection). Shorter queries use
        ``allowed + 2`` pieces (two whole, none dropped) or ``allowed + 1`` (one whole). Only a
        few keys are scored instead of every name in the knowledge base.
        """
        size = len(folded)
        if size >= 3 * (allowed + 3):
            parts, need, drop = allowed + 3, 2, True
        elif size >= 3 * (allowed + 2):
            parts, need, drop = allowed + 2, 2, False
        else:
            parts, need, drop = allowed + 1, 1, False
        cut = size // parts
        pieces = [folded[i * cut : (i + 1) * cut] for i in range(parts - 1)]
        pieces.append(folded[(parts - 1) * cut :])
        low, high = size - reach, size + reach
        plans: list[tuple[int, list[tuple[int, int, tuple[int, ...]]]]] = []
        for piece in pieces:
            windows: list[tuple[int, int, tuple[int, ...]]] = []  # (start, stop, postings)
            for j in range(len(piece) - 2):
                posting = self._grams.get(piece[j : j + 3])
                if posting is None:
                    windows = []  # a trigram no key has: no key holds this piece whole
                    break
                ids, lengths = posting
                windows.append((bisect_left(lengths, low), bisect_right(lengths, high), ids))
            windows.sort(key=lambda w: w[1] - w[0])
            plans.append((windows[0][1] - windows[0][0] if windows else 0, windows))
        if drop:
            plans.remove(max(plans, key=lambda plan: plan[0]))
        found: list[set[int]] = []
        for _, windows in plans:
            if windows:  # the keys holding all of the piece's rarest trigrams
                a, b, ids = windows[0]
                keys_with_piece = set(ids[a:b])
                for a, b, ids in windows[1:3]:
                    keys_with_piece.intersection_update(ids[a:b])
                found.append(keys_with_piece)
        candidates: set[int] = set()
        if need == 1:
            candidates = candidates.union(*found)
        else:
            for i, first in enumerate(found):
                for second in found[i + 1 :]:
                    candidates |= first & second
        near: list[tuple[int, str]] = []
        for i in candidates:
            key = self._fold_keys[i]
            dist = Levenshtein.distance(folded, key, score_cutoff=reach)
            if dist <= reach:
                near.append((dist, key))
        return near

    def fuzzy(self, text: str) -> tuple[_Hit | None, tuple[str, ...]]:
        """Return the unique close match of ``text`` (or None) and the nearest candidates."""
        _, loose, folded = _keys(text)
        allowed = max_distance(len(folded))
        if allowed == 0:
            return None, ()  # too short to correct safely
        found = self._ranked(folded, allowed, allowed + 1)
        if found:
            best_dist, best, written = found[0]
            rival = next((d for d, n, _ in found if n != best), None)
            unique = rival is None or rival > best_dist  # else two entries are equally close
            unique = unique and best_dist <= allowed
            same_numbers = _DIGITS.findall(loose) == _DIGITS.findall(loose_key(written))
            if unique and same_numbers:  # "PEG-175" is not "PEG-150"
                score = fuzz.ratio(name_key(text), name_key(written))
                return _Hit(best, written, "fuzzy", float(score)), self._names(found)
        return None, self._names(found)  # no safe match: offer the nearest as candidates

    def _ranked(self, folded: str, allowed: int, reach: int) -> list[tuple[int, int, str]]:
        found = [
            (dist, n, written)
            for dist, key in self._near(folded, allowed, reach)
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
            and _keys(first.clean)[0] not in self._slash_heads
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
                keys = [_keys(t.clean)[0] for t in group]
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
        for parts in structures:  # a list written with slashes or "and": all parts known
            hits = [self._lookup_part(clean[i:j]) for i, j in parts]
            entries = [h.entry for h in hits if h]
            if all(hits) and not _bracketed(clean) and self._distinct(entries) == len(hits):
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
        bracket_free = _strip_brackets(clean)
        inner = _inner(clean)
        inner_text = clean[inner[0] : inner[1]] if inner else ""
        if inner and _COLOUR_INDEX.match(inner_text):  # "Violet 2 (CI 60730)": the number
            hit = self.lookup(inner_text)
            if hit:
                return ((0, len(clean), hit, ()),)
        if inner and "," in inner_text and self.lookup(bracket_free) is None:
            # "Iron Oxides (CI 77491, CI 77492, CI 77499)": the bracket lists the ingredients
            spans = [(inner[0] + i, inner[0] + j) for i, j in _cut(inner_text, _COMMA)]
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

    def _lookup_part(self, part: str) -> _Hit | None:
        hit = self.lookup(part)
        if hit is None and ("(" in part or "[" in part):
            hit = self.lookup(_strip_brackets(part))
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
        rest = " ".join(clean[i:j] for (i, j), h in zip(parts, hits, strict=True) if h is None)
        if _COMPOUND_WORDS.search(name_key(rest)):
            return None
        return next(h for h in hits if h)

    def _structures(self, clean: str) -> list[list[tuple[int, int]]]:
        """Candidate ways to cut ``clean`` into parts: slashes, backslashes, "and"."""
        out: list[list[tuple[int, int]]] = []
        for pattern in (r"\s*\\\s*", r"\s*/\s*", _AND.pattern):
            parts = _cut(clean, re.compile(pattern, re.IGNORECASE))
            if len(parts) > 1:
                out.append(parts)
        return out

    def _split_run_together(self, clean: str) -> list[tuple[int, int, _Hit]] | None:
        """Split "Glycerin Niacinamide" into known names, fewest parts first, or None."""
        words = _units(clean)
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


@lru_cache(maxsize=1 << 16)
def _keys(text: str) -> tuple[str, str, str]:
    """The name key (colour indexes read as ``CI nnnnn``), loose key and OCR fold of ``text``."""
    key = colour_index_key(name_key(text))
    loose = _NOT_ALNUM.sub("", key)
    return key, loose, ocr_fold(loose)


def _units(text: str) -> list[tuple[int, int]]:
    """Word spans for splitting; a bracket stays with the word before it ("Aqua (Water)").

    Examples:
        >>> t = "Oryza Sativa (Rice) Bran Extract"
        >>> [t[i:j] for i, j in _units(t)]
        ['Oryza', 'Sativa (Rice)', 'Bran', 'Extract']
    """
    units: list[tuple[int, int]] = []
    depth, start = 0, None
    for i, ch in enumerate(text):
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth = max(0, depth - 1)
        if ch == " " and depth == 0:
            following = text[i + 1 : i + 2]
            if start is not None and following not in ("(", "["):
                units.append((start, i))
                start = None
            continue
        if start is None:
            start = i
    if start is not None:
        units.append((start, len(text)))
    return units


def _cut(text: str, pattern: re.Pattern[str]) -> list[tuple[int, int]]:
    """Cut ``text`` at ``pattern`` outside brackets; return the non-empty parts' spans."""
    parts: list[tuple[int, int]] = []
    pos = 0
    for m in pattern.finditer(text):
        before = text[: m.start()]
        if before.count("(") != before.count(")") or before.count("[") != before.count("]"):
            continue
        if text[pos : m.start()].strip():
            parts.append((pos, m.start()))
        pos = m.end()
    if text[pos:].strip():
        parts.append((pos, len(text)))
    return parts


def _strip_brackets(text: str) -> str:
    """Remove bracketed parts, nested ones included.

    Examples:
        >>> _strip_brackets("Butyrospermum Parkii Butter (Butyrospermum Parkii (Shea Butter))")
        'Butyrospermum Parkii Butter'
    """
    while True:
        stripped = _BRACKETED.sub(" ", text)
        if stripped == text:
            return " ".join(text.split())
        text = stripped


def _inner(text: str) -> tuple[int, int] | None:
    """Return the span of the content of the first bracket pair in ``text``."""
    m = re.search(r"[(\[]\s*([^()\[\]]+?)\s*[)\]]", text)
    return (m.start(1), m.end(1)) if m else None


def _bracketed(text: str) -> bool:
    return "(" in text or "[" in text
