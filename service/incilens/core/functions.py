"""What an ingredient is used for, in the order a shopper should read it. Pure: no I/O.

CosIng lists every function an ingredient may have, alphabetically, and the 2025 glossary gives
FRAGRANCE or PERFUMING to hundreds of materials that are in a product for something else (citric
acid buffers, tocopherol is an antioxidant, glycerin a humectant). Shown as listed, glycerin's
first function reads "Denaturant" and citric acid's row says "fragrance". :func:`rank_functions`
keeps every function, but puts the ones that say what the ingredient is usually there for first
and sets the rarely-meant ones (:data:`MINOR_FUNCTIONS`) apart, unless they are all it has or the
ingredient is itself a scent (flagged fragrance, fragrance allergen or essential oil).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable

__all__ = ["MINOR_FUNCTIONS", "SCENT_FLAGS", "rank_functions"]

#: CosIng functions that are rarely why an ingredient is in a cosmetic: shown apart, as minor.
MINOR_FUNCTIONS = frozenset(
    {"FRAGRANCE", "PERFUMING", "DENATURANT", "ORAL CARE", "FLAVOURING", "NOT REPORTED"}
)
#: Flags that make FRAGRANCE and PERFUMING the ingredient's main use.
SCENT_FLAGS = frozenset({"fragrance", "fragrance_allergen", "essential_oil"})

# What the ingredient does for the shopper first, then how it helps the formula. Functions not
# named here come between the two groups, in CosIng's order.
_FIRST = (
    "UV FILTER",
    "PRESERVATIVE",
    "ANTIPERSPIRANT",
    "DEODORANT",
    "HAIR DYEING",
    "COLORANT",
    "BLEACHING",
    "TANNING",
    "DEPILATORY",
    "EXFOLIATING",
    "KERATOLYTIC",
    "HUMECTANT",
    "SKIN CONDITIONING - HUMECTANT",
    "MOISTURISING",
    "SKIN CONDITIONING - EMOLLIENT",
    "SKIN CONDITIONING - OCCLUSIVE",
    "SURFACTANT - CLEANSING",
    "CLEANSING",
    "ANTIOXIDANT",
    "SOOTHING",
    "ANTI-SEBUM",
    "SMOOTHING",
    "SKIN CONDITIONING - MISCELLANEOUS",
    "SKIN CONDITIONING",
    "SKIN PROTECTING",
    "HAIR CONDITIONING",
    "SURFACTANT - EMULSIFYING",
)
_LAST = (
    "FILM FORMING",
    "EMULSION STABILISING",
    "VISCOSITY CONTROLLING",
    "GEL FORMING",
    "SOLVENT",
    "BUFFERING",
    "pH ADJUSTERS",
    "CHELATING",
    "OPACIFYING",
    "ANTIFOAMING",
    "ANTICORROSIVE",
    "BULKING",
    "BINDING",
    "UV ABSORBER",
    "ANTISTATIC",
    "SURFACTANT - FOAM BOOSTING",
    "FOAMING",
)
_RANK = {name: i for i, name in enumerate(_FIRST)} | {
    name: len(_FIRST) + 1 + i for i, name in enumerate(_LAST)
}
_MIDDLE = len(_FIRST)


def rank_functions(
    names: Iterable[str], flag_ids: Collection[str] = ()
) -> tuple[list[str], list[str]]:
    """Split CosIng function names into (main, minor), each in reading order.

    Every name is kept, once. A minor function is main when the ingredient has nothing else,
    and FRAGRANCE or PERFUMING are main for an ingredient flagged as a scent.

    Examples:
        >>> rank_functions(["BUFFERING", "CHELATING", "FRAGRANCE"], {"aha"})
        (['BUFFERING', 'CHELATING'], ['FRAGRANCE'])
        >>> rank_functions(["DENATURANT", "HUMECTANT", "ORAL CARE", "SOLVENT"])
        (['HUMECTANT', 'SOLVENT'], ['DENATURANT', 'ORAL CARE'])
        >>> rank_functions(["DEODORANT", "PERFUMING"], {"fragrance_allergen"})
        (['PERFUMING', 'DEODORANT'], [])
        >>> rank_functions(["DENATURANT"])
        (['DENATURANT'], [])
    """
    unique = list(dict.fromkeys(names))
    scent = bool(SCENT_FLAGS & set(flag_ids))

    def minor(name: str) -> bool:
        if scent and name in ("FRAGRANCE", "PERFUMING"):
            return False
        return name.upper() in MINOR_FUNCTIONS

    main = [n for n in unique if not minor(n)]
    rest = [n for n in unique if minor(n)]
    if not main:
        return rest, []
    order = {n: i for i, n in enumerate(unique)}
    first = ("FRAGRANCE", "PERFUMING") if scent else ()
    main.sort(key=lambda n: (-1 if n in first else _RANK.get(n, _MIDDLE), order[n]))
    return main, rest
