"""Name normalisation shared by the knowledge base and the matcher.

Pure functions over strings: no I/O, no Flask. Two kinds of key are used:

* :func:`name_key` folds case, accents, dash variants and the spacing around ``-``, ``/``, ``,``
  and brackets, so ``"Peg- 8  dimethicone"`` and ``"PEG-8 DIMETHICONE"`` meet.
* :func:`loose_key` keeps letters and digits only, so ``"CI77891"``, ``"C.I. 77891"`` and
  ``"CI 77891"`` meet. It is the "spacing insensitive" key for look-ups; it can join names that
  differ only in punctuation, so callers keep every candidate and prefer a :func:`name_key` hit.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

__all__ = [
    "colour_index_key",
    "display_name",
    "loose_key",
    "name_key",
    "ocr_fold",
    "strip_accents",
]

_DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe63\uff0d"), "-")
_QUOTES = dict.fromkeys(map(ord, "\u2018\u2019\u201a\u201b\u2032\u00b4`"), "'")
_SPACED = (
    (re.compile(r" ?- ?"), "-"),
    (re.compile(r" ?/ ?"), "/"),
    (re.compile(r" ?, ?"), ","),
    (re.compile(r"\( "), "("),
    (re.compile(r"\[ "), "["),
    (re.compile(r" \)"), ")"),
    (re.compile(r" \]"), "]"),
)
_NOT_ALNUM = re.compile(r"[^0-9A-Z]+")
# Letters and digits in runs joined by single spaces, hyphens or slashes: already a key but for
# the case (and no trailing full stop or asterisk to drop).
_PLAIN = re.compile(r"[A-Za-z0-9]+(?:[ /-][A-Za-z0-9]+)*")
_CI_NUMBER = re.compile(r"^C\s*[.,]?\s*[IL1|]\s*[.,]?\s*(\d{5})$")
# OCR look-alikes, folded to one representative: digit/letter pairs and letter clusters.
# Characters first, so "Cl", "C1" and "CI" are one cluster; then "ci"/"cl" for "d".
_OCR_CLUSTERS = (("RN", "M"), ("CI", "D"), ("VV", "W"))
_OCR_CHARS = str.maketrans({"0": "O", "1": "I", "L": "I", "5": "S", "8": "B"})


def strip_accents(text: str) -> str:
    """Remove combining accents, keeping the base letters.

    Examples:
        >>> strip_accents("Crème Ingrédients")
        'Creme Ingredients'
    """
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@lru_cache(maxsize=1 << 16)
def name_key(name: str) -> str:
    """Return the canonical look-up key of an ingredient name.

    Upper case, no accents, one kind of dash and quote, single spaces, no spaces around ``-``,
    ``/`` and ``,`` or just inside brackets, and no trailing full stop or asterisk.

    Examples:
        >>> name_key("  Caprylic/ Capric   triglyceride ")
        'CAPRYLIC/CAPRIC TRIGLYCERIDE'
        >>> name_key("PEG- 5 Glyceryl Stearate")
        'PEG-5 GLYCERYL STEARATE'
        >>> name_key("Alcohol Denat.")
        'ALCOHOL DENAT'
        >>> name_key("Butyrospermum Parkii ( Shea ) Butter")
        'BUTYROSPERMUM PARKII (SHEA) BUTTER'
    """
    if _PLAIN.fullmatch(name):  # the common case: nothing to fold but the case
        return name.upper()
    text = name if name.isascii() else strip_accents(unicodedata.normalize("NFKC", name))
    text = text.translate(_DASHES).translate(_QUOTES)
    text = " ".join(text.upper().split())
    for pattern, replacement in _SPACED:
        text = pattern.sub(replacement, text)
    return text.rstrip(" .*")


def loose_key(name: str) -> str:
    """Return the letters-and-digits-only key of a name.

    Examples:
        >>> loose_key("C.I. 77891")
        'CI77891'
        >>> loose_key("1,2-Hexanediol")
        '12HEXANEDIOL'
    """
    return _NOT_ALNUM.sub("", name_key(name))


def colour_index_key(key: str) -> str:
    """Read printed colour-index forms of a name key as ``CI nnnnn``.

    Examples:
        >>> colour_index_key("C.I. 77891"), colour_index_key("CL 77491"), colour_index_key("MICA")
        ('CI 77891', 'CI 77491', 'MICA')
    """
    ci = _CI_NUMBER.match(key)
    return f"CI {ci.group(1)}" if ci else key


def ocr_fold(loose: str) -> str:
    """Fold a :func:`loose_key` so that common OCR confusions meet.

    ``0/O``, ``1/I/L``, ``5/S``, ``8/B``, ``rn/m``, ``cl/d`` and ``vv/w`` become one form each.
    Both the query and the knowledge-base names are folded, so a confusion costs nothing; the
    fold is coarse, so callers check that a folded hit is unique.

    Examples:
        >>> ocr_fold(loose_key("Glycerln")) == ocr_fold(loose_key("Glycerin"))
        True
        >>> ocr_fold(loose_key("Dirnethicone")) == ocr_fold(loose_key("Dimethicone"))
        True
        >>> ocr_fold(loose_key("ClTRIC ACID")) == ocr_fold(loose_key("Citric Acid"))
        True
    """
    folded = loose.translate(_OCR_CHARS)
    for cluster, single in _OCR_CLUSTERS:
        folded = folded.replace(cluster, single)
    return folded


# Tokens that stay upper case in a display name.
_UPPER_TOKENS = frozenset(
    """BHA BHT CI DEA DNA EDTA HCL HDI IPDI MEA MIPA PABA PCA PEG PPG PVM PVP RNA SD TEA TIPA
    UV DMDM MDM DMAPA II III IV VI VII VIII IX XI XII DL AMP AMPD TBHQ""".split()
)
_TOKEN = re.compile(r"[A-Za-z]+|[^A-Za-z]+")


def display_name(inci_name: str) -> str:
    """Return a readable title-case form of an INCI name.

    Chemical tokens that are conventionally upper case (PEG, EDTA, CI ...) and tokens fused to
    digits keep their case; lower-case prefixes used by the glossary (``sh-``) are kept.

    Examples:
        >>> display_name("PEG-40 HYDROGENATED CASTOR OIL")
        'PEG-40 Hydrogenated Castor Oil'
        >>> display_name("CAPRYLIC/CAPRIC TRIGLYCERIDE")
        'Caprylic/Capric Triglyceride'
        >>> display_name("CI 77891")
        'CI 77891'
        >>> display_name("C12-15 ALKYL BENZOATE")
        'C12-15 Alkyl Benzoate'
    """
    out: list[str] = []
    for match in _TOKEN.finditer(inci_name):
        token = match.group(0)
        if not token[0].isalpha() or not token.isupper():
            out.append(token)
            continue
        end = match.end()
        fused_digit = end < len(inci_name) and inci_name[end].isdigit() and len(token) <= 2
        if token in _UPPER_TOKENS or fused_digit:
            out.append(token)
        else:
            out.append(token.capitalize())
    return "".join(out)
