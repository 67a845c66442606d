"""The one place that orders the stages: parse → match → look up → report.

The API, the web page and the CLI all call :func:`analyze_text`, so they cannot drift apart.
The knowledge base and the matcher are passed in (built once at start-up).
"""

from __future__ import annotations

from collections.abc import Sequence

from incilens import __version__
from incilens.claims import find_claims
from incilens.knowledge import KnowledgeBase
from incilens.matching import MATCHER_VERSION, Matcher, Resolved
from incilens.models import Ingredient, IngredientList
from incilens.parsing import PARSER_VERSION, parse
from incilens.profile import Profile, family_of
from incilens.report import Report, build_report

__all__ = ["DEFAULT_MAX_ITEMS", "REPORT_VERSION", "analyze_text", "build_matcher"]

REPORT_VERSION = "1"
#: Items analysed per text; a real list has well under a hundred.
DEFAULT_MAX_ITEMS = 300


def build_matcher(kb: KnowledgeBase) -> Matcher:
    """Build the matcher's indexes for ``kb`` (about a second; do it once, at start-up)."""
    return Matcher(kb)


def _resolve_avoid(
    terms: Sequence[str], matcher: Matcher
) -> tuple[dict[str, frozenset[str] | str], list[str]]:
    """Map avoid-list terms to a flag (families) or to entry ids (names and synonyms)."""
    resolved: dict[str, frozenset[str] | str] = {}
    unknown: list[str] = []
    for term in terms:
        family = family_of(term)
        if family:
            resolved[term] = family
            continue
        hit = matcher.lookup(term)
        if hit is None:
            hit, _ = matcher.fuzzy(term)
        if hit is None:
            unknown.append(term)
        else:
            resolved[term] = frozenset({matcher.kb.ids[hit.entry]})
    return resolved, unknown


def _keep_real_lists(resolved: list[Resolved], lists: Sequence[IngredientList]) -> list[Resolved]:
    """Drop lists found without a header whose items are mostly not ingredients.

    A bare run of short items can be an address or a row of claims; it counts as a list only
    when at least half of its items are recognised. Lists under a header always stay (an
    unreadable list there is reported as an unreliable read instead).
    """
    bare = {lst.index for lst in lists if lst.found_by == "bare"}
    seen: dict[int, list[int]] = {}  # list index -> [items, recognised]
    for r in resolved:
        counts = seen.setdefault(r.token.list_index, [0, 0])
        counts[0] += 1
        counts[1] += r.match is not None
    keep = {i for i, (items, known) in seen.items() if i not in bare or 2 * known >= items}
    return [r for r in resolved if r.token.list_index in keep]


def analyze_text(
    text: str,
    *,
    kb: KnowledgeBase,
    matcher: Matcher,
    profile: Profile | None = None,
    max_items: int = DEFAULT_MAX_ITEMS,
) -> Report:
    """Analyse ``text``: find its ingredient lists, match every item and build the report."""
    profile = profile or Profile()
    parsed = parse(text)
    truncated = 0
    tokens = parsed.tokens
    if len(tokens) > max_items:  # a hostile or runaway text: stop, and say how many
        truncated = len(tokens) - max_items
        tokens = tokens[:max_items]
    resolved = _keep_real_lists(matcher.resolve_all(tokens), parsed.lists)
    used = {r.token.list_index for r in resolved}
    lists = [lst for lst in parsed.lists if lst.index in used or lst.found_by == "header"]
    truncated += max(0, len(resolved) - max_items)
    resolved = resolved[:max_items]
    ingredients: list[Ingredient | None] = [
        None if r.entry is None else kb.entry(r.entry) for r in resolved
    ]
    avoid, avoid_unknown = _resolve_avoid(profile.avoid, matcher)
    return build_report(
        text,
        lists,
        resolved,
        ingredients,
        profile=profile,
        claims=find_claims(text),
        avoid=avoid,
        avoid_unknown=avoid_unknown,
        flag_labels=kb.header["flag_labels"],
        versions={
            "incilens": __version__,
            "kb": kb.version,
            "parser": PARSER_VERSION,
            "matcher": MATCHER_VERSION,
            "report": REPORT_VERSION,
        },
        truncated=truncated,
    )
