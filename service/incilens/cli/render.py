"""Plain-text rendering for the terminal: an ingredient card and an analysis report."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from incilens.core.models import Ingredient
from incilens.core.report import Report

__all__ = ["render_card", "render_report"]


def _fmt_rating(rating: Any) -> str:
    if not rating:
        return "not rated"
    low, high = rating["min"], rating["max"]
    span = f"{low:g}" if low == high else f"{low:g}-{high:g}"
    per_source = "; ".join(f"{s['source']}: {s['value']}" for s in rating["sources"])
    return f"{span} / 5 ({per_source})"


def render_card(ing: Ingredient) -> str:
    """A readable card for one ingredient."""
    lines = [f"{ing.display_name}  [{ing.inci_name}]"]
    if ing.summary:
        lines.append(f"  {ing.summary['text']}")
    elif ing.description:
        lines.append(f"  CosIng: {ing.description['text']}")
    rows: list[tuple[str, str]] = [
        ("functions", ", ".join(f["name"].lower() for f in ing.functions) or "none listed"),
        ("concern", f"{ing.concern['level']} — {ing.concern['reasons'][0]['text']}"),
        ("comedogenic", _fmt_rating(ing.comedogenic)),
        ("irritancy", _fmt_rating(ing.irritancy)),
        ("origin", ing.origin["value"]),
        ("vegan", f"{ing.vegan['status']} — {ing.vegan['reason']}"),
    ]
    if ing.pregnancy:
        rows.append(("pregnancy", ing.pregnancy["note"]))
    if ing.photosensitizing:
        rows.append(("sun", ing.photosensitizing["note"]))
    if ing.side_effects and ing.side_effects["items"]:
        rows.append(("side effects", "; ".join(ing.side_effects["items"])))
    if ing.skin_types and ing.skin_types["not_ideal_for"]:
        rows.append(("not ideal for", ", ".join(ing.skin_types["not_ideal_for"])))
    if ing.flags:
        rows.append(("flags", ", ".join(f["label"] for f in ing.flags)))
    for eu in ing.eu:
        cond = f" ({eu['condition']})" if eu["conditional"] else ""
        rows.append(("EU", f"Annex {eu['annex']}/{eu['ref']}: {eu['status']}{cond}"))
    if ing.synonyms:
        rows.append(("also called", ", ".join(s["name"] for s in ing.synonyms[:8])))
    rows.append(("sources", ", ".join(ing.sources)))
    width = max(len(k) for k, _ in rows)
    lines += [f"  {k.ljust(width)}  {v}" for k, v in rows]
    return "\n".join(lines)


def _names(items: Iterable[Mapping[str, Any]]) -> str:
    return ", ".join(f"{i['name']} (#{i['position']})" for i in items)


def _clip(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def render_report(report: Report) -> str:
    """A readable report: counts and reliability, what matters, flags, claims, the table."""
    summary = report.summary
    counts = summary.counts
    reliability = summary.reliability
    out: list[str] = []
    if not report.list_found:
        return "No ingredient list was found in this text."
    where = "; ".join(
        f"list {lst.index + 1}"
        + (f" '{lst.label}'" if lst.label else "")
        + (f" after {lst.header!r}" if lst.header else " (no header)")
        for lst in report.lists
    )
    out.append(
        f"{counts.items} items, {counts.recognised} recognised "
        f"({reliability.recognised_share:.0%}); {where}"
    )
    out.append(f"Read: {reliability.level}. {reliability.message}")
    if counts.unrecognised_items:
        out.append("Unrecognised: " + _names(counts.unrecognised_items))
    if summary.for_you:
        out.append("\nFor you")
        for finding in summary.for_you:
            names = _names(finding["items"]) or finding["why"]
            out.append(f"  ! {finding['title']}: {names}")
    out.append("\nFlags")
    for flag in summary.flags:
        looks = flag.get("not_counted", ())
        if flag["status"] == "present" or flag["id"] == "vegan":
            names = _names(flag["items"])
            out.append(f"  * {flag['label']}" + (f": {names}" if names else ""))
            if flag.get("detail"):
                out.append(f"      {flag['detail']}")
        elif flag["id"] == "fragrance" or looks:
            out.append(f"  - {flag['label']}: {flag['status']}. {flag.get('detail', '')}".rstrip())
        else:
            continue
        for look in looks:
            out.append(f"      not counted: {look['name']} — {look['why']}")
    if summary.claims:
        out.append("\nClaims on the pack")
        for claim in summary.claims:
            out.append(f"  {claim['label']}: {claim['verdict'].upper()} — {claim['explanation']}")
    if summary.notable_actives:
        out.append("\nNotable actives")
        for active in summary.notable_actives:
            note = f" {active['position_note'][0]}" if active["position_note"] else ""
            out.append(f"  {active['name']} (#{active['position']}): {active['what']}{note}")
    out.append(
        "\n  #  As read                        Matched                        How         Concern"
    )
    for item in report.items:
        match = item.match
        matched = match.inci_name if match else "(unrecognised)"
        how = f"{match.method} {match.score:.0f}" if match else ""
        out.append(
            f"{item.position:>3}  {_clip(item.read_as, 30):<30} {_clip(matched, 30):<30} "
            f"{how:<11} {item.concern}"
        )
    if report.ocr is not None:
        ocr = report.ocr
        out.insert(
            0,
            f"Read from the photo with {ocr['engine']} {ocr['version']}: mean confidence "
            f"{ocr['mean_confidence']}, turned {ocr['rotation_degrees']} degrees, deskewed "
            f"{ocr['deskew_degrees']} degrees, {ocr['timings_ms']['total']:.0f} ms "
            f"({ocr['strategy']} read).",
        )
        low = [i for i in report.items if report.item_ocr.get(i.position, {}).get("low_confidence")]
        if low:
            out.append("Read with low confidence: " + ", ".join(f"#{i.position}" for i in low))
    if report.truncated:
        out.append(f"... {report.truncated} more items were not analysed (limit reached).")
    return "\n".join(out)
