"""The rules that depend on the product type, answered for this product or said to depend.

Three EU rules: the fragrance-allergen labelling threshold (0.001 % leave-on, 0.01 % rinse-off;
Regulation (EU) 2023/1545), Annex V preservatives allowed in rinse-off products only, and
Annex III limits given per product type. Also the nano form: an item labelled "(nano)" whose
annex entry applies only to the nano form. Each answer names its items and the annex entry it
rests on; when the product type is unknown, each says what it depends on. Pure: no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from incilens.core.product_type import ProductType
from incilens.core.report.context import Context, with_item
from incilens.core.report.model import Item

__all__ = ["product_rules"]

_LETTERED = re.compile(r"\(([a-z])\)")
_RINSE = re.compile(r"rinse[- ]off", re.IGNORECASE)
_LEAVE = re.compile(r"leave[- ]on|other products|all products", re.IGNORECASE)
_NANO = re.compile(r"\(nano\)", re.IGNORECASE)
# Words of an annex product-type text -> the area the product must have for the limit to apply.
_AREA_WORDS = (
    (re.compile(r"\boral|toothpaste|mouthwash", re.IGNORECASE), "oral"),
    (re.compile(r"\bhair\b|shampoo", re.IGNORECASE), "hair"),
    (re.compile(r"\bnail", re.IGNORECASE), "nails"),
    (re.compile(r"\blip", re.IGNORECASE), "lips"),
    (re.compile(r"\beye", re.IGNORECASE), "eyes"),
)


def _lettered(text: str) -> dict[str, str]:
    """Split "(a) Rinse-off hair products (b) Other products" by its letters."""
    parts = _LETTERED.split(text)
    if len(parts) < 3:
        return {}
    return {parts[i]: parts[i + 1].strip(" ;,.") for i in range(1, len(parts) - 1, 2)}


def _applies(scope: str, kind: ProductType) -> bool | None:
    """Whether an annex product-type text covers this product; None when the type decides."""
    named = {t.lower() for t, _, _ in kind.evidence}
    head, _, excepted = scope.lower().partition("except")
    if any(w in excepted for w in named):
        return False  # "Other products except body lotion ..." and this is a body lotion
    if any(w in head for w in named):
        return True  # "(c) Body lotion, eye shadow ..." names this product
    if re.search(r"other products", scope, re.IGNORECASE):
        return None if not kind.known else True
    if _RINSE.search(scope) and not _LEAVE.search(scope):
        if not kind.known:
            return None
        if kind.application != "rinse_off":
            return False
    elif re.search(r"leave[- ]on", scope, re.IGNORECASE) and not _RINSE.search(scope):
        if not kind.known:
            return None
        if kind.application != "leave_on":
            return False
    for pattern, area in _AREA_WORDS:
        if pattern.search(scope):
            if not kind.areas:
                return None
            if area not in kind.areas:
                return False
    return True


def _fact_ref(fact: Mapping[str, Any]) -> str:
    return f"Annex {fact.get('annex')} entry {fact.get('ref')}"


def _allergens(ctx: Context, kind: ProductType) -> dict[str, Any] | None:
    items = [with_item(i, source=f["source"]) for i, f in ctx.by_flag.get("fragrance_allergen", ())]
    if not items:
        return None
    names = ", ".join(i["name"] for i in items)
    if kind.application == "leave_on":
        text = f"{names}: named on the label, so above 0.001 % (a leave-on product)."
    elif kind.application == "rinse_off":
        text = f"{names}: named on the label, so above 0.01 % (a rinse-off product)."
    else:
        text = (
            f"{names}: named on the label, so above 0.001 % if the product is left on the skin "
            "or above 0.01 % if it is rinsed off: this depends on the product type."
        )
    return {
        "id": "fragrance_allergen_threshold",
        "depends_on_type": not kind.known,
        "text": text,
        "items": items,
        "sources": sorted({i["source"] for i in items}),
    }


def _rinse_off_only(ctx: Context, kind: ProductType) -> list[dict[str, Any]]:
    out = []
    for item in ctx.recognised:
        assert item.ingredient is not None
        for fact in item.ingredient.eu:
            if fact.get("annex") != "V":
                continue
            scope = f"{fact.get('product_type', '')} {fact.get('max_concentration', '')}"
            if not _RINSE.search(scope) or _LEAVE.search(scope):
                continue
            ref = _fact_ref(fact)
            if kind.application == "leave_on":
                status, text = (
                    "conflict",
                    (
                        f"{item.text}: allowed as a preservative in rinse-off products only "
                        f"({ref}), and this reads as a leave-on product."
                    ),
                )
            elif kind.application == "rinse_off":
                status, text = (
                    "allowed",
                    (f"{item.text}: allowed in rinse-off products ({ref}); this is one."),
                )
            else:
                status, text = (
                    "depends",
                    (
                        f"{item.text}: allowed as a preservative in rinse-off products only "
                        f"({ref}); whether this product may contain it depends on its type."
                    ),
                )
            out.append(
                {
                    "id": "rinse_off_only",
                    "status": status,
                    "depends_on_type": not kind.known,
                    "text": text,
                    "items": [with_item(item, source=fact.get("source", ""))],
                    "sources": [fact.get("source", "")],
                }
            )
            break
    return out


def _limits(ctx: Context, kind: ProductType) -> list[dict[str, Any]]:
    out = []
    for item in ctx.recognised:
        assert item.ingredient is not None
        for fact in item.ingredient.eu:
            if fact.get("annex") != "III" or not fact.get("product_type"):
                continue
            scope_text = str(fact["product_type"])
            scopes = _lettered(scope_text) or {"": scope_text}
            maxima = _lettered(str(fact.get("max_concentration") or ""))
            limits: list[dict[str, Any]] = []
            for letter, scope in scopes.items():
                maximum = maxima.get(letter) if letter else fact.get("max_concentration", "")
                limits.append(
                    {"scope": scope, "max": maximum or "", "applies": _applies(scope, kind)}
                )
            applying = [x for x in limits if x["applies"]]
            undecided = any(x["applies"] is None for x in limits)
            if undecided:
                text = f"{item.text}: the EU limit depends on the product type ({_fact_ref(fact)})."
            elif applying:
                text = (
                    f"{item.text}: for this product the EU limit is "
                    + "; ".join(f"{x['max'] or 'as stated'} ({x['scope']})" for x in applying)
                    + f" ({_fact_ref(fact)})."
                )
            else:
                text = (
                    f"{item.text}: {_fact_ref(fact)} sets limits only for other product types "
                    f"({'; '.join(str(x['scope']) for x in limits)})."
                )
            out.append(
                {
                    "id": "annex_iii_limit",
                    "depends_on_type": undecided,
                    "text": text,
                    "limits": limits,
                    "items": [with_item(item, source=fact.get("source", ""))],
                    "sources": [fact.get("source", "")],
                }
            )
    return out


def _nano(ctx: Context) -> list[dict[str, Any]]:
    out = []
    for item in ctx.recognised:
        if not item.resolved.token.nano or item.ingredient is None:
            continue
        for fact in item.ingredient.eu:
            named = f"{fact.get('chemical_name', '')} {fact.get('condition', '')}"
            if fact.get("conditional") and _NANO.search(named):
                out.append(_nano_rule(item, fact))
    return out


def _nano_rule(item: Item, fact: Mapping[str, Any]) -> dict[str, Any]:
    # The knowledge base shows an Annex II row that bans only the nano form as "restricted under
    # conditions" for the ingredient; an item labelled (nano) meets that condition: banned.
    status = "prohibited" if fact.get("annex") == "II" else str(fact.get("status", ""))
    return {
        "id": "nano_form",
        "depends_on_type": False,
        "text": f"{item.text} is labelled (nano): {_fact_ref(fact)} for the nano form applies "
        f"({status}).",
        "status": status,
        "items": [with_item(item, source=fact.get("source", ""))],
        "sources": [fact.get("source", "")],
    }


def product_rules(ctx: Context, kind: ProductType) -> dict[str, Any]:
    """The product type and every rule of this list that depends on it."""
    rules: list[dict[str, Any]] = []
    allergens = _allergens(ctx, kind)
    if allergens:
        rules.append(allergens)
    rules += _rinse_off_only(ctx, kind)
    rules += _limits(ctx, kind)
    rules += _nano(ctx)
    depends = [r for r in rules if r["depends_on_type"]]
    return {
        **kind.to_dict(),
        "rules": rules,
        "depends_on_type": len(depends),
        "detail": (
            f"The product type is unknown: {len(depends)} answer(s) below depend on it."
            if depends
            else ""
        ),
    }
