"""A shopper's profile: skin type, concerns, what to avoid, vegan, pregnancy.

The profile travels with each request and is never stored. Avoid-list terms are either families
("parabens", "fragrance", "silicones" ...) mapped to the knowledge base's flags, or ingredient
names that the pipeline resolves through the matcher (synonyms included). Pure: no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = ["AVOID_FAMILIES", "CONCERNS", "SKIN_TYPES", "Profile", "family_of"]

SKIN_TYPES = ("oily", "dry", "combination", "normal", "sensitive")
CONCERNS = ("acne", "rosacea", "eczema", "fungal_acne")

#: Avoid-list words that name a family of ingredients, and the KB flag each one means.
AVOID_FAMILIES: dict[str, str] = {
    "paraben": "paraben",
    "parabens": "paraben",
    "fragrance": "fragrance",
    "fragrances": "fragrance",
    "perfume": "fragrance",
    "parfum": "fragrance",
    "fragrance allergen": "fragrance_allergen",
    "fragrance allergens": "fragrance_allergen",
    "allergens": "fragrance_allergen",
    "essential oil": "essential_oil",
    "essential oils": "essential_oil",
    "silicone": "silicone",
    "silicones": "silicone",
    "sulfate": "sulfate_surfactant",
    "sulfates": "sulfate_surfactant",
    "sulphate": "sulfate_surfactant",
    "sulphates": "sulfate_surfactant",
    "drying alcohol": "drying_alcohol",
    "drying alcohols": "drying_alcohol",
    "alcohol": "drying_alcohol",
    "formaldehyde": "formaldehyde_releaser",
    "formaldehyde releaser": "formaldehyde_releaser",
    "formaldehyde releasers": "formaldehyde_releaser",
    "mineral oil": "mineral_oil",
    "mineral oils": "mineral_oil",
    "petrolatum": "mineral_oil",
    "peg": "peg",
    "pegs": "peg",
    "retinoid": "retinoid",
    "retinoids": "retinoid",
    "aha": "aha",
    "ahas": "aha",
    "bha": "bha",
    "animal": "animal_derived",
    "animal-derived": "animal_derived",
    "animal derived": "animal_derived",
    "colorant": "colorant",
    "colorants": "colorant",
    "colourants": "colorant",
    "dyes": "colorant",
    "uv filter": "uv_filter",
    "uv filters": "uv_filter",
    "chemical sunscreen": "uv_filter",
    "preservative": "preservative",
    "preservatives": "preservative",
}


def family_of(term: str) -> str | None:
    """Return the KB flag an avoid-list term names, or None for an ingredient name.

    Examples:
        >>> family_of(" Parabens "), family_of("SULPHATES"), family_of("glycerin")
        ('paraben', 'sulfate_surfactant', None)
    """
    return AVOID_FAMILIES.get(" ".join(term.lower().replace("_", " ").split()))


@dataclass(frozen=True)
class Profile:
    """What matters to one shopper. Every field is optional."""

    skin_type: str | None = None
    concerns: tuple[str, ...] = ()
    avoid: tuple[str, ...] = ()
    vegan: bool = False
    pregnant_or_breastfeeding: bool = False
    extra: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        if self.skin_type is not None and self.skin_type not in SKIN_TYPES:
            raise ValueError(f"skin_type must be one of {SKIN_TYPES}")
        unknown = set(self.concerns) - set(CONCERNS)
        if unknown:
            raise ValueError(f"unknown concerns {sorted(unknown)}; choose from {CONCERNS}")

    @property
    def empty(self) -> bool:
        """Whether the profile asks for nothing."""
        return not (
            self.skin_type
            or self.concerns
            or self.avoid
            or self.vegan
            or self.pregnant_or_breastfeeding
        )

    @property
    def conditions(self) -> frozenset[str]:
        """The skin type and concerns together (as used by ``skin_types.not_ideal_for``)."""
        return frozenset(([self.skin_type] if self.skin_type else []) + list(self.concerns))

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form."""
        return {
            "skin_type": self.skin_type,
            "concerns": list(self.concerns),
            "avoid": list(self.avoid),
            "vegan": self.vegan,
            "pregnant_or_breastfeeding": self.pregnant_or_breastfeeding,
        }
