"""Clients can ask for less: the compact report, and ingredient records that caches can keep."""

from __future__ import annotations

import gzip
import json
from typing import Any

import pytest
from flask import Flask

from incilens import create_app

NAMES = ["Aqua", "Glycerin", "Niacinamide", "Dimethicone", "Cetearyl Alcohol", "Phenoxyethanol",
         "Tocopherol", "Parfum", "Limonene", "Retinol"]  # fmt: skip
TEXT = "Ingredients: " + ", ".join(NAMES * 3) + ", Qwzzx Blorp"


@pytest.fixture(scope="module")
def app() -> Flask:
    return create_app({"TESTING": True})


def analyse(app: Flask, query: str, **headers: str) -> Any:
    return app.test_client().post(f"/v1/analyze/text{query}", json={"text": TEXT}, headers=headers)


VIEWS = [
    # (query string, status)
    ("?view=everything", 400),
    ("?view=", 400),
    ("?view=COMPACT", 400),
    ("", 200),
    ("?view=full", 200),
    ("?view=compact", 200),
]


@pytest.mark.parametrize(("query", "status"), VIEWS)
def test_the_view_is_full_or_compact(app: Flask, query: str, status: int) -> None:
    response = analyse(app, query)
    assert response.status_code == status
    if status == 400:
        assert response.get_json()["error"]["code"] == "bad_input"


def test_the_compact_report_keeps_everything_but_the_records_and_copies(app: Flask) -> None:
    full = analyse(app, "").get_json()
    compact = analyse(app, "?view=compact").get_json()
    assert compact["lists"] == full["lists"]
    assert {k: v for k, v in compact["summary"].items() if k not in ("flags", "product")} == {
        k: v for k, v in full["summary"].items() if k not in ("flags", "product")
    }
    # The product type's rules leave out the annex limits they quote; nothing else.
    whole_rules = full["summary"]["product"]["rules"]
    assert any("limits" in rule for rule in whole_rules)
    assert compact["summary"]["product"] == {
        **full["summary"]["product"],
        "rules": [{k: v for k, v in rule.items() if k != "limits"} for rule in whole_rules],
    }
    # The flags' entries leave out the texts their records hold, and nothing else.
    records = {i["position"]: i["ingredient"] for i in full["ingredients"] if i["ingredient"]}
    texts = {"reason", "max_concentration", "product_type", "condition", "warnings"}
    left_out = 0
    for small_flag, whole_flag in zip(
        compact["summary"]["flags"], full["summary"]["flags"], strict=True
    ):
        for key, value in whole_flag.items():
            if not (isinstance(value, list) and value and isinstance(value[0], dict)):
                assert small_flag[key] == value
                continue
            for small, whole in zip(small_flag[key], value, strict=True):
                assert small == {k: v for k, v in whole.items() if k not in texts}
                record = json.dumps(records[whole["position"]], ensure_ascii=False)
                for k in texts & whole.keys():
                    assert json.dumps(whole[k], ensure_ascii=False)[1:-1] in record, (key, k)
                    left_out += 1
    assert left_out > 5
    assert len(compact["ingredients"]) == len(full["ingredients"]) == 31
    for small, whole in zip(compact["ingredients"], full["ingredients"], strict=True):
        if whole["ingredient"] is None:  # unrecognised: nothing to link, nothing left out
            assert small == whole
            continue
        # What a compact item leaves out is said elsewhere: the reasons are the record's, the
        # match's names are the record's and the item's.
        record = whole["ingredient"]
        assert whole["reasons"] == record["concern"]["reasons"]
        assert (whole["match"]["id"], whole["match"]["inci_name"], whole["match"]["read_as"]) == (
            record["id"],
            record["inci_name"],
            whole["read_as"],
        )
        assert small["match"] == {k: whole["match"][k] for k in ("method", "score", "matched_name")}
        left_out = {"ingredient", "match", "reasons"}
        assert "reasons" not in small
        assert {k: v for k, v in small.items() if k not in left_out} == {
            k: v for k, v in whole.items() if k not in left_out
        }
        assert small["ingredient"] == {
            "id": record["id"],
            "inci_name": record["inci_name"],
            "display_name": record["display_name"],
            "flags": sorted(f["id"] for f in record["flags"]),
            "record": f"/v1/ingredients/{record['id']}",
        }


def test_the_compact_report_is_small_on_the_wire(app: Flask) -> None:
    full = analyse(app, "", **{"Accept-Encoding": "gzip"}).get_data()
    compact = analyse(app, "?view=compact", **{"Accept-Encoding": "gzip"}).get_data()
    assert len(compact) < 6_000 < len(full)  # a 31-item list (issue target: 6 KB compact)
    assert json.loads(gzip.decompress(compact))["ingredients"][0]["ingredient"]["id"] == "aqua"


def test_a_record_link_leads_to_the_record(app: Flask) -> None:
    client = app.test_client()
    item = analyse(app, "?view=compact").get_json()["ingredients"][1]
    record = client.get(item["ingredient"]["record"]).get_json()
    assert record["inci_name"] == item["ingredient"]["inci_name"] == "GLYCERIN"


def test_records_carry_a_validator_and_answer_304_when_unchanged(app: Flask) -> None:
    client = app.test_client()
    first = client.get("/v1/ingredients/glycerin")
    etag = first.headers["ETag"]
    assert first.headers["Cache-Control"] == "public, max-age=3600"
    assert json.loads(etag)  # quoted, and names the knowledge-base version
    assert app.extensions["incilens"].kb.version in etag
    again = client.get("/v1/ingredients/glycerin", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.get_data() == b""
    other = client.get("/v1/ingredients/glycerin", headers={"If-None-Match": '"1.0.glycerin"'})
    assert other.status_code == 200  # a cached copy from another knowledge base is refreshed
    corrected = client.get("/v1/ingredients/Glycerln")
    assert corrected.headers["ETag"] != etag  # another answer (with "match"), another tag
    packed = client.get("/v1/ingredients/glycerin", headers={"Accept-Encoding": "gzip"})
    tag = packed.headers["ETag"]
    assert tag != etag  # the gzip variant has its own tag
    headers = {"Accept-Encoding": "gzip", "If-None-Match": tag}
    assert client.get("/v1/ingredients/glycerin", headers=headers).status_code == 304


ODD_IDS = ["a b", "x/y", "50%", "é", "c?d#e", "q&r=s", "~tilde", "[br]", "plus+comma,"]


def test_record_links_are_what_url_for_builds_for_every_id(app: Flask) -> None:
    from flask import url_for

    from incilens.http.api import record_links
    from incilens.http.state import get_kb

    with app.test_request_context("/v1/analyze/text?view=compact", base_url="http://x/prefix"):
        link = record_links()
        ids = [*get_kb().ids, *ODD_IDS]
        wrong = [i for i in ids if link(i) != url_for("api.get_ingredient", name=i)]
    assert len(ids) > 30_000
    assert wrong == []
