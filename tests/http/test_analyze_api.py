from __future__ import annotations

import json
import re
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from incilens import create_app

URL = "/v1/analyze/text"

BAD_BODIES: list[tuple[Any, int, str]] = [
    # (JSON body, status, message fragment); the nastiest first
    ({"text": ""}, 400, "text is empty"),
    ({"text": "   \n\t "}, 400, "text is empty"),
    ({}, 400, "text"),
    ({"text": None}, 400, "text"),
    ({"text": 42}, 400, "text"),
    ({"text": ["Aqua"]}, 400, "text"),
    ([1, 2, 3], 400, "JSON object"),
    ("Aqua, Glycerin", 400, "JSON object"),
    ({"text": "Aqua", "extra": 1}, 400, "extra is not a known field"),
    ({"text": "Aqua", "profile": "oily"}, 400, "profile"),
    ({"text": "Aqua", "profile": {"skin_type": "greasy"}}, 400, "profile.skin_type"),
    ({"text": "Aqua", "profile": {"concerns": ["wrinkles"]}}, 400, "profile.concerns"),
    ({"text": "Aqua", "profile": {"vegan": "yes"}}, 400, "profile.vegan"),
    ({"text": "Aqua", "profile": {"avoid": "parabens"}}, 400, "profile.avoid"),
    ({"text": "Aqua", "profile": {"avoid": ["x" * 101]}}, 400, "profile.avoid.0"),
    ({"text": "Aqua", "profile": {"avoid": ["parabens"] * 51}}, 400, "profile.avoid"),
    ({"text": "Aqua", "profile": {"height": 180}}, 400, "profile.height is not a known field"),
    ({"text": "a" * 100_001}, 413, "limit is 100,000"),
    ({"text": "Aqua, " * 200_000}, 413, "limit is 100,000"),  # 1.2 MB
]


@pytest.mark.parametrize(("body", "status", "fragment"), BAD_BODIES)
def test_bad_bodies_get_a_clear_json_error(
    client: FlaskClient, body: Any, status: int, fragment: str
) -> None:
    response = client.post(URL, json=body)
    assert response.status_code == status
    error = response.get_json()["error"]
    assert error["code"] in ("bad_input", "payload_too_large")
    assert fragment in error["message"]


@pytest.mark.parametrize(
    ("data", "content_type"),
    [
        (b"not json at all", "application/json"),
        (b'{"text": "Aqua"', "application/json"),
        (b"\xff\xfe\x00garbage", "application/json"),
    ],
)
def test_non_json_bodies(client: FlaskClient, data: bytes, content_type: str) -> None:
    response = client.post(URL, data=data, content_type=content_type)
    assert response.status_code == 400
    assert "JSON object" in response.get_json()["error"]["message"]


@pytest.mark.parametrize("content_type", ["text/plain", "multipart/form-data; boundary=x", ""])
def test_a_body_that_is_not_json_is_415(client: FlaskClient, content_type: str) -> None:
    response = client.post(URL, data=b'{"text": "Aqua"}', content_type=content_type)
    assert response.status_code == 415
    error = response.get_json()["error"]
    assert error["code"] == "unsupported_media_type" and "application/json" in error["message"]


def test_wrong_method(client: FlaskClient) -> None:
    response = client.get(URL)
    assert response.status_code == 405
    assert response.get_json()["error"]["code"] == "method_not_allowed"


# Hostile but valid text: a correct report (usually "no list found"), never an error.
HOSTILE = [
    "x" * 40_000,  # one run with no separator
    "(" * 5_000 + "Aqua" + ")" * 5_000,
    "[" * 3_000 + "Aqua, Glycerin",
    "Aqua, Glycerin" + ")]}" * 3_000,
    "\u202eمرحبا بالعالم\u202c 🧴🧴🧴 " * 200,
    "".join(chr(c) for c in range(1, 0x2FF)) * 20,
    "\x00\x01\x02\x03" * 1_000,
    "Ingredients:" * 5_000,
    ", " * 40_000,
    "Aqua\n" * 20_000,
    "a-\n" * 10_000,
]


@pytest.mark.parametrize("text", HOSTILE, ids=lambda t: repr(t[:12]))
def test_hostile_text_gets_a_report(client: FlaskClient, text: str) -> None:
    response = client.post(URL, json={"text": text})
    assert response.status_code == 200
    body = response.get_json()
    for item in body["ingredients"]:
        assert text[item["start"] : item["end"]] == item["text"]
    assert len(body["ingredients"]) <= 300
    assert body["items_not_analysed"] >= 0


def test_the_documented_shape(client: FlaskClient) -> None:
    text = (
        "Hydrating Gel. Paraben free.\nIngredients: Aqua (Water), Glycerin, Niacinamide 5%, "
        "Phenoxyethanol, Methylparaben, Parfum. Made in France."
    )
    profile = {"skin_type": "sensitive", "avoid": ["parabens"], "vegan": True}
    response = client.post(URL, json={"text": text, "profile": profile})
    assert response.status_code == 200
    body = response.get_json()
    assert body["list_found"] is True
    first = body["ingredients"][0]
    assert {"position", "text", "start", "end", "match", "ingredient", "concern", "reasons"} <= set(
        first
    )
    assert first["match"]["inci_name"] == "AQUA"
    assert {"inci_name", "score", "method"} <= set(first["match"])
    assert first["ingredient"]["functions"]
    assert body["summary"]["claims"][0]["verdict"] == "contradicted"
    assert body["summary"]["for_you"][0]["title"] == "On your avoid list: parabens"
    assert body["profile"]["avoid"] == ["parabens"]
    assert set(body["versions"]) >= {"kb", "matcher"}


def test_openapi_document_describes_the_routes(client: FlaskClient) -> None:
    doc = client.get("/openapi.json").get_json()
    assert doc["openapi"].startswith("3.")
    assert set(doc["paths"]) >= {"/v1/analyze/text", "/v1/ingredients", "/health"}
    post = doc["paths"]["/v1/analyze/text"]["post"]
    schema_ref = post["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    schema = doc["components"]["schemas"][schema_ref.rsplit("/", 1)[1]]
    assert schema["required"] == ["text"]
    assert schema["additionalProperties"] is False
    assert {"200", "400", "413"} <= set(post["responses"])
    json.dumps(doc)


def test_docs_page_works_offline(client: FlaskClient) -> None:
    page = client.get("/docs/swagger")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert not re.search(r"(?:src|href)=\"https?://", html)
    assets = re.findall(r"(?:src|href)=\"(swagger/[^\"]+)\"", html)
    assert any(a.endswith(".js") for a in assets)
    for asset in assets:
        with client.get(f"/docs/{asset}") as response:
            assert response.status_code == 200


@pytest.mark.parametrize(
    ("origin", "allowed"),
    [
        ("chrome-extension://abcdefghijklmnopabcdefghijklmnop", True),
        ("moz-extension://4b1d3c2a-1111-2222-3333-444455556666", True),
        ("https://evil.example", False),
        ("chrome-extension://a/b", False),
        ("null", False),
    ],
)
def test_cors_admits_only_the_allow_list(client: FlaskClient, origin: str, allowed: bool) -> None:
    response = client.options(
        URL, headers={"Origin": origin, "Access-Control-Request-Method": "POST"}
    )
    assert (response.headers.get("Access-Control-Allow-Origin") == origin) is allowed


def test_cors_allow_list_is_configurable() -> None:
    app: Flask = create_app({"TESTING": True, "CORS_ORIGINS": ["https://shop.example"]})
    client = app.test_client()
    ok = client.post(URL, json={"text": "Aqua"}, headers={"Origin": "https://shop.example"})
    assert ok.headers.get("Access-Control-Allow-Origin") == "https://shop.example"
    other = client.post(URL, json={"text": "Aqua"}, headers={"Origin": "chrome-extension://x"})
    assert "Access-Control-Allow-Origin" not in other.headers


def test_limits_are_configurable() -> None:
    client = create_app({"TESTING": True, "MAX_TEXT_LENGTH": 20, "MAX_ITEMS": 2}).test_client()
    assert client.post(URL, json={"text": "Aqua, Glycerin, Parfum"}).status_code == 413
    body = client.post(URL, json={"text": "Aqua, Mica, Talc"}).get_json()
    assert len(body["ingredients"]) == 2
    assert body["items_not_analysed"] == 1
