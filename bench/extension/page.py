"""The benchmark page: a long product page of about 5,000 text nodes with one ingredient list.

Deterministic: the same page every run. Reviews, navigation, related products and a long
description surround the list, and mention ingredient names in prose, as real pages do.
"""

from __future__ import annotations

import html
import random

LIST_ITEMS = (
    "Aqua (Water), Glycerin, Niacinamide, Butylene Glycol, Propanediol, Caprylic/Capric "
    "Triglyceride, Cetearyl Alcohol, Squalane, Sodium Hyaluronate, Panthenol, Allantoin, "
    "Tocopherol, Retinol, Ceramide NP, Cholesterol, Xanthan Gum, Carbomer, Sodium Hydroxide, "
    "Disodium EDTA, Phenoxyethanol, Ethylhexylglycerin, Parfum, Linalool, Limonene, Citral"
).split(", ")
WORDS = (
    "soft smooth bright glow skin serum cream gentle daily light rich calm fresh clean night "
    "morning hydrate repair barrier texture scent bottle pump value shipping review love"
).split()


def ingredient_list_html() -> str:
    """The list as shops render it: spans, a <br> and a bold item."""
    parts = []
    for i, item in enumerate(LIST_ITEMS):
        name = html.escape(item)
        piece = f"<b>{name}</b>" if i % 7 == 3 else f"<span>{name}</span>" if i % 3 else name
        parts.append(piece)
    joined = ", ".join(parts[:12]) + ",<br>" + ", ".join(parts[12:])
    return f'<h3>Ingredients</h3><div class="inci">{joined}</div>'


def build_page(target_text_nodes: int = 5000, seed: int = 7) -> str:
    """An HTML page with about ``target_text_nodes`` text nodes in its body."""
    rng = random.Random(seed)
    blocks: list[str] = []
    count = 0

    def sentence(n: int) -> str:
        return " ".join(rng.choice(WORDS) for _ in range(n))

    nav = "".join(f'<li><a href="/c/{i}">{sentence(2)}</a></li>' for i in range(60))
    blocks.append(f"<nav><ul>{nav}</ul></nav>")
    count += 60
    blocks.append("<h1>Glow Serum 30 ml</h1><p>A serum with niacinamide and retinol.</p>")
    count += 2
    half = False
    while count < target_text_nodes:
        kind = rng.randrange(3)
        if kind == 0:  # a review: several short text nodes
            blocks.append(
                f'<article class="review"><h4>{sentence(3)}</h4><p>{sentence(12)}, '
                f"<em>{sentence(3)}</em>, {sentence(8)}.</p>"
                f"<footer>{sentence(2)}</footer></article>"
            )
            count += 6  # five, and the newline between blocks
        elif kind == 1:  # a related product tile
            blocks.append(
                f'<div class="tile"><a href="/p/{count}"><span>{sentence(2)}</span>'
                f"<span>$ {rng.randrange(5, 90)}.00</span></a></div>"
            )
            count += 3
        else:  # description text mentioning ingredients in prose
            blocks.append(f"<p>{sentence(10)} glycerin and parfum {sentence(6)}</p>")
            count += 2
        if not half and count > target_text_nodes // 2:
            blocks.append(ingredient_list_html())
            count += len(LIST_ITEMS) + 2
            half = True
    body = "\n".join(blocks)
    head = '<meta charset="utf-8"><title>Bench</title>'
    return f'<!doctype html><html lang="en"><head>{head}</head><body>{body}</body></html>'
