"""Pydantic models of the HTTP API: they validate requests and generate ``/openapi.json``.

Requests are strict (wrong JSON types and unknown fields are rejected with a 400); response
models document the shapes that ``Report.to_dict()`` and ``Ingredient.to_dict()`` produce.
Deeply nested records (an ingredient's facts, a flag's items) are documented as objects with
their main keys and allowed to carry more, so the document stays readable.
"""

from __future__ import annotations

import copy
from typing import Annotated, Any, Literal

from flask_openapi3.models.file import FileStorage
from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictStr

from incilens.core.profile import CONCERNS, SKIN_TYPES

__all__ = [
    "AnalyzeImageForm",
    "AnalyzeTextRequest",
    "ErrorResponse",
    "HealthResponse",
    "IngredientPath",
    "IngredientResponse",
    "ProfileModel",
    "ReportResponse",
    "SearchQuery",
    "SearchResponse",
]

SkinType = Literal["oily", "dry", "combination", "normal", "sensitive"]
Concern = Literal["acne", "rosacea", "eczema", "fungal_acne"]
assert set(SkinType.__args__) == set(SKIN_TYPES)  # type: ignore[attr-defined]
assert set(Concern.__args__) == set(CONCERNS)  # type: ignore[attr-defined]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


_SCHEMAS: dict[type[BaseModel], dict[str, Any]] = {}


class RequestInput(BaseModel):
    """A query or form model whose JSON schema is made once, not on every request.

    flask-openapi3 reads a query or form model's JSON schema on every request to tell list
    fields from single ones; pydantic rebuilds it each time (about half a millisecond for a
    one-field model, as much as the encoding of a full report). With no arguments the schema
    is built once per class; callers get their own copy, so nothing they do leaks into it.
    Calls with arguments (the OpenAPI document's) are passed through unchanged.
    """

    @classmethod
    def model_json_schema(cls, *args: Any, **kwargs: Any) -> dict[str, Any]:
        """The model's JSON schema (cached when asked with the default arguments)."""
        if args or kwargs:
            return super().model_json_schema(*args, **kwargs)
        schema = _SCHEMAS.get(cls)
        if schema is None:
            schema = _SCHEMAS[cls] = super().model_json_schema()
        return copy.deepcopy(schema)


class _Open(BaseModel):
    model_config = ConfigDict(extra="allow")


# -- requests -----------------------------------------------------------------------------
class ProfileModel(_Strict):
    """What matters to the shopper; every field is optional and nothing is stored."""

    skin_type: SkinType | None = Field(None, description="One skin type.")
    concerns: list[Concern] = Field(default_factory=list, max_length=len(CONCERNS))
    avoid: list[Annotated[StrictStr, Field(max_length=100)]] = Field(
        default_factory=list,
        max_length=50,
        description='Ingredient names or families ("parabens", "fragrance", "silicones" ...).',
    )
    vegan: StrictBool = False
    pregnant_or_breastfeeding: StrictBool = False


class AnalyzeTextRequest(_Strict):
    """Text holding an ingredient list (a pasted list, page text, OCR output)."""

    text: StrictStr = Field(description="The text to analyse; the list is found inside it.")
    profile: ProfileModel | None = None


class AnalyzeImageForm(RequestInput):
    """A label photo (multipart/form-data) and an optional profile as a JSON string."""

    model_config = ConfigDict(extra="forbid", arbitrary_types_allowed=True)
    image: FileStorage = Field(description="JPEG, PNG, WebP, TIFF or HEIC; at most 16 MiB.")
    profile: ProfileModel | None = Field(None, description="The profile object, JSON-encoded.")


class IngredientPath(_Strict):
    """An ingredient id, INCI name or synonym."""

    name: StrictStr


class ViewQuery(RequestInput):
    """How much of the report to send."""

    model_config = ConfigDict(extra="ignore")
    view: Literal["full", "compact"] = Field(
        "full",
        description="compact: each recognised item without its full record (its id, names, "
        "flag ids and a 'record' link stay); the summary is whole. About a fifth of the size.",
    )


class SearchQuery(RequestInput):
    """Search and autocomplete parameters."""

    model_config = ConfigDict(extra="ignore")
    q: str | None = Field(None, description="What to search for (name, synonym, prefix).")
    limit: int | None = Field(None, ge=1, description="How many results (1 to the maximum).")


# -- responses ----------------------------------------------------------------------------
class ErrorBody(_Open):
    """The error: a stable code and a message saying what to do."""

    code: str
    message: str


class ErrorResponse(BaseModel):
    """Every error, on every route."""

    error: ErrorBody


class MatchModel(_Open):
    """How an item was matched."""

    inci_name: str | None = Field(
        None, description="The CosIng spelling of the entry (compact view: in `ingredient`)."
    )
    id: str | None = Field(None, description="The entry's id (compact view: in `ingredient`).")
    score: float
    method: Literal["exact", "synonym", "normalized", "ocr", "fuzzy"]
    matched_name: str
    read_as: str | None = Field(None, description="As read (compact view: the item's `read_as`).")


class UsesModel(_Open):
    """An item's CosIng functions, ranked: what it is used for first, minor ones apart."""

    main: list[str] = Field(
        description="What the ingredient is used for, most telling first (never a minor one "
        "unless it has nothing else; FRAGRANCE and PERFUMING are main only for a scent)."
    )
    minor: list[str] = Field(
        description="Functions CosIng lists that are rarely why it is in a product "
        "(fragrance, perfuming, denaturant, oral care, flavouring)."
    )


class ItemModel(_Open):
    """One ingredient as read, with its offsets into the submitted text."""

    position: int
    list_index: int = Field(alias="list", description="Which list the item belongs to.")
    text: str
    start: int
    end: int
    read_as: str
    match: MatchModel | None
    ingredient: dict[str, Any] | None
    uses: UsesModel | None = Field(None, description="Null when the item is unrecognised.")
    concern: Literal["none", "low", "moderate", "high", "unknown"]
    reasons: list[dict[str, Any]] | None = Field(
        None,
        description="Why the concern level: the record's `concern.reasons` (left out of "
        "recognised items in the compact view; the record has them).",
    )
    notes: list[dict[str, Any]]


class ListModel(_Open):
    """Where a list was found and how."""

    index: int
    start: int
    end: int
    found_by: Literal["header", "bare"]
    header: str | None
    label: str | None
    may_contain: bool


class VerdictFinding(_Open):
    """One line of the verdict, naming the items behind it."""

    kind: Literal["law", "claim", "profile", "notable"]
    id: str = Field(description="The flag, profile finding or 'claim_<claim>' it comes from.")
    severity: Literal["high", "moderate", "low", "info"]
    title: str
    why: str
    items: list[dict[str, Any]] = Field(description="{position, name, start, end} of each item.")
    sources: list[str]


class VerdictModel(_Open):
    """What matters most for this shopper and product, first; the same order for every client."""

    headline: str = Field(description="One sentence: the first finding, or why there is none.")
    withheld: bool = Field(description="The read is too unreliable for absence-based verdicts.")
    findings: list[VerdictFinding] = Field(
        description="By severity; within one severity: law, pack claim, profile, the rest."
    )
    flag_order: list[str] = Field(description="Every flag id of summary.flags, heaviest first.")
    other_flags: list[str] = Field(
        description="Flags with something to show that the findings do not cover, in order."
    )
    free_of: list[dict[str, str]] = Field(
        description="{id, label} positive badges ('Paraben-free'); empty when withheld."
    )
    nothing_found: list[dict[str, str]] = Field(
        description="{id, label} of other checks that found nothing; empty when withheld."
    )


class SummaryModel(_Open):
    """Counts and reliability first, then what matters, flags, claims and actives."""

    counts: dict[str, Any]
    reliability: dict[str, Any]
    for_you: list[dict[str, Any]]
    flags: list[dict[str, Any]]
    claims: list[dict[str, Any]]
    notable_actives: list[dict[str, Any]]
    concern_counts: dict[str, int]
    product: dict[str, Any] | None = Field(
        None,
        description="The product type read from the text (application, areas, spray, "
        "confidence, how, evidence) and the rules that depend on it (docs/TEXT.md). "
        "Null only from an older server.",
    )
    verdict: VerdictModel | None = Field(None, description="Null only from an older server.")


class ReportResponse(_Open):
    """The annotated safety summary of one text."""

    list_found: bool
    lists: list[ListModel]
    summary: SummaryModel
    ingredients: list[ItemModel]
    profile: dict[str, Any]
    text_length: int
    items_not_analysed: int
    versions: dict[str, str]


class IngredientResponse(_Open):
    """The full record of one ingredient, every fact with its source."""

    id: str
    inci_name: str
    display_name: str
    functions: list[dict[str, Any]]
    concern: dict[str, Any]
    sources: list[str]
    source_details: dict[str, Any]
    kb_version: str
    match: dict[str, Any] | None = Field(
        None,
        description="Present when the name was read as a list item is (corrected, or another "
        "spelling): how it was read and what it matched.",
    )


class SearchResult(_Open):
    """One search hit."""

    id: str
    inci_name: str
    matched: str
    method: str
    score: float
    display_name: str
    concern: str
    functions: list[str]


class SearchResponse(BaseModel):
    """Search results, best first."""

    query: str
    count: int
    results: list[SearchResult]


class HealthResponse(_Open):
    """Liveness and versions."""

    status: str
    version: str
    kb_version: str
    kb_entries: int
    tesseract: str | None
