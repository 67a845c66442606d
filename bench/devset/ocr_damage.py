"""Simulated OCR damage for the development set: the slips Tesseract makes on printed labels.

Used by build_text_devset.py; deterministic for a given ``random.Random``. :func:`damage` applies,
in this order:

1. a case change of the whole text: a third of the texts in capitals (as many labels are
   printed), a tenth in lower case, the rest as written;
2. one damage event per 25-40 characters (the rate is drawn per text): a look-alike glyph
   (l/1/I/|, O/0, e/c, S/5, B/8, rn/m, cl/d, Cl/CI), a lost, doubled or inserted space, or a lost
   comma (", " read as " ", "," dropped, or read as "."), each event touching one or two
   characters, so most items come through whole;
3. wrapping into lines of 30-45 characters, with some long words hyphenated across the break
   ("Glyc-" / "erin").
"""

from __future__ import annotations

import random
import re

GLYPHS = {
    "l": "1I|",
    "I": "l1|",
    "1": "lI",
    "i": "l",
    "O": "0",
    "0": "O",
    "e": "c",
    "c": "e",
    "S": "5",
    "5": "S",
    "B": "8",
    "8": "B",
    ".": ",",
}
PAIRS = {"rn": "m", "m": "rn", "cl": "d", "d": "cl", "Cl": "CI", "CI": "Cl", "RN": "M"}
PAIR_RE = re.compile("|".join(sorted(map(re.escape, PAIRS), key=len, reverse=True)))
KINDS = (("glyph", 0.6), ("space", 0.2), ("comma", 0.2))


def _case(text: str, rng: random.Random) -> str:
    roll = rng.random()
    if roll < 1 / 3:
        return text.upper()
    if roll < 1 / 3 + 0.1:
        return text.lower()
    return text


def _edits(text: str, rng: random.Random) -> list[tuple[int, int, str]]:
    """Choose the (start, length, replacement) edits for one text."""
    sites: dict[str, list[tuple[int, int, str]]] = {"glyph": [], "space": [], "comma": []}
    for i, ch in enumerate(text):
        if ch in GLYPHS and (ch not in "ec" or rng.random() < 0.4):  # e/c: common, few slips
            sites["glyph"].append((i, 1, rng.choice(GLYPHS[ch])))
        elif ch == " " and 0 < i < len(text) - 1:
            sites["space"].append((i, 1, rng.choice(["", "", "  "])))
        elif ch == ",":
            spaced = text[i + 1 : i + 2] == " "
            sites["comma"].append((i, 1, rng.choice(["", "."] if spaced else [" ", "."])))
        if ch.isalpha() and i + 1 < len(text) and text[i + 1].isalpha() and rng.random() < 0.05:
            sites["space"].append((i + 1, 0, " "))  # a space inside a word
    for m in PAIR_RE.finditer(text):
        sites["glyph"].append((m.start(), len(m.group()), PAIRS[m.group()]))
    events = round(len(text) * rng.uniform(1 / 36, 1 / 26))  # pairs and merges touch two
    kinds = [k for k, _ in KINDS if sites[k]]
    weights = [w for k, w in KINDS if sites[k]]
    chosen: dict[int, tuple[int, int, str]] = {}
    for _ in range(events if kinds else 0):
        kind = rng.choices(kinds, weights)[0]
        start, length, new = rng.choice(sites[kind])
        if all(start + length < s or s + n < start for s, n, _ in chosen.values()):
            chosen[start] = (start, length, new)
    return [chosen[k] for k in sorted(chosen, reverse=True)]


def _wrap(text: str, rng: random.Random) -> str:
    width = rng.randint(30, 45)
    lines: list[str] = []
    line = ""
    for word in text.split(" "):
        if not line:
            line = word
            continue
        if len(line) + 1 + len(word) <= width:
            line += " " + word
            continue
        room = width - len(line) - 2  # a space and the hyphen
        if len(word) >= 8 and room >= 3 and word[:3].isalpha() and rng.random() < 0.35:
            cut = rng.randint(3, min(room, len(word) - 3))
            if word[:cut].isalpha() and word[cut].isalpha():
                lines.append(f"{line} {word[:cut]}-")
                line = word[cut:]
                continue
        lines.append(line)
        line = word
    lines.append(line)
    return "\n".join(lines)


def damage(text: str, rng: random.Random) -> str:
    """Return ``text`` as a plausible OCR reading of a printed label."""
    text = _case(text, rng)
    for start, length, new in _edits(text, rng):
        text = text[:start] + new + text[start + length :]
    return _wrap(text, rng)
