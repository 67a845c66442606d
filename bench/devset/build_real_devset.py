"""Build the real-label-text corpus (bench/devset/real/real.jsonl) from three public sources.

Usage: python bench/devset/build_real_devset.py OBF_JSON SOCO_CSV

* ``kaggle``: ../shared/data/products-kaggle-cosmetics/cosmetics.csv (Sephora pages, ~2018):
  product name and ingredient list; the product-type gold comes from the dataset's own
  ``Label`` column (Cleanser: rinse-off; Moisturizer, Eye cream, Sun protect, Treatment:
  leave-on; Face Mask: left out, it can be either).
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
"""

from __future__ import annotations

import csv
import hashlib
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUT = Path(__file__).resolve().parent / "real" / "real.jsonl"
KAGGLE = ROOT.parent / "shared" / "data" / "products-kaggle-cosmetics" / "cosmetics.csv"

KAGGLE_TYPES = {
    "Cleanser": "rinse_off",
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


def part(source: str) -> str:
    digest = hashlib.sha256(source.encode()).digest()
    return "heldout" if digest[0] % 3 == 0 else "dev"


def main() -> int:
    obf_json, soco_csv = sys.argv[1:3]
    rows = []
    with KAGGLE.open(encoding="cp1252", newline="") as fh:
        for n, r in enumerate(csv.DictReader(fh), 1):
            kind = KAGGLE_TYPES.get(r["Label"])
            if kind is None or len(r["Ingredients"]) < 20:
                continue
            src = f"kaggle:{n}"
            text = f"{r['Name']}\nIngredients: {r['Ingredients']}"
            rows.append({"id": src, "source": src, "part": part(src), "text": text,
                         "product_type": kind, "claims": None})  # fmt: skip
    with Path(soco_csv).open(encoding="utf-8", newline="") as fh:
        for n, r in enumerate(csv.DictReader(fh), 1):
            kind = SOCO_TYPES.get(r["category"])
            if kind is None or len(r["ingredients"]) < 20:
                continue
            src = f"soco:{n}"
            text = f"{r['product_name']}\n{r['claim']}\n{r['use']}\nIngredients: {r['ingredients']}"
            rows.append({"id": src, "source": src, "part": part(src), "text": text,
                         "product_type": kind, "claims": None})  # fmt: skip
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
        rows.append({"id": src, "source": src, "part": part(src), "text": text,
                     "product_type": kind, "claims": claims})  # fmt: skip
    OUT.parent.mkdir(exist_ok=True)
    with OUT.open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"{len(rows)} rows -> {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
