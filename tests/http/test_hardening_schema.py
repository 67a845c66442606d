"""Schemathesis against the app's own OpenAPI document: no server error on any generated
request, and every response (errors included) matches the status codes and schemas the document
declares. A short run here; ``INCILENS_SCHEMA_EXAMPLES`` raises the budget (``make fuzz``)."""

from __future__ import annotations

import os

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis import checks

from incilens import create_app
from tests.fakes import FakeOcrEngine

EXAMPLES = int(os.environ.get("INCILENS_SCHEMA_EXAMPLES", "25"))

APP = create_app(
    {
        "TESTING": True,
        "OCR_ENGINE": FakeOcrEngine("Ingredients: Aqua, Glycerin, Parfum"),
        "RATE_LIMIT_ENABLED": False,
    }
)
schema = schemathesis.openapi.from_wsgi("/openapi.json", APP)

CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_schema_conformance,
]


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_every_response_matches_the_document(case: schemathesis.Case) -> None:
    # The WSGI transport hands the body over as sent and does not undo a Content-Encoding;
    # compression has its own tests (test_compression.py), so ask for plain answers here.
    case.call_and_validate(checks=CHECKS, headers={"Accept-Encoding": "identity"})


def test_the_document_declares_the_error_codes() -> None:
    doc = APP.test_client().get("/openapi.json").get_json()
    text = doc["paths"]["/v1/analyze/text"]["post"]["responses"]
    image = doc["paths"]["/v1/analyze/image"]["post"]["responses"]
    for code in ("400", "401", "404", "405", "413", "415", "429", "500"):
        assert code in text and code in image, code
    assert "503" in image and "504" in image


@pytest.mark.parametrize("path", ["/v1/ingredients", "/v1/ingredients/aqua", "/health"])
def test_get_routes_answer_json(path: str) -> None:
    response = APP.test_client().get(path, query_string={"q": "aqua"})
    assert response.status_code == 200
    assert response.is_json
