"""Build the labelled development set for text analysis (bench/devset/text/*.jsonl).

Usage: python bench/devset/build_text_devset.py [--shared ../shared/data] [--audit] [--check]

A fixed-seed sample of product lists from the shared Kaggle/Sephora file is labelled and written
as three sets of JSON lines, one row per text:
- clean: the list text exactly as the file has it;
- damaged: the same texts with simulated OCR damage (see ocr_damage.py);
- pack: each list set in whole-pack text, plus two-product kits and texts with no list (pack.py).

Gold labels come from a careful split of each list (commas and semicolons outside brackets, "(and)"
blends, sentence breaks; disclaimers, key-ingredient blurbs, product-name prefixes, footnotes and
concentrations dropped) and from look-ups in the knowledge base: the whole item, the item without
a leading "Organic", its colour-index numbers, the item without its bracketed parts, each bracketed
part, each "/" or "\\" alternative. Every item the look-ups do not settle, and every look-up
result worth a second look, is decided by hand in text/review.toml (see devset/README.md).
--audit prints the automatic decisions for review and any item still undecided; --check exits
non-zero while one is undecided.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import re
import tomllib
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# Sibling modules: the script's own folder is first on sys.path when it is run as a script.
from ocr_damage import damage
from pack import kit_text, no_list_text, pack_text

from incilens.kb.knowledge import KnowledgeBase

HERE = Path(__file__).resolve().parent
OUT = HERE / "text"
SEED = 20240611
SAMPLE = 250
VERDICTS = ("unknown", "not_ingredient")
EDGE_MARKS = " -\u2022.*+\u2020"  # space, hyphen, bullet, full stop, footnote marks

NO_LIST = re.compile(r"^\s*(No Info|#NAME\?|Visit the .* boutique)\s*$", re.I)
DISCLAIMER = re.compile(
    r"Please be aware that ingredient lists may change.*?(?:list of ingredients\.?|$)", re.S
)
BLURB = re.compile(r"(?:^|\s)-[A-Z][^:.,]{1,60}:\s[^.]*\.")  # "-Vitamin C: Brightens skin."
RECORD = re.compile(r"\s*Rds Product Name:.*?Division:\s*\w+\s*\([^)]*\)")  # a pasted header
# "[+/- May contain: ...]", "(+/-) ...", "[May Contain/Peut Contenir/+/-: ...]"
MAY_CONTAIN = re.compile(
    r"[\[(]\s*(?:\+\s*/\s*-?\s*\)?\s*(?:May Contain\s*:?)?|May Contain[^:,\]]*:)", re.I
)
SENTENCE = re.compile(r"(?<!\bSt)(?<!\bNo)(?<!\bExt)(?<!\bvar)\.\s+(?=[-*+A-Z])")
BLEND = re.compile(r"\s*\(and\)\s*", re.I)
GLUED_PERCENT = re.compile(r"(?<=%)(?=[A-Z])")
FOOTNOTE = re.compile(r"\s\*+\s*[A-Za-z].*$")
PERCENT = re.compile(r"\s*\(?\d+(?:[.,]\d+)?\s*%\)?")
SOFT_HYPHEN = re.compile(r"(?<=[a-z])- (?=[a-z])")
BRACKETED = re.compile(r"\s*[\[(][^\[\]()]*[\])]")
LOCANT = re.compile(r"(?:^|[\s(,])\d+$")  # the "1" of "1,2-Hexanediol", not the "8" of "PEG-8,"
DIGIT_RUN = re.compile(r" ?\d+-")  # the "2-" of "1,2-Hexanediol" or "1, 2-Hexanediol"
COLOUR_INDEX = re.compile(r"\bC\.?\s?[Il]\.?\s?\d{5}(?!\d)", re.I)
FIVE_DIGITS = re.compile(r"(?<!\d)\d{5}(?!\d)")
ORGANIC = re.compile(r"^(?:Certified\s+)?Organic\s+", re.I)


def split_for_labels(text: str, separators: str = ",;") -> list[str]:
    """Split on separators outside brackets; a comma between digits ("1,2-") is kept."""
    opened: list[int] = []
    for i, ch in enumerate(text):
        if ch in "([{":
            opened.append(i)
        elif ch in ")]}" and opened:
            opened.pop()
    unclosed = set(opened)  # a bracket that never closes would swallow the rest of the list
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        if i in unclosed:
            continue
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth = max(0, depth - 1)
        elif depth == 0 and ch in separators:
            if (
                ch == ","
                and LOCANT.search(text[max(0, i - 6) : i])
                and DIGIT_RUN.match(text, i + 1)
            ):
                continue
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return parts


def pieces(text: str) -> Iterator[str]:
    """Yield the raw item texts of a list, before any clean-up of a single item."""
    text = DISCLAIMER.sub(" ", text)
    text = RECORD.sub(", ", BLURB.sub(" ", text))
    text = MAY_CONTAIN.sub(", ", text)
    for item in split_for_labels(text):
        for k, sentence in enumerate(SENTENCE.split(item)):
            if k and sentence.lstrip()[:1] in "*+†":  # "... Linalool. *Organic." is a footnote
                continue
            for part in BLEND.split(sentence):
                yield from GLUED_PERCENT.split(part)


def clean(piece: str) -> str:
    """Drop a label prefix ("Toner:"), footnotes, concentrations, markers and soft hyphens."""
    text = piece.rsplit(":", 1)[-1] if ":" in piece else piece
    text = FOOTNOTE.sub("", text.strip())
    text = PERCENT.sub("", text)
    text = SOFT_HYPHEN.sub("", text)
    for left, right in ("()", "[]"):  # a bracket left open or closed by a split
        if text.count(left) > text.count(right):
            text = text.replace(left, " ", 1)
        elif text.count(right) > text.count(left):
            text = text[::-1].replace(right, " ", 1)[::-1]
    return " ".join(text.strip(EDGE_MARKS).split())


@dataclass
class Labeller:
    """Turns item texts into gold names with the knowledge base and the reviewed decisions."""

    kb: KnowledgeBase
    decisions: dict[str, Any]
    by_row: dict[str, dict[str, Any]]
    used: set[str] = field(default_factory=set)
    auto: Counter[tuple[str, str, str]] = field(default_factory=Counter)
    undecided: Counter[str] = field(default_factory=Counter)

    def verdict(self, key: str, row: int) -> list[str] | None:
        """Return the reviewed decision for an item text, for this row or for every row."""
        entry = self.by_row.get(str(row), {}).get(key)
        if entry is not None:
            self.used.add(f"{row}:{key}")
        elif (entry := self.decisions.get(key)) is not None:
            self.used.add(key)
        else:
            return None
        value = entry["as"] if isinstance(entry, dict) else entry
        return [value] if isinstance(value, str) else list(value)

    def resolve(self, item: str) -> tuple[list[str], str]:
        """Look the item up whole, then by colour index, outside and inside its brackets, then
        by alternative; return the INCI names found (none, one, or one per colour index)."""
        find = self.kb.find
        for how, text in (("whole", item), ("no-organic", ORGANIC.sub("", item))):
            if (n := find(text)) is not None:
                return [self.kb.names[n]], how
        # An explicit colour-index number is more specific than the colour's name ("Violet 2 (CI
        # 60730)" is CI 60730 though "Violet 2" alone is CI 60725), and "Iron Oxides (CI 77491,
        # 77492, 77499)" declares three pigments.
        if COLOUR_INDEX.search(item):
            hits = [find(f"CI {number}") for number in FIVE_DIGITS.findall(item)]
            if names := [self.kb.names[n] for n in hits if n is not None]:
                return names, "colour-index"
        outside = item
        while BRACKETED.search(outside):  # innermost first: "A (B (C))" -> "A (B)" -> "A"
            outside = BRACKETED.sub("", outside)
        candidates = [("outside-brackets", ORGANIC.sub("", outside))]
        for inner in re.findall(r"[\[(]([^\[\]()]*)[\])]", item):
            candidates += [("inside-brackets", alt) for alt in inner.split(",")]
        for alt in re.split(r"\s*[/\\]\s*", outside):
            candidates.append(("slash-alternative", alt))
        for how, text in candidates:
            if text.strip() and (n := find(text)) is not None:
                return [self.kb.names[n]], how
        return [], "none"

    def label(self, piece: str, row: int) -> Iterator[tuple[str, str | None]]:
        """Yield (item text, INCI name or None when the KB lacks it) for each ingredient."""
        item = clean(piece)
        if not item:
            return
        raw = " ".join(piece.split())
        decided = self.verdict(raw, row) if raw != item else None
        if decided is None:
            decided = self.verdict(item, row)
        if decided is not None:
            for value in decided:
                if value == "unknown":
                    yield item, None
                elif value != "not_ingredient":
                    yield item, value
            return
        names, how = self.resolve(item)
        if not names:
            self.undecided[item] += 1
            yield item, None
            return
        if how != "whole" or item != raw:
            self.auto[(raw, item, f"{', '.join(names)}  [{how}]")] += 1
        for name in names:
            yield item, name


def load_review(kb: KnowledgeBase) -> dict[str, Any]:
    """Read review.toml and check that every name it gives is a KB INCI name."""
    review = tomllib.loads((OUT / "review.toml").read_text(encoding="utf-8"))
    names = set(kb.names)
    tables = [("items", review["items"])]
    tables += [(f"rows.{row}", table) for row, table in review["rows"].items()]
    for where, table in tables:
        for key, entry in table.items():
            value = entry["as"] if isinstance(entry, dict) else entry
            for name in [value] if isinstance(value, str) else value:
                if name not in VERDICTS and name not in names:
                    raise SystemExit(f"review.toml [{where}] {key!r}: {name!r} is not a KB name")
    return review


def sample_rows(path: Path, skip: set[int]) -> list[tuple[int, dict[str, str]]]:
    """Return the (1-based row number, row) pairs of the sample, in file order."""
    with path.open(encoding="cp1252", newline="") as fh:
        rows = list(enumerate(csv.DictReader(fh), start=1))
    real = [
        (n, row)
        for n, row in rows
        if not NO_LIST.match(row["Ingredients"]) and len(split_for_labels(row["Ingredients"])) >= 5
    ]
    random.Random(SEED).shuffle(real)  # a skipped row gives way to the next one, the rest stay
    return sorted([pair for pair in real if pair[0] not in skip][:SAMPLE], key=lambda p: p[0])


def write(name: str, rows: list[dict[str, Any]]) -> None:
    with (OUT / f"{name}.jsonl").open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    items = sum(len(r["gold"]) for r in rows)
    print(f"{name}: {len(rows)} texts, {items} gold items -> {OUT / name}.jsonl")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--shared", type=Path, default=Path("../shared/data"))
    parser.add_argument("--audit", action="store_true", help="print automatic decisions")
    parser.add_argument("--check", action="store_true", help="fail while an item is undecided")
    args = parser.parse_args()

    kb = KnowledgeBase.load()
    review = load_review(kb)
    labeller = Labeller(kb, review["items"], review["rows"])
    source = args.shared / "products-kaggle-cosmetics" / "cosmetics.csv"
    products = []
    for number, row in sample_rows(source, {int(k) for k in review["skip"]}):
        labelled, listed = [], []  # (item, name) per ingredient; item texts once per item
        for piece in pieces(row["Ingredients"]):
            pairs = list(labeller.label(piece, number))
            labelled += pairs
            listed += [pairs[0][0]] if pairs else []
        products.append((number, row, labelled, listed))

    clean_rows, damaged_rows, pack_rows = [], [], []
    for number, row, labelled, listed in products:
        gold = [name for _, name in labelled if name is not None]
        unknown = [item for item, name in labelled if name is None]
        base = {"gold": gold, "gold_unknown": unknown, "source": f"kaggle:{number}"}
        text = row["Ingredients"]
        clean_rows.append({"id": f"clean-{number}", "set": "clean", "text": text, **base})
        rng = random.Random(f"{SEED}:damaged:{number}")
        bad = damage(text, rng)
        damaged_rows.append({"id": f"damaged-{number}", "set": "damaged", "text": bad, **base})
        rng = random.Random(f"{SEED}:pack:{number}")
        packed, extra = pack_text(row["Brand"], row["Name"], listed, rng)
        colours = [kb.names[n] for n in map(kb.find, extra) if n is not None]
        with_colours = {**base, "gold": gold + colours}
        pack_rows.append({"id": f"pack-{number}", "set": "pack", "text": packed, **with_colours})
    rng = random.Random(f"{SEED}:kits")
    for k in range(20):
        (n1, r1, l1, items1), (n2, _, l2, items2) = rng.sample(products, 2)
        kit = kit_text(r1["Brand"], [items1, items2], rng)
        gold = [name for _, name in l1 + l2 if name is not None]
        unknown = [item for item, name in l1 + l2 if name is None]
        source = f"kaggle:{n1}+kaggle:{n2}"
        pack_rows.append(
            {"id": f"pack-kit-{k + 1}", "set": "pack", "text": kit, "gold": gold}
            | {"gold_unknown": unknown, "source": source}
        )
    for k in range(10):
        pack_rows.append(
            {"id": f"pack-nolist-{k + 1}", "set": "pack", "text": no_list_text(rng), "gold": []}
            | {"gold_unknown": [], "source": "template"}
        )

    OUT.mkdir(exist_ok=True)
    write("clean", clean_rows)
    write("damaged", damaged_rows)
    write("pack", pack_rows)
    decided = set(review["items"])
    decided |= {f"{row}:{key}" for row, table in review["rows"].items() for key in table}
    unused = sorted(decided - labeller.used)
    print(
        f"review: {len(decided)} decisions ({len(labeller.used)} used, {len(unused)} "
        f"unused), {len(labeller.auto)} automatic look-ups past the first, "
        f"{len(labeller.undecided)} items undecided"
    )
    if args.audit:
        for (raw, item, result), count in sorted(labeller.auto.items()):
            shown = item if raw == item else f"{raw!r} -> {item!r}"
            print(f"AUTO {count:3d}  {shown}  =>  {result}")
        for key in unused:
            print(f"UNUSED  {key!r}")
        for item, count in labeller.undecided.most_common():
            hits = ", ".join(h.inci_name for h in kb.search(item, limit=5))
            print(f"TODO {count:3d}  {item!r}  ?  {hits}")
    return 1 if args.check and labeller.undecided else 0


if __name__ == "__main__":
    raise SystemExit(main())
