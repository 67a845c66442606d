from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from incilens import ocr
from tests.conftest import need

BAD_REQUESTS = [
    # (url, status, error code)
    ("/v1/ingredients", 400, "bad_input"),
    ("/v1/ingredients?q=", 400, "bad_input"),
    ("/v1/ingredients?q=%20%20%20", 400, "bad_input"),
    ("/v1/ingredients?q=" + "a" * 201, 400, "bad_input"),
    ("/v1/ingredients?q=%00glycerin", 400, "bad_input"),
    ("/v1/ingredients?q=%1b%5b31mred", 400, "bad_input"),
    ("/v1/ingredients?q=%ef%bf%bf", 400, "bad_input"),
    ("/v1/ingredients?q=gly&limit=0", 400, "bad_input"),
    ("/v1/ingredients?q=gly&limit=51", 400, "bad_input"),
    ("/v1/ingredients?q=gly&limit=ten", 400, "bad_input"),
    ("/v1/ingredients/" + "b" * 201, 400, "bad_input"),
    ("/v1/ingredients/%01%02", 400, "bad_input"),
    ("/v1/ingredients/zzzz-not-an-ingredient", 404, "ingredient_not_found"),
    ("/no/such/route", 404, "not_found"),
]


@pytest.mark.parametrize(("url", "status", "code"), BAD_REQUESTS)
def test_bad_requests_get_a_json_error(
    client: FlaskClient, url: str, status: int, code: str
) -> None:
    response = client.get(url)
    assert response.status_code == status
    body = response.get_json()
    assert body["error"]["code"] == code
    assert body["error"]["message"]


def test_wrong_method_is_a_json_405(client: FlaskClient) -> None:
    response = client.post("/v1/ingredients/glycerin")
    assert response.status_code == 405
    assert response.get_json()["error"]["code"] == "method_not_allowed"
    assert "GET" in response.headers["Allow"]


def test_unknown_name_suggests(client: FlaskClient) -> None:
    response = client.get("/v1/ingredients/glycerine%20oil")
    assert response.status_code == 404
    body = response.get_json()["error"]
    assert "GLYCERIN" in body["suggestions"]
    assert "Did you mean" in body["message"]


@pytest.mark.parametrize(
    ("name", "inci"),
    [
        ("glycerin", "GLYCERIN"),
        ("GLYCERIN", "GLYCERIN"),
        ("vitamin%20e", "TOCOPHEROL"),
        ("caprylic-capric-triglyceride", "CAPRYLIC/CAPRIC TRIGLYCERIDE"),
        ("Caprylic/Capric%20Triglyceride", "CAPRYLIC/CAPRIC TRIGLYCERIDE"),
        ("C.I.%2077891", "CI 77891"),
    ],
)
def test_ingredient_by_name_synonym_or_id(client: FlaskClient, name: str, inci: str) -> None:
    response = client.get(f"/v1/ingredients/{name}")
    assert response.status_code == 200
    body = response.get_json()
    assert body["inci_name"] == inci


def test_record_shape(client: FlaskClient) -> None:
    body = client.get(
        "/v1/ingredients/human umbilical mesenchymal stem cell conditioned media"
    ).get_json()
    for key in (
        "id",
        "inci_name",
        "display_name",
        "synonyms",
        "cas",
        "functions",
        "description",
        "comedogenic",
        "irritancy",
        "origin",
        "vegan",
        "pregnancy",
        "photosensitizing",
        "side_effects",
        "skin_types",
        "flags",
        "eu",
        "concern",
        "sources",
        "kb_version",
    ):
        assert key in body, key
    assert body["comedogenic"]["min"] == 0 and body["comedogenic"]["max"] == 1
    assert {f["name"] for f in body["functions"]} >= {"HUMECTANT", "SKIN PROTECTING"}
    assert all(
        s in body["source_details"]
        for s in body["sources"]
        if not s.startswith(("rule:", "eu-annex-"))
    )


def test_search_ranks_common_ingredients_first(client: FlaskClient) -> None:
    body = client.get("/v1/ingredients?q=hyalur&limit=5").get_json()
    names = [r["inci_name"] for r in body["results"]]
    assert names[:2] == ["HYALURONIC ACID", "SODIUM HYALURONATE"]
    assert body["count"] == len(names) == 5


def test_search_finds_synonyms_and_typos(client: FlaskClient) -> None:
    shea = client.get("/v1/ingredients?q=shea%20butter").get_json()["results"][0]
    assert shea["inci_name"] == "BUTYROSPERMUM PARKII BUTTER" and shea["matched"] == "Shea Butter"
    typo = client.get("/v1/ingredients?q=niacinamde").get_json()["results"][0]
    assert typo["inci_name"] == "NIACINAMIDE" and typo["method"] == "fuzzy"


def test_search_with_no_hit_is_empty_not_an_error(client: FlaskClient) -> None:
    body = client.get("/v1/ingredients?q=qqqqxxxx").get_json()
    assert body == {"query": "qqqqxxxx", "count": 0, "results": []}


def test_health(client: FlaskClient) -> None:
    body = client.get("/health").get_json()
    assert body["status"] == "ok"
    assert body["kb_entries"] > 30_000
    assert body["kb_version"].startswith("1.")


@pytest.mark.tesseract
def test_health_reports_tesseract(client: FlaskClient) -> None:
    need(ocr.available(), "tesseract is not installed")
    assert client.get("/health").get_json()["tesseract"].startswith("5.")


CORRECTED = [
    # (name as sent, status, INCI name, how it was read: None when found as written)
    ("Aqua, Glycerin", 404, None, None),  # two ingredients are not one
    ("Glycerin Aqua Parfum Xanthan", 404, None, None),
    ("Glycerln", 200, "GLYCERIN", "ocr"),  # an OCR look-alike, as a list item is read
    ("GLYCER1N", 200, "GLYCERIN", "ocr"),
    ("Tocopheryl Acetat", 200, "TOCOPHERYL ACETATE", "fuzzy"),
    ("glycerin", 200, "GLYCERIN", None),
    ("Vitamin E", 200, "TOCOPHEROL", None),
]


@pytest.mark.parametrize(("name", "status", "inci", "method"), CORRECTED)
def test_the_ingredient_route_reads_a_name_as_the_analysis_does(
    client: FlaskClient, name: str, status: int, inci: str | None, method: str | None
) -> None:
    response = client.get(f"/v1/ingredients/{name}")
    assert response.status_code == status
    body = response.get_json()
    if status != 200:
        assert body["error"]["code"] == "ingredient_not_found"
        return
    assert body["inci_name"] == inci
    if method is None:
        assert "match" not in body
    else:
        assert body["match"]["method"] == method and body["match"]["read_as"] == name
        assert body["match"]["inci_name"] == inci
        analysed = client.post("/v1/analyze/text", json={"text": f"Ingredients: {name}"})
        item = analysed.get_json()["ingredients"][0]
        assert item["match"]["inci_name"] == inci  # the same reading as in a list
