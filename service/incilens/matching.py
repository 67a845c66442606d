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
from dataclasses import dataclass

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


def max_distance(length: int) -> int:
    """Return the Levenshtein distance allowed for a folded key of ``length`` characters.

    Examples:
        >>> [max_distance(n) for n in (4, 6, 10, 16, 30)]
        [0, 1, 2, 3, 4]
    """
    if length < 6:
        return 0
    if length < 10:
        return 1
    if length < 16:
        return 2
    if length < 25:
        return 3
    return 4


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
        # Fuzzy choices: every folded key, and a trigram index by (trigram, key length).
        self._fold_keys = list(self._folded)
        grams: dict[tuple[str, int], list[int]] = {}
        for i, folded in enumerate(self._fold_keys):
            size = len(folded)
            for gram in {folded[j : j + 3] for j in range(size - 2)}:
                grams.setdefault((gram, size), []).append(i)
        self._grams = {k: tuple(v) for k, v in grams.items()}

    # -- single names ---------------------------------------------------------------------------
    def lookup(self, text: str) -> _Hit | None:
        """Return the dictionary hit for ``text`` (no fuzzy search), or None."""
        key = colour_index_key(name_key(text))
        if not key:
            return None
        rows = self._key.get(key)
        if rows:
            return self._pick(rows, "exact" if any(r[2] for r in rows) else "synonym")
        loose = loose_key(key)
        rows = self._loose.get(loose)
        if rows:
            return self._pick(rows, "normalized")
        folded = ocr_fold(loose)
        rows = self._folded.get(folded)
        if rows and len(loose) >= 4:
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

        Pigeonhole blocking: cut the query into ``allowed + 2`` pieces; a key within
        ``allowed`` edits keeps at least two of them unchanged, so the commonest piece can be
        skipped and every other piece is looked up by its rarest trigram among keys of a
        possible length, then checked as a substring. Only a few dozen keys get scored instead
        of every name in the knowledge base. (Short queries use ``allowed + 1`` pieces, all
        looked up.)
        """
        size = len(folded)
        parts = allowed + 2 if size >= 3 * (allowed + 2) else allowed + 1
        cut = size // parts
        pieces = [folded[i * cut : (i + 1) * cut] for i in range(parts - 1)]
        pieces.append(folded[(parts - 1) * cut :])
        lengths = range(max(3, size - allowed), size + allowed + 1)
        plans = []
        for piece in pieces:
            trigrams = [piece[j : j + 3] for j in range(len(piece) - 2)]
            if not trigrams:
                continue  # only when looking beyond the guaranteed reach (candidates)
            rarest = [
                min((self._grams.get((g, length), ()) for g in trigrams), key=len)
                for length in lengths
            ]
            plans.append((sum(map(len, rarest)), piece, rarest))
        if parts == allowed + 2 and plans:
            plans.remove(max(plans, key=lambda plan: plan[0]))
        seen: set[int] = set()
        near: list[tuple[int, str]] = []
        for _, piece, rarest in plans:
            for posting in rarest:
                for i in posting:
                    if i in seen:
                        continue
                    seen.add(i)
                    key = self._fold_keys[i]
                    if piece in key:
                        dist = Levenshtein.distance(folded, key, score_cutoff=reach)
                        if dist <= reach:
                            near.append((dist, key))
        return near

    def fuzzy(self, text: str) -> tuple[_Hit | None, tuple[str, ...]]:
        """Return the unique close match of ``text`` (or None) and the nearest candidates."""
        loose = loose_key(colour_index_key(name_key(text)))
        folded = ocr_fold(loose)
        allowed = max_distance(len(folded))
        if allowed == 0:
            return None, ()  # too short to correct safely
        found = self._ranked(folded, allowed, allowed)
        if found:
            best_dist, best, written = found[0]
            rival = next((d for d, n, _ in found if n != best), None)
            unique = rival is None or rival > best_dist  # else two entries are equally close
            same_numbers = _DIGITS.findall(loose) == _DIGITS.findall(loose_key(written))
            if unique and same_numbers:  # "PEG-175" is not "PEG-150"
                score = fuzz.ratio(name_key(text), name_key(written))
                return _Hit(best, written, "fuzzy", float(score)), self._names(found)
        # No safe match: look a little further for "did you mean" candidates.
        return None, self._names(self._ranked(folded, allowed + 1, allowed + 2))

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
    def resolve(self, token: Token) -> list[Resolved]:
        """Match one token; it may turn out to hold several ingredients (a lost comma)."""
        clean = token.clean
        if len(clean) > MAX_NAME_CHARS:
            return [self._unmatched(token, 0, len(clean), ())]
        hit = self.lookup(clean)
        if hit:
            return [self._matched(token, 0, len(clean), hit)]
        for parts in self._structures(clean):
            hits = [self.lookup(clean[i:j]) for i, j in parts]
            named = {h.entry for h in hits if h}
            first = next((h for h in hits if h), None)
            if first and len(named) == 1 and 2 * sum(map(bool, hits)) >= len(hits):
                # Alternatives naming one entry: "Water/Aqua/Eau", "Aqua (and) Water".
                return [self._matched(token, 0, len(clean), first)]
            if all(hits) and len(named) > 1 and not _bracketed(clean):
                return [
                    self._matched(token, i, j, h)
                    for (i, j), h in zip(parts, hits, strict=True)
                    if h
                ]
        bracket_free = _BRACKETED.sub(" ", clean).strip()
        if bracket_free and bracket_free != clean:
            hit = self.lookup(bracket_free)  # "Aqua (Water)", "Glycerin (Vegetable)"
            if hit:
                return [self._matched(token, 0, len(clean), hit)]
            inner = _inner(clean)
            hit = self.lookup(clean[inner[0] : inner[1]]) if inner else None
            if hit:  # "(Water) Aqua"-style or a bracket holding the real name
                return [self._matched(token, 0, len(clean), hit)]
        hit, candidates = self.fuzzy(clean)
        if hit is None and bracket_free and bracket_free != clean:
            hit, _ = self.fuzzy(bracket_free)
        if hit:
            return [self._matched(token, 0, len(clean), hit)]
        split = self._split_run_together(clean)
        if split:
            return [self._matched(token, i, j, h) for i, j, h in split]
        return [self._unmatched(token, 0, len(clean), candidates)]

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
        words = [(m.start(), m.end()) for m in re.finditer(r"\S+", clean)]
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
                if j - i == 1 and (len(part) < 4 or name_key(part) in self._fragments):
                    continue
                hit = self.lookup(part)
                if hit is None:
                    continue
                cand = (prev[0] + 1, [*prev[1], (words[i][0], words[j - 1][1], hit)])
                current = best[j]
                if current is None or cand[0] < current[0]:
                    best[j] = cand
        done = best[count]
        return done[1] if done else None

    def _matched(self, token: Token, i: int, j: int, hit: _Hit) -> Resolved:
        start, end = token.span(i, j)
        match = Match(
            entry_id=self.kb.ids[hit.entry],
            inci_name=self.kb.names[hit.entry],
            matched_name=hit.written,
            read_as=token.clean[i:j],
            score=hit.score,
            method=hit.method,
        )
        return Resolved(token, start, end, token.clean[i:j], match, hit.entry)

    def _unmatched(self, token: Token, i: int, j: int, candidates: tuple[str, ...]) -> Resolved:
        start, end = token.span(i, j) if j > i else (token.start, token.end)
        return Resolved(token, start, end, token.clean[i:j], None, None, candidates)


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


def _inner(text: str) -> tuple[int, int] | None:
    """Return the span of the content of the first bracket pair in ``text``."""
    m = re.search(r"[(\[]\s*([^()\[\]]+?)\s*[)\]]", text)
    return (m.start(1), m.end(1)) if m else None


def _bracketed(text: str) -> bool:
    return "(" in text or "[" in text
