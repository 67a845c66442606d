"""The orjson provider sends the JSON Flask's own encoder would, only faster.

The one documented difference is that non-ASCII characters travel as UTF-8, not as escapes,
so the reference is the standard library with ``ensure_ascii=False`` and Flask's compact
separators; decoded, the two are equal to what Flask's default provider sends.
"""

from __future__ import annotations

import dataclasses
import datetime
import decimal
import json
import uuid
from types import MappingProxyType
from typing import Any

import pytest
from flask import Flask
from flask.json.provider import DefaultJSONProvider
from markupsafe import Markup

from incilens.app import create_app
from incilens.http.jsonio import FastJSONProvider

TEXTS = [
    # Non-ASCII in the records (typographic quotes in annex warnings), a profile, claims.
    ("Ingredients: Aqua, Retinol, Parfum, Limonene, Methylparaben. Paraben-free!", True),
    ("Ingrédients : Eau, Glycérine, Beurre de karité, Alcool dénaturé, Parfum", False),
    ("INGREDIENTS: Aqua, Glycerin, Dimethicone, Phenoxyethanol, CI 77891, Mica", True),
    ("nothing here looks like a list", False),
]
PROFILE = {"skin_type": "sensitive", "avoid": ["fragrance"], "vegan": True}


def ref_default(obj: Any) -> Any:
    """Flask's fallbacks, plus read-only mappings (which Flask's encoder refuses)."""
    if isinstance(obj, MappingProxyType):
        return dict(obj)
    return DefaultJSONProvider.default(obj)


def reference(obj: Any, sort_keys: bool = False) -> bytes:
    """What the standard library sends with Flask's settings, non-ASCII left as UTF-8."""
    return json.dumps(
        obj,
        default=ref_default,
        ensure_ascii=False,
        separators=(",", ":"),
        sort_keys=sort_keys,
    ).encode()


@dataclasses.dataclass
class Point:
    x: int
    y: float


ODD_VALUES = [
    # (value, what Flask's encoder makes of it)
    (MappingProxyType({"b": 1, "a": (1, 2)}), {"b": 1, "a": [1, 2]}),
    (datetime.datetime(2026, 12, 7, 3, 4, 5), "Mon, 07 Dec 2026 03:04:05 GMT"),
    (datetime.date(2026, 12, 7), "Mon, 07 Dec 2026 00:00:00 GMT"),
    (decimal.Decimal("1.50"), "1.50"),
    (uuid.UUID(int=1), "00000000-0000-0000-0000-000000000001"),
    (Point(1, 2.5), {"x": 1, "y": 2.5}),
    (Markup("<b>x</b>"), "<b>x</b>"),
    ({"€": "‘quoted’ – ✓", "nested": [{"z": None, "a": True}]}, None),
]


@pytest.fixture(scope="module")
def app() -> Flask:
    return create_app({"TESTING": True})


def test_the_app_uses_the_fast_provider(app: Flask) -> None:
    assert isinstance(app.json, FastJSONProvider)
    assert app.json.sort_keys is False


@pytest.mark.parametrize(("text", "with_profile"), TEXTS)
@pytest.mark.parametrize("view", ["full", "compact"])
def test_reports_are_the_bytes_the_standard_encoder_makes(
    app: Flask, text: str, with_profile: bool, view: str
) -> None:
    body: dict[str, Any] = {"text": text}
    if with_profile:
        body["profile"] = PROFILE
    response = app.test_client().post(
        f"/v1/analyze/text?view={view}", json=body, headers={"Accept-Encoding": "identity"}
    )
    assert response.status_code == 200
    sent = response.get_data()
    decoded = json.loads(sent)
    assert sent == reference(decoded)
    # The same document Flask's default encoder makes, once decoded.
    stock = Flask("stock")
    assert json.loads(DefaultJSONProvider(stock).dumps(decoded)) == decoded


def test_non_ascii_travels_as_utf8_not_escapes(app: Flask) -> None:
    response = app.test_client().post(
        "/v1/analyze/text", json={"text": "Ingredients: Aqua, Retinol"}
    )
    sent = response.get_data()
    assert "‘Contains Vitamin A".encode() in sent
    assert b"\\u2018" not in sent
    assert response.mimetype == "application/json"


@pytest.mark.parametrize(("value", "expected"), ODD_VALUES)
def test_types_orjson_does_not_know_come_out_as_flask_sends_them(
    app: Flask, value: Any, expected: Any
) -> None:
    with app.app_context():
        sent = app.json.dumps({"v": value})
    if not isinstance(value, MappingProxyType):  # the one type Flask's encoder refuses
        stock = DefaultJSONProvider(Flask("stock")).dumps({"v": value})
        assert json.loads(sent) == json.loads(stock)
    if expected is not None:
        assert json.loads(sent)["v"] == expected
    assert sent.encode() == reference({"v": value})


def test_errors_are_encoded_by_it_too(app: Flask) -> None:
    response = app.test_client().post("/v1/analyze/text", json={"text": ""})
    assert response.status_code == 400
    assert response.get_data() == reference(response.get_json())


@pytest.mark.parametrize("sort_keys", [False, True])
def test_key_order_follows_the_setting(sort_keys: bool) -> None:
    app = create_app({"TESTING": True, "JSON_SORT_KEYS": sort_keys})
    obj = {"b": 1, "a": {"d": 2, "c": 3}}
    with app.app_context():
        assert app.json.dumps(obj).encode() == reference(obj, sort_keys=sort_keys)
        assert app.json.response(obj).get_data() == reference(obj, sort_keys=sort_keys)


def test_keyword_arguments_and_debug_mode_fall_back_to_flask() -> None:
    app = create_app({"TESTING": True})
    obj = {"b": "é", "a": 1}
    with app.app_context():
        assert app.json.dumps(obj, indent=2) == json.dumps(obj, indent=2)
    app.debug = True
    with app.app_context():
        pretty = app.json.response(obj).get_data(as_text=True)
    assert pretty == json.dumps(obj, indent=2) + "\n"
