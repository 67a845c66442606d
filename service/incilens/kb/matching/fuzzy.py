"""The fuzzy side of matching: the edit allowance and a trigram index over folded names.

The index finds the few names within the allowed number of edits without scoring all of them.
Pure.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Iterable

from rapidfuzz.distance import Levenshtein

__all__ = ["TrigramIndex", "max_distance"]


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


class TrigramIndex:
    """OCR-folded keys, sorted by length, with a trigram index whose postings keep that order.

    Each posting carries the lengths of its keys alongside, so the keys of a possible length are
    cut out by bisection.
    """

    def __init__(self, keys: Iterable[str]) -> None:
        """Index ``keys`` (built once, at start-up)."""
        self.keys = sorted(keys, key=len)
        grams: dict[str, list[int]] = {}
        for i, key in enumerate(self.keys):
            for gram in {key[j : j + 3] for j in range(len(key) - 2)}:
                grams.setdefault(gram, []).append(i)
        lengths = [len(k) for k in self.keys]
        self._grams = {g: (tuple(v), array("H", [lengths[i] for i in v])) for g, v in grams.items()}

    def near(self, folded: str, allowed: int, reach: int) -> list[tuple[int, str]]:
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
            key = self.keys[i]
            dist = Levenshtein.distance(folded, key, score_cutoff=reach)
            if dist <= reach:
                near.append((dist, key))
        return near
