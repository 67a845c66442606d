"""Classification rules: ingredient flags, origin and vegan status.

Every rule looks at an entry's INCI name (as a :func:`~incilens.core.normalize.name_key`), its
CosIng functions and its CosIng description, and returns its verdict with a reason and a source
id of the form ``rule:<name>``. The rules are grounded in chemistry rather than bare keywords,
and the look-alikes they must not catch are listed next to them (and tested first, in
``tests/kb/test_kb_flags.py``). Pure: no I/O.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = [
    "FLAG_LABELS",
    "EntryFacts",
    "FlagHit",
    "OriginVerdict",
    "classify",
    "has_fatty_chain",
    "origin_of",
]

FLAG_LABELS: dict[str, str] = {
    "fragrance": "Fragrance",
    "fragrance_allergen": "EU fragrance allergen",
    "essential_oil": "Essential oil",
    "paraben": "Paraben",
    "formaldehyde_releaser": "Formaldehyde releaser",
    "silicone": "Silicone",
    "sulfate_surfactant": "Sulfate surfactant",
    "drying_alcohol": "Drying alcohol",
    "fatty_alcohol": "Fatty alcohol (not drying)",
    "peg": "PEG / ethoxylated",
    "mineral_oil": "Mineral oil / petrolatum",
    "uv_filter": "UV filter",
    "reef_concern": "Reef concern",
    "aha": "Alpha hydroxy acid (AHA)",
    "bha": "Beta hydroxy acid (BHA)",
    "pha": "Polyhydroxy acid (PHA)",
    "retinoid": "Retinoid",
    "fungal_acne_trigger": "Fungal-acne trigger",
    "animal_derived": "Animal-derived",
    "human_derived": "Human-derived",
    "colorant": "Colorant",
    "preservative": "Preservative",
    "eu_prohibited": "EU prohibited",
    "eu_restricted": "EU restricted",
    "eu_conditional": "EU: restricted under conditions",
}


@dataclass(frozen=True)
class EntryFacts:
    """What the rules look at: the name key, CosIng functions and description."""

    key: str
    functions: frozenset[str]
    description: str


@dataclass(frozen=True)
class FlagHit:
    """A flag raised by a rule, with the reason in plain words."""

    id: str
    reason: str
    source: str


def _words(key: str) -> list[str]:
    return re.findall(r"[A-Z0-9]+", key)


# --- fragrance -------------------------------------------------------------------------------
_FRAGRANCE_NAMES = frozenset({"PARFUM", "FRAGRANCE", "PERFUME", "AROMA", "FLAVOR", "FLAVOUR"})

# --- silicones: siloxane backbones; silica, silicates and silk are not silicones --------------
# SILOXY also inside a word (TRIMETHYLSILOXYSILICATE, a silicone resin); trimethylsilanes and
# silanetriol are organosilicons that behave like silicones on hair.
_SILICONE = re.compile(
    r"(ICONE|ICONOL|SILOXANE|SILSESQUIOXANE|SILICONE)\b|METHICONE|SILOXY|TRIMETHYLSILANE\b|"
    r"^SILANETRIOL$"
)

# --- sulfate surfactants: an alkyl sulfate that CosIng lists as a surfactant --------------------
_SURFACTANT_FUNCTIONS = frozenset(
    {"SURFACTANT - CLEANSING", "CLEANSING", "SURFACTANT - EMULSIFYING", "FOAMING"}
)
_NOT_SULFATE_SURFACTANT = re.compile(r"METHOSULFATE|ETHOSULFATE|SULFOSUCCINATE|THIOSULFATE")

# --- alcohols ------------------------------------------------------------------------------
_DRYING_ALCOHOL = re.compile(
    r"^(ALCOHOL|ALCOHOL DENAT|SD ALCOHOL\b.*|ETHANOL|DENATURED ALCOHOL|ISOPROPYL ALCOHOL|"
    r"ISOPROPANOL|PROPYL ALCOHOL|PROPANOL|METHYL ALCOHOL|METHANOL)$"
)
_FATTY_ALCOHOL = re.compile(
    r"^(CETYL|STEARYL|CETEARYL|BEHENYL|ARACHIDYL|MYRISTYL|LAURYL|OLEYL|ISOSTEARYL|"
    r"OCTYLDODECYL|DECYL|C\d+-\d+) ALCOHOLS?$|^OCTYLDODECANOL$|^HEXYLDECANOL$"
)

# --- preservatives and friends --------------------------------------------------------------
# Formaldehyde releasers that are no longer in Annex V (so the Annex V rule cannot find them).
_FORMALDEHYDE_RELEASERS_EXTRA = frozenset(
    {
        "QUATERNIUM-15",
        "MDM HYDANTOIN",
        "POLYOXYMETHYLENE UREA",
        "TRIS(HYDROXYMETHYL)NITROMETHANE",
        "METHENAMINE 3-CHLOROALLYLOCHLORIDE",
    }
)

# --- ethoxylation --------------------------------------------------------------------------
_PEG = re.compile(
    r"\bPEG\b|\bPEG-\d|POLYETHYLENE GLYCOL|\b[A-Z]+ETH-\d|POLYSORBATE|\bPEG/PPG|/PEG-|-PEG-|"
    r"^POLOXAMER \d+$"  # poloxamers are ethylene oxide / propylene oxide block polymers
)

# --- petroleum hydrocarbons ----------------------------------------------------------------
_MINERAL_OIL = re.compile(
    r"^(PARAFFINUM LIQUIDUM|MINERAL OIL|PETROLATUM|PARAFFIN|CERESIN|OZOKERITE|"
    r"CERA MICROCRISTALLINA|MICROCRYSTALLINE WAX|PETROLEUM DISTILLATES|C\d+-\d+ ISOPARAFFIN|"
    r"ISOPARAFFIN)$"
)

# --- acids and retinoids -------------------------------------------------------------------
_AHA = frozenset(
    {"GLYCOLIC ACID", "LACTIC ACID", "MANDELIC ACID", "MALIC ACID", "TARTARIC ACID", "CITRIC ACID"}
)
_PHA = frozenset({"GLUCONOLACTONE", "LACTOBIONIC ACID"})
_BHA = frozenset({"SALICYLIC ACID", "BETAINE SALICYLATE", "CAPRYLOYL SALICYLIC ACID"})
_RETINOID = re.compile(
    r"^(RETINOL|RETINAL|RETINOIC ACID|TRETINOIN|RETINYL [A-Z]+|HYDROXYPINACOLONE RETINOATE|"
    r"RETINYL RETINOATE)$"
)

# --- reef: filters named in reef-protection laws (Hawaii Act 104 of 2018, Palau RPPL 10-30) ---
_REEF = {
    "BENZOPHENONE-3": "banned from sale in Hawaii (Act 104, 2018) and Palau over harm to corals",
    "ETHYLHEXYL METHOXYCINNAMATE": "banned from sale in Hawaii (Act 104, 2018) and Palau over "
    "harm to corals",
    "OCTOCRYLENE": "banned in Palau's reef-protection law (RPPL 10-30)",
    "4-METHYLBENZYLIDENE CAMPHOR": "banned in Palau's reef-protection law (RPPL 10-30)",
    "BENZOPHENONE-2": "banned in Palau's reef-protection law (RPPL 10-30)",
}

# --- fungal acne: Malassezia feeds on fatty acids of 11 to 24 carbons and their esters --------
_FATTY_STEMS = (
    "UNDECYLEN|LAUR|TRIDECAN|MYRIST|PENTADECAN|PALMIT|MARGAR|HEPTADECAN|STEAR|ISOSTEAR|OLE|"
    "LINOLE|LINOLEN|RICINOLE|ARACHID|BEHEN|ERUC|LIGNOCER|HYDROXYSTEAR|PALMITOLE|COCO|TALLOW"
)
_FATTY_ACID_OR_ESTER = re.compile(
    rf"\b(?:{_FATTY_STEMS})(?:IC ACID|ATES?|ATE/|IN|OYL)\b|\b(?:{_FATTY_STEMS})(?:IC|ATE)/"
)
_PLANT_FIXED_OIL = re.compile(r"\b(SEED|KERNEL|NUT|FRUIT|GERM|BEAN|PULP)? ?(OIL|BUTTER)$")
_FUNGAL_SAFE_OILS = frozenset(
    {
        "SQUALANE",
        "CAPRYLIC/CAPRIC TRIGLYCERIDE",
        "PARAFFINUM LIQUIDUM",
        "MINERAL OIL",
        "HYDROGENATED POLYISOBUTENE",
    }
)


def has_fatty_chain(key: str) -> bool:
    """Whether the name carries a fatty-acid chain (stear-, palmit-, myrist-, ole- ...).

    Examples:
        >>> has_fatty_chain("STEARETH-2"), has_fatty_chain("PENTYLENE GLYCOL")
        (True, False)
    """
    return re.search(rf"(?:{_FATTY_STEMS})", key) is not None


def _is_essential_oil(facts: EntryFacts) -> bool:
    desc = facts.description.lower()
    if not facts.key.endswith(("OIL", "OIL EXPRESSED", "OIL DISTILLED")):
        return False
    if "volatile oil" in desc or "essential oil" in desc or "distilled from" in desc:
        return True
    is_citrus_peel = facts.key.startswith("CITRUS") and "PEEL OIL" in facts.key
    return is_citrus_peel


def classify(facts: EntryFacts) -> list[FlagHit]:
    """Return the rule-based flags of one entry (annex and allergen flags are added elsewhere).

    Examples:
        >>> [f.id for f in classify(EntryFacts("DIMETHICONE", frozenset(), ""))]
        ['silicone']
        >>> classify(EntryFacts("SILICA", frozenset(), ""))
        []
    """
    key = facts.key
    hits: list[FlagHit] = []

    def hit(flag: str, reason: str) -> None:
        hits.append(FlagHit(flag, reason, f"rule:{flag}"))

    if key in _FRAGRANCE_NAMES:
        hit("fragrance", "A fragrance or flavor blend: its components are not disclosed.")
    if _is_essential_oil(facts):
        hit("essential_oil", "A volatile plant oil used for scent; a common cause of irritation.")
    if "PARABEN" in key:
        hit("paraben", "An ester of 4-hydroxybenzoic acid used as a preservative.")
    if key in _FORMALDEHYDE_RELEASERS_EXTRA:
        hit("formaldehyde_releaser", "Slowly releases formaldehyde to preserve the product.")
    if _SILICONE.search(key):
        hit("silicone", "Its name marks a siloxane (silicone) polymer or derivative.")
    if (
        ("SULFATE" in key or "SULPHATE" in key)
        and facts.functions & _SURFACTANT_FUNCTIONS
        and not _NOT_SULFATE_SURFACTANT.search(key)
    ):
        hit("sulfate_surfactant", "An alkyl sulfate cleansing agent: strong degreasing lather.")
    if _DRYING_ALCOHOL.match(key):
        hit("drying_alcohol", "A short-chain, volatile alcohol that can dry and irritate skin.")
    if _FATTY_ALCOHOL.match(key):
        hit("fatty_alcohol", "A long-chain fatty alcohol: an emollient, not a drying alcohol.")
    if _PEG.search(key):
        hit("peg", "Made with ethylene oxide (a PEG or an ethoxylated compound).")
    if _MINERAL_OIL.match(key):
        hit("mineral_oil", "A refined petroleum hydrocarbon.")
    if key in _AHA:
        hit("aha", "An alpha hydroxy acid: exfoliates at low pH and higher concentrations.")
    if key in _PHA:
        hit("pha", "A polyhydroxy acid: a gentler exfoliating acid.")
    if key in _BHA:
        hit("bha", "A beta hydroxy acid: an oil-soluble exfoliant that works inside pores.")
    if _RETINOID.match(key):
        hit("retinoid", "A vitamin A derivative (retinoid).")
    if key in _REEF:
        hit("reef_concern", f"A UV filter {_REEF[key]}.")
    # "UV filter" comes only from Annex VI (added with the annex links): CosIng's "UV absorber"
    # protects the product from light (green tea extract, benzyl salicylate), and a "UV filter"
    # function alone is not an EU-allowed sunscreen filter.
    if key.startswith("POLYSORBATE"):
        hit("fungal_acne_trigger", "Polysorbates are fatty-acid esters that feed Malassezia yeast.")
    elif _FATTY_ACID_OR_ESTER.search(key):
        hit(
            "fungal_acne_trigger",
            "A fatty acid of 11 to 24 carbons, or an ester or salt of one: food for Malassezia.",
        )
    elif (
        key not in _FUNGAL_SAFE_OILS
        and _PLANT_FIXED_OIL.search(key)
        and not _is_essential_oil(facts)
        and ("fixed oil" in facts.description.lower() or _PLANT_FAMILY.search(facts.description))
    ):
        hit(
            "fungal_acne_trigger",
            "A plant oil or butter: mostly glycerides of 16 to 18-carbon fatty acids.",
        )
    return hits


# --- origin and vegan status ---------------------------------------------------------------


@dataclass(frozen=True)
class OriginVerdict:
    """Where an ingredient comes from and what that means for vegans."""

    origin: str  # plant | animal | human | mineral | synthetic | microbial | petroleum | unknown
    vegan: str  # vegan | not_vegan | depends | unknown
    reason: str
    source: str


_ANIMAL_NAMES = re.compile(
    r"\b(LANOLIN|LANOLIN ALCOHOL|CERA ALBA|BEESWAX|MEL|HONEY|PROPOLIS|ROYAL JELLY|CARMINE|"
    r"COLLAGEN|ELASTIN|KERATIN|SILK|SERICIN|FIBROIN|LAC|LACTIS|MILK|WHEY|CASEIN|OVUM|EGG|"
    r"TALLOW|SEVUM|ADEPS|MINK|EMU|SHARK|SNAIL|PLACENTA|CAVIAR|PEARL|MUCIN|CHONDROITIN|"
    r"HYDROLYZED SILK|LANOLIN OIL|CHOLESTERYL|BOVINE|PORCINE|OVINE|EQUINE|ANIMAL|"
    r"LANOLATE|LANOLINAMIDE\w*|TALLOWAMINE|TALLOWAMIDE\w*|TALLOWATE)\b"
)
_ANIMAL_GENERA = re.compile(
    r"\b(Bos|Ovis|Equus|Sus|Gallus|Capra|Apis|Bombyx|Cervus|Helix|Achatina|Crassostrea|"
    r"Mytilus|Struthio|Dromaius|Salmo|Oncorhynchus|Squalus|Ostrea|Pinctada|Mustela|Camelus|"
    r"Acipenser|Anguilla|Dendrobaena|Lumbricus|Cryptotympana|Hirudo|Bufo)\s+[a-z]+"
)
_ANIMAL_WORDS = re.compile(
    r"\b(bovine|porcine|sheep|cattle|cows?|pigs?|swine|chickens?|hens?|bees?|honeybees?|"
    r"snails?|silkworms?|fish|sharks?|hoofs|horns|wool|tallow|milk|eggs?|animal)\b",
    re.IGNORECASE,
)
_PLANT_FAMILY = re.compile(
    r"\b\w+aceae\b|\b(Labiatae|Compositae|Cruciferae|Gramineae|Leguminosae|Palmae|"
    r"Umbelliferae|Guttiferae)\b"
)
_MICROBIAL = re.compile(
    r"FERMENT|LACTOBACILLUS|SACCHAROMYCES|BIFIDA|BIFIDOBACTERIUM|BACILLUS|STREPTOCOCCUS|"
    r"LEUCONOSTOC|ASPERGILLUS|GALACTOMYCES|LACTOCOCCUS|PSEUDOALTEROMONAS|\bFAEX\b|\bYEAST\b"
)
_DEPENDS = re.compile(
    r"^(GLYCERIN|SQUALANE|SQUALENE|CHOLESTEROL|GUANINE|CHITOSAN|LECITHIN|HYDROGENATED LECITHIN|"
    r"CAPRYLIC/CAPRIC TRIGLYCERIDE|TRIGLYCERIDES?|GLYCERYL [A-Z/-]+)$"
)
# Fatty acids and what is made from them: salts and esters, alcohols, acyl groups; and for the
# chains tallow is made of (palmitic, stearic, oleic), amides, amines and mixed glycerides too
# ("PALMITAMIDE MEA", "PALMITIC/STEARIC TRIGLYCERIDE"): tallow or plant oil.
_TALLOW_STEMS = "PALMIT|STEAR|ISOSTEAR|HYDROXYSTEAR|OLE|TALLOW"
_FATTY_DERIVED = re.compile(
    rf"\b(?:{_FATTY_STEMS})(?:IC ACID|ATES?|YL ALCOHOL|OYL|IN)\b|"
    rf"\b(?:{_TALLOW_STEMS})(?:AMIDE|AMIDO\w*|AMINE|IC|YL)\b|"
    rf"\b(?:{_TALLOW_STEMS})(?:IC|ATE|AMIDE)/|\bCET(?:YL|EARYL) ALCOHOL\b"
)
# PALM but not PALMIT-: palmitates (potassium palmitate soap) are often made from tallow.
_VEGETABLE = re.compile(
    r"\b(COCO|COCOYL|COCAMID\w*|PALM(?!IT)\w*|OLIVATE|VEGETABLE|SOY\w*|SHEA\w*)"
)
_MINERAL = re.compile(
    r"^(CI 77\d{3}|MICA|TALC|KAOLIN|SILICA|HYDRATED SILICA|BENTONITE|ZINC OXIDE|TITANIUM DIOXIDE|"
    r"IRON OXIDES|ALUMINA|MAGNESIUM ALUMINUM SILICATE|SODIUM CHLORIDE|MARIS SAL|SEA SALT|"
    r"BORON NITRIDE|CALCIUM CARBONATE|MAGNESIUM CARBONATE|ZEOLITE|ILLITE|MONTMORILLONITE|"
    r"HECTORITE|DISTEARDIMONIUM HECTORITE|AQUA|WATER)$"
)
_INORGANIC_WORDS = frozenset(
    """SODIUM POTASSIUM CALCIUM MAGNESIUM ZINC ALUMINUM ALUMINIUM IRON FERRIC FERROUS COPPER
    MANGANESE LITHIUM AMMONIUM BARIUM STRONTIUM SILVER GOLD CHLORIDE SULFATE SULPHATE CARBONATE
    BICARBONATE PHOSPHATE PHOSPHATES HYDROXIDE OXIDE OXIDES DIOXIDE NITRATE SILICATE BORATE
    FLUORIDE IODIDE BROMIDE HYDROGEN DIHYDROGEN DISODIUM TRISODIUM DIPOTASSIUM TETRASODIUM
    THIOSULFATE PEROXIDE METABISULFITE SULFITE BISULFITE PYROPHOSPHATE PERBORATE""".split()
)
_SYNTHETIC = re.compile(
    r"\bPEG\b|\bPEG-|\bPPG-|POLYQUATERNIUM|QUATERNIUM|COPOLYMER|CROSSPOLYMER|POLYMER\b|ACRYLATE|"
    r"ACRYLAMIDE|CARBOMER|NYLON|POLYETHYLENE|POLYPROPYLENE|POLYURETHANE|POLYESTER|EDTA|PARABEN|"
    r"PHENOXYETHANOL|ETHYLHEXYLGLYCERIN|BUTYLENE GLYCOL|PROPYLENE GLYCOL|PENTYLENE GLYCOL|"
    r"HEXANEDIOL|CAPRYLYL GLYCOL|METHYLISOTHIAZOLINONE|ISOTHIAZOLINONE|BENZOPHENONE|"
    r"PEPTIDE-\d|ICONE\b|SILOXANE|METHICONE|^sh-|^SH-|^RH-|\bETH-\d|^CI [1-6]\d{4}$|BHT|"
    r"ISODODECANE|ISOHEXADECANE|DIMETHYL|TRIMETHYL|METHYL METHACRYLATE|AMINOMETHYL PROPANOL|"
    r"TRIETHANOLAMINE|SODIUM BENZOATE|POTASSIUM SORBATE|SORBIC ACID|BENZOIC ACID|PROPANEDIOL"
)


def origin_of(facts: EntryFacts) -> OriginVerdict:
    """Derive origin and vegan status from the name and the CosIng description.

    Examples:
        >>> origin_of(EntryFacts("HUMAN UMBILICAL MESENCHYMAL STEM CELL CONDITIONED MEDIA",
        ...                      frozenset(), "")).vegan
        'not_vegan'
        >>> origin_of(EntryFacts("STEARIC ACID", frozenset(), "Stearic acid")).vegan
        'depends'
    """
    key, desc = facts.key, facts.description
    words = set(_words(key))
    if "HUMAN" in words and not key.startswith(("SH-", "RH-")):
        return OriginVerdict(
            "human",
            "not_vegan",
            "Made from human cells or tissue: of human origin, so not vegan.",
            "rule:human-derived",
        )
    if _ANIMAL_NAMES.search(key) or _ANIMAL_GENERA.search(desc):
        return OriginVerdict(
            "animal",
            "not_vegan",
            "Its name or CosIng description names an animal source.",
            "rule:animal-derived",
        )
    if _DEPENDS.match(key) or (
        _FATTY_DERIVED.search(key) and not _VEGETABLE.search(key) and not _PLANT_FAMILY.search(desc)
    ):
        return OriginVerdict(
            "unknown",
            "depends",
            "Can be made from plant oils or from animal fat; only the maker knows which.",
            "rule:depends-on-source",
        )
    if _PLANT_FAMILY.search(desc) or _VEGETABLE.search(key):
        if _ANIMAL_WORDS.search(desc) and not _PLANT_FAMILY.search(desc):
            pass
        else:
            return OriginVerdict(
                "plant",
                "vegan",
                "Obtained from a plant (CosIng names the plant family).",
                "rule:plant-derived",
            )
    if _MICROBIAL.search(key):
        return OriginVerdict(
            "microbial",
            "vegan",
            "Made by fermentation with bacteria or yeast.",
            "rule:microbial",
        )
    if _MINERAL.match(key) or (words and words <= _INORGANIC_WORDS):
        return OriginVerdict(
            "mineral",
            "vegan",
            "A mineral or a simple inorganic salt.",
            "rule:mineral",
        )
    if _MINERAL_OIL.match(key):
        return OriginVerdict(
            "petroleum",
            "vegan",
            "Refined from petroleum.",
            "rule:petroleum",
        )
    if _SYNTHETIC.search(key):
        return OriginVerdict(
            "synthetic",
            "vegan",
            "A synthetic compound (its name marks a man-made chemical class).",
            "rule:synthetic",
        )
    if _ANIMAL_WORDS.search(desc):
        return OriginVerdict(
            "unknown",
            "depends",
            "Its CosIng description mentions an animal material; check with the maker.",
            "rule:animal-words",
        )
    return OriginVerdict(
        "unknown", "unknown", "No rule or curated note says where it comes from.", "rule:none"
    )
