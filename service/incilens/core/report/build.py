"""Assemble the annotated safety summary from matched items. Pure: no I/O, no Flask.

The report reads top-down the way a shopper should: the counts and the reliability of the read
come first, then what matters to this profile, then the product's flags and claims, then every
ingredient with its record. When too few items were recognised the summary says the read is
unreliable and withholds every verdict that rests on an absence ("fragrance-free", "vegan",
"claim holds"); what was found is still shown, since it is evidence either way.
"""

from __future__ import annotations

import dataclasses
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

from incilens.core.claims import ClaimMention
from incilens.core.models import CONCERN_LEVELS, Ingredient, IngredientList, Resolved
from incilens.core.product_type import UNKNOWN, ProductType
from incilens.core.profile import Profile
from incilens.core.report.claims import check_claims
from incilens.core.report.context import Context
from incilens.core.report.flags import actives, product_flags
from incilens.core.report.model import Counts, Item, Reliability, Report, Summary
from incilens.core.report.personal import for_you
from incilens.core.report.product import product_rules
from incilens.core.report.verdict import build_verdict

__all__ = ["UNREADABLE_CONFIDENCE", "build_report", "photo_reliability"]

#: Below this share of recognised items the read is unreliable and verdicts are withheld.
RELIABLE_SHARE = 0.6
#: From this share up, with at least three items, the read is good.
GOOD_SHARE = 0.9

_PERCENT = re.compile(r"(\d+(?:[.,]\d+)?)\s*%")
_NOT_RECOGNISED: tuple[Mapping[str, str], ...] = (
    {"text": "Not recognised.", "source": "incilens"},
)


def _reliability(total: int, recognised: int) -> Reliability:
    if total == 0:
        return Reliability("none", 0.0, "No ingredient list was found in this text.")
    share = recognised / total
    if share < RELIABLE_SHARE:
        return Reliability(
            "unreliable",
            share,
            f"Only {recognised} of {total} items were recognised, so this read is unreliable: "
            "verdicts are withheld. Re-take the photo closer and flatter, or paste the list.",
        )
    if share >= GOOD_SHARE or (total < 3 and recognised == total):
        return Reliability("good", share, f"{recognised} of {total} items were recognised.")
    return Reliability(
        "fair",
        share,
        f"{recognised} of {total} items were recognised; check the unrecognised ones below.",
    )


#: A photo read with a mean OCR confidence under this (0-100) that gave no usable list was
#: most likely blurred, dark or too small: the shopper is told to re-take it.
UNREADABLE_CONFIDENCE = 60.0


def photo_reliability(report: Report, mean_confidence: float, words: int) -> Report:
    """Say so when a photo's poor read comes from the photo itself, not from the list.

    A read that found no list or recognised too few items, with OCR confidence under
    :data:`UNREADABLE_CONFIDENCE` (or no words at all), becomes ``unreadable``: verdicts stay
    withheld, and the message asks for a sharper photo instead of blaming the list.

    Examples:
        >>> r = Reliability("none", 0.0, "No ingredient list was found in this text.")
        >>> report = Report(0, (), (), r, Summary(Counts(0, 0, 0), r), Profile(), {})
        >>> photo_reliability(report, 31.0, 12).reliability.level
        'unreadable'
        >>> photo_reliability(report, 91.0, 12).reliability.level
        'none'
    """
    if report.reliability.verdicts:
        return report
    if words and mean_confidence >= UNREADABLE_CONFIDENCE:
        return report
    message = (
        "The photo could not be read: no text was found in it. "
        if not words
        else f"The photo is too blurred, dark or small to read (OCR confidence "
        f"{mean_confidence:.0f} of 100). "
    ) + "Re-take it in focus, closer and in even light, or paste the list as text."
    reliability = Reliability("unreadable", report.reliability.recognised_share, message)
    summary = _with_verdict(
        dataclasses.replace(report.summary, reliability=reliability), report.profile, report.items
    )
    return dataclasses.replace(report, reliability=reliability, summary=summary)


def _with_verdict(summary: Summary, profile: Profile, items: Sequence[Item]) -> Summary:
    """The summary with its verdict, read from its own findings and the printed amounts."""
    verdict = build_verdict(
        reliability=summary.reliability,
        counts=summary.counts,
        for_you=summary.for_you,
        flags=summary.flags,
        claims=summary.claims,
        above_limit=_above_limits(items),
        profile_set=not profile.empty,
    )
    return dataclasses.replace(summary, verdict=verdict)


def _percents(text: str) -> set[float]:
    return {float(v.replace(",", ".")) for v in _PERCENT.findall(text)}


def _above_limits(items: Sequence[Item]) -> list[dict[str, Any]]:
    """Items whose printed percentage is above every EU maximum for them, with the rows.

    Only when it can be decided: every annex III, V and VI row of the entry (not conditional)
    states a percentage, and the printed amount is above the highest percentage any of them
    names. Limits that differ by product type ("(a) 3.0 % (b) 2.0 %") with an amount between
    them cannot be decided without the product type, and nothing is said.
    """
    out = []
    for item in items:
        printed = item.resolved.token.percent
        if item.ingredient is None or not printed:
            continue
        amount = _percents(printed)
        rows = [
            f
            for f in item.ingredient.eu
            if f["annex"] in ("III", "V", "VI") and not f.get("conditional")
        ]
        limits = [_percents(f.get("max_concentration", "")) for f in rows]
        if len(amount) != 1 or not rows or not all(limits):
            continue
        highest = max(max(lim) for lim in limits)
        if max(amount) > highest:
            row = rows[[max(lim) for lim in limits].index(highest)]
            out.append(
                {
                    **item.ref(),
                    "percent": printed,
                    "annex": row["annex"],
                    "ref": row["ref"],
                    "max_concentration": row["max_concentration"],
                    "product_type": row.get("product_type", ""),
                    "source": row["source"],
                }
            )
    return out


def _max_percent(ingredient: Ingredient) -> float | None:
    """The EU's highest permitted concentration of a preservative, in %, when stated."""
    for fact in ingredient.eu:
        if fact.get("annex") == "V":
            found = [
                float(v.replace(",", ".")) for v in _PERCENT.findall(fact["max_concentration"])
            ]
            if found:
                return max(found)
    return None


def _notes(
    resolved: Resolved,
    ingredient: Ingredient | None,
    position_in_list: int,
    after: Item | None,
    may_contain: bool,
) -> list[dict[str, str]]:
    token = resolved.token
    match = resolved.match
    if not (
        may_contain
        or token.percent
        or token.nano
        or token.footnote
        or (match and match.corrected)
        or (ingredient is not None and ingredient.notable_active is not None)
    ):
        return []  # the usual case: nothing to note
    notes: list[dict[str, str]] = []
    if may_contain:
        notes.append(
            {"kind": "may_contain", "text": "Listed under 'may contain': only in some shades."}
        )
    if token.percent:
        notes.append({"kind": "percent", "text": f"The label gives {token.percent}."})
    if token.nano:
        notes.append({"kind": "nano", "text": "Used as nanoparticles (labelled '(nano)')."})
    if token.footnote:
        notes.append({"kind": "footnote", "text": f"Marked on the label: {token.footnote}."})
    if resolved.match and resolved.match.corrected:
        notes.append(
            {
                "kind": "corrected",
                "text": f"Read as '{resolved.read_as}', matched {resolved.match.inci_name}.",
            }
        )
    if ingredient is None or ingredient.notable_active is None:
        return notes
    if after is not None and after.ingredient is not None:
        notes.append(
            {
                "kind": "position",
                "text": f"Listed after the preservative {after.ingredient.display_name}, "
                "which is used at 1 % or less, so this is most likely under 1 %.",
            }
        )
    elif position_in_list <= 5 and not may_contain:
        notes.append(
            {
                "kind": "position",
                "text": "Among the first five ingredients, which make up most of the formula.",
            }
        )
    return notes


def build_report(
    text: str,
    lists: Sequence[IngredientList],
    resolved: Sequence[Resolved],
    ingredients: Sequence[Ingredient | None],
    *,
    profile: Profile,
    claims: Sequence[ClaimMention] = (),
    avoid: Mapping[str, frozenset[str] | str] | None = None,
    avoid_unknown: Sequence[str] = (),
    flag_labels: Mapping[str, str],
    versions: Mapping[str, str],
    truncated: int = 0,
    product_type: ProductType = UNKNOWN,
) -> Report:
    """Build the report.

    Args:
        text: The analysed text (only its length is kept).
        lists: The lists the parser found.
        resolved: Every item, matched or not, in reading order.
        ingredients: The KB record of each resolved item (None when unrecognised).
        profile: The shopper's profile.
        claims: Free-from and vegan claims found in the text.
        avoid: Avoid-list term → the entry ids it names, or the flag id of its family.
        avoid_unknown: Avoid-list terms that named nothing known.
        flag_labels: Flag id → label, from the knowledge base.
        versions: Version stamps to report.
        truncated: Items beyond the per-text limit that were not analysed.
        product_type: What kind of product the text is for (rinse-off, leave-on, where).
    """
    may = {lst.index for lst in lists if lst.may_contain}
    items: list[Item] = []
    seen_in_list: dict[int, int] = {}
    preservative_in_list: dict[int, Item] = {}
    for r, ingredient in zip(resolved, ingredients, strict=True):
        li = r.token.list_index
        seen_in_list[li] = seen_in_list.get(li, 0) + 1
        reasons: tuple[Mapping[str, str], ...]
        if ingredient is None:
            concern, reasons = "unknown", _NOT_RECOGNISED
        else:
            concern = ingredient.concern["level"]
            reasons = ingredient.concern.get("reasons", ())
        item = Item(
            position=len(items) + 1,
            list_index=li,
            position_in_list=seen_in_list[li],
            text=text[r.start : r.end],
            resolved=r,
            ingredient=ingredient,
            concern=concern,
            reasons=reasons,
            notes=tuple(
                _notes(r, ingredient, seen_in_list[li], preservative_in_list.get(li), li in may)
            ),
            may_contain=li in may,
        )
        items.append(item)
        if (
            ingredient is not None
            and li not in preservative_in_list
            and "preservative" in ingredient.flag_ids
            and (_max_percent(ingredient) or 100.0) <= 1.0
        ):
            preservative_in_list[li] = item
    recognised = [i for i in items if i.ingredient is not None]
    levels = Counter(i.concern for i in items)
    reliability = _reliability(len(items), len(recognised))
    ctx = Context.build(items, reliable=reliability.verdicts, flag_labels=flag_labels)
    summary = Summary(
        counts=Counts(
            items=len(items),
            recognised=len(recognised),
            lists=len(lists),
            unrecognised_items=tuple(i.ref() for i in items if i.ingredient is None),
        ),
        reliability=reliability,
        for_you=tuple(for_you(ctx, profile, avoid or {}, avoid_unknown)),
        flags=tuple(product_flags(ctx)),
        claims=tuple(check_claims(ctx, claims)),
        notable_actives=tuple(actives(ctx)),
        concern_counts={level: levels.get(level, 0) for level in CONCERN_LEVELS},
        product=product_rules(ctx, product_type),
    )
    summary = _with_verdict(summary, profile, items)
    return Report(
        text_length=len(text),
        lists=tuple(lists),
        items=tuple(items),
        reliability=reliability,
        summary=summary,
        profile=profile,
        versions=dict(versions),
        claims=tuple(claims),
        truncated=truncated,
    )
