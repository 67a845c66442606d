"""Query and form models build their JSON schema once; nothing a caller does leaks into it."""

from __future__ import annotations

import typing

import pytest
from pydantic import BaseModel

from incilens.http.jobs import JobForm
from incilens.http.schemas import AnalyzeImageForm, RequestInput, SearchQuery, ViewQuery

MODELS = [ViewQuery, SearchQuery, AnalyzeImageForm, JobForm]


@pytest.mark.parametrize("model", MODELS)
def test_the_cached_schema_is_pydantics_and_callers_get_copies(model: type[RequestInput]) -> None:
    fresh = BaseModel.model_json_schema.__func__(model)  # type: ignore[attr-defined]
    first = model.model_json_schema()
    assert first == fresh
    first["properties"].clear()  # a careless caller
    assert model.model_json_schema() == fresh
    assert model.model_json_schema() is not model.model_json_schema()


def test_calls_with_arguments_are_passed_through() -> None:
    plain = ViewQuery.model_json_schema()
    serialization = ViewQuery.model_json_schema(mode="serialization")
    assert serialization == BaseModel.model_json_schema.__func__(  # type: ignore[attr-defined]
        ViewQuery, mode="serialization"
    )
    assert plain["properties"]["view"]["default"] == "full"


def test_every_query_and_form_model_of_the_api_caches(app_routes: list[type]) -> None:
    assert len(app_routes) == 5  # analyze_text, analyze_image (query, form), search, create_job
    assert all(issubclass(m, RequestInput) for m in app_routes)


@pytest.fixture
def app_routes() -> list[type]:
    """The query and form models the routes declare (read from the OpenAPI app's views)."""
    from incilens.app import create_app

    app = create_app({"TESTING": True})
    found: list[type] = []
    for view in app.view_functions.values():
        wrapped = getattr(view, "__wrapped__", None)
        if wrapped is None:
            continue
        hints = typing.get_type_hints(wrapped)
        found += [hints[name] for name in ("query", "form") if name in hints]
    return found
