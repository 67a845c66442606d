"""Build the real-label-text corpus (bench/devset/real/real.jsonl) from three public sources.

Usage: python bench/devset/build_real_devset.py OBF_JSON SOCO_CSV

* ``kaggle``: ../shared/data/products-kaggle-cosmetics/cosmetics.csv (Sephora pages, ~2018):
  product name and ingredient list; the product-type gold comes from the dataset's own
  ``Label`` column (Moisturizer, Eye cream, Sun protect, Treatment: leave-on). Face Mask
  and Cleanser rows are left out: a mask can be either, and Sephora's "Cleanser" shelf also
  holds toners, mists, blotting papers and wipes, which are not rinsed off.
* ``soco``: karinaamaha/haircare-recommender, dataset/preprocess/product_info.csv at
  ccfefdac686432c5f2b3e810d62c074cb5eeeee2 (review.soco.id pages, Indonesian): name, claim
  and directions text and the ingredient list; gold from the ``category`` column (shampoo,
  conditioner, hair mask: rinse-off; hair oil, hair serum: leave-on).
* ``obf``: Open Beauty Facts products recorded in the test cassettes of
  openfoodfacts/openbeautyfacts-ruby at 88e5ca0cf72a2435ec37a1ae05bfe3cf9b1eca49 (decoded to
  OBF_JSON by hand: code, name, categories, labels, labels_tags, ingredients text): name,
  label text and ingredients; claim gold from OBF's ``labels_tags``, product-type gold from
  its categories.

Rows whose source id hashes to 0 mod 3 are the held-out part (``"part": "heldout"``).

Item gold (``gold``, INCI names in list order; ``gold_unknown``, the items not labelled) comes
from the source's own ingredient field, never from the analyser: it is cut at its own
separators (commas and semicolons outside brackets; " | " and " / " in the soco lists; " - "
when a list uses only that), and each item is looked up with ``kb.find`` (exact, synonym, case
and spacing; no correction): the whole item, then the part outside brackets, then each part of
"A / B" or "A/B" when every part that resolves names the same substance, then the text in the
brackets. An item none of these resolves is listed in ``gold_unknown`` and not scored. Kaggle
rows carry no item gold here (their lists are the text set's ``clean`` source already).
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
import sys
from pathlib import Path

from incilens.kb.knowledge import KnowledgeBase

ROOT = Path(__file__).resolve().parents[2]
OUT = Path(__file__).resolve().parent / "real" / "real.jsonl"
KAGGLE = ROOT.parent / "shared" / "data" / "products-kaggle-cosmetics" / "cosmetics.csv"

KAGGLE_TYPES = {
    "Moisturizer": "leave_on",
    "Eye cream": "leave_on",
    "Sun protect": "leave_on",
    "Treatment": "leave_on",
}
SOCO_TYPES = {
    "shampoo": "rinse_off",
    "conditioner": "rinse_off",
    "mask": "rinse_off",
    "hair oil": "leave_on",
    "hair serum": "leave_on",
}
# OBF category words -> type (the first that appears decides)
OBF_TYPES = (
    ("shampoo", "rinse_off"), ("shampoing", "rinse_off"), ("shower", "rinse_off"),
    ("douche", "rinse_off"), ("soap", "rinse_off"), ("savon", "rinse_off"),
    ("body milk", "leave_on"), ("soins cheveux", "leave_on"),
)  # fmt: skip
OBF_CLAIMS = {
    "en:without-paraben": "paraben_free",
    "en:sulfate-free": "sulfate_free",
    "en:without-silicon": "silicone_free",
    "en:vegan": "vegan",
}


_BRACKETS = re.compile(r"\s*[(\[][^()\[\]]*[)\]]")
_INNER = re.compile(r"[(\[]([^()\[\]]+)[)\]]")


def split_source(text: str, pattern: str) -> list[str]:
    """Cut a source list at ``pattern`` outside brackets."""
    parts, depth, start = [], 0, 0
    for m in re.finditer(r"[()\[\]]|" + pattern, text):
        ch = m.group()
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth = max(0, depth - 1)
        elif depth == 0:
            parts.append(text[start : m.start()])
            start = m.end()
    parts.append(text[start:])
    return [p.strip(" .*\n\t") for p in parts if p.strip(" .*\n\t")]


def label(kb: KnowledgeBase, item: str) -> str | None:
    """The INCI name of one source item, by look-up only, or None."""
    for candidate in (item, _BRACKETS.sub("", item).strip()):
        n = kb.find(candidate) if candidate else None
        if n is not None:
            return kb.names[n]
    for sep in (r"\s+/\s+", "/"):
        pieces = [p.strip() for p in re.split(sep, item) if p.strip()]
        if len(pieces) < 2:
            continue
        found = [kb.find(_BRACKETS.sub("", p).strip() or p) for p in pieces]
        named = {kb.names[n] for n in found if n is not None}
        same = {x for n in found if n is not None for x in (kb.names[n], *kb.entry(n).same_as)}
        if named and all(name in same for name in named) and len(named) == 1:
            return named.pop()
        if len(named) > 1 and all(set(kb.entry(kb.find(a)).same_as) & named or a in named
                                  for a in named):  # fmt: skip
            return sorted(named)[0]
    inner = _INNER.search(item)
    if inner:
        n = kb.find(inner.group(1))
        if n is not None:
            return kb.names[n]
    return None


def gold_items(kb: KnowledgeBase, items: list[str]) -> tuple[list[str], list[str]]:
    gold, unknown = [], []
    for item in items:
        name = label(kb, item)
        (gold.append(name) if name else unknown.append(item))
    return gold, unknown


def part(source: str) -> str:
    digest = hashlib.sha256(source.encode()).digest()
    return "heldout" if digest[0] % 3 == 0 else "dev"


def main() -> int:
    obf_json, soco_csv = sys.argv[1:3]
    kb = KnowledgeBase.load()
    rows = []
    with KAGGLE.open(encoding="cp1252", newline="") as fh:
        for n, r in enumerate(csv.DictReader(fh), 1):
            kind = KAGGLE_TYPES.get(r["Label"])
            if kind is None or len(r["Ingredients"]) < 20:
                continue
            src = f"kaggle:{n}"
            text = f"{r['Name']}\nIngredients: {r['Ingredients']}"
            rows.append({"id": src, "source": src, "part": part(src), "text": text,
                         "product_type": kind, "claims": None, "gold": None,
                         "gold_unknown": None})  # fmt: skip
    with Path(soco_csv).open(encoding="utf-8", newline="") as fh:
        for n, r in enumerate(csv.DictReader(fh), 1):
            kind = SOCO_TYPES.get(r["category"])
            if kind is None or len(r["ingredients"]) < 20:
                continue
            src = f"soco:{n}"
            text = f"{r['product_name']}\n{r['claim']}\n{r['use']}\nIngredients: {r['ingredients']}"
            sep = r"\s+\|\s+" if " | " in r["ingredients"] else r"\s+/\s+|(?<!\d),|,(?!\d)"
            gold, unknown = gold_items(kb, split_source(r["ingredients"], sep))
            rows.append({"id": src, "source": src, "part": part(src), "text": text,
                         "product_type": kind, "claims": None, "gold": gold,
                         "gold_unknown": unknown})  # fmt: skip
    products = json.loads(Path(obf_json).read_text(encoding="utf-8"))
    for code in sorted(products):
        p = products[code]
        if len(p["text"]) < 20:
            continue
        cats = p["categories"].lower()
        kind = next((k for w, k in OBF_TYPES if w in cats), None)
        src = f"obf:{code}"
        head = "" if "ingredient" in p["text"].lower() else "Ingredients: "
        text = f"{p['name']}\n{p['labels']}\n{head}{p['text']}"
        claims = sorted({OBF_CLAIMS[t] for t in p["labels_tags"] if t in OBF_CLAIMS})
        body = re.sub(r"^.*?ingredients\s*:?\s*", "", p["text"], flags=re.I | re.S)
        sep = r"(?<!\d),|,(?!\d)|;" if re.search(r"[,;]", body) else r"\s+-\s+"
        gold, unknown = gold_items(kb, split_source(body, sep))
        rows.append({"id": src, "source": src, "part": part(src), "text": text,
                     "product_type": kind, "claims": claims, "gold": gold,
                     "gold_unknown": unknown})  # fmt: skip
    OUT.parent.mkdir(exist_ok=True)
    with OUT.open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"{len(rows)} rows -> {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
