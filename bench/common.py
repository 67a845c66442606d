"""Helpers shared by the benchmark and evaluation scripts."""

from __future__ import annotations

from collections.abc import Sequence


def split_outside(text: str, separators: str = ",;") -> list[str]:
    """Split on separators outside brackets, dropping empty pieces (the naive splitter)."""
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth = max(0, depth - 1)
        elif depth == 0 and ch in separators:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return [part.strip().strip(".*").strip() for part in parts if part.strip(" .*\n")]


def pct(values: Sequence[float], q: float) -> float:
    """The ``q`` quantile of ``values`` (nearest rank)."""
    return sorted(values)[min(len(values) - 1, int(q * len(values)))]
