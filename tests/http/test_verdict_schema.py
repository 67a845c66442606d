"""The report's verdict and ranked functions, as the OpenAPI document describes them."""

from __future__ import annotations

from flask.testing import FlaskClient

from incilens.http.schemas import ReportResponse


def test_the_verdict_and_uses_match_the_documented_schema(client: FlaskClient) -> None:
    text = "Paraben-free. Ingredients: Aqua, Glycerin, Methylparaben, Retinol, Xyzzy"
    for view in ("full", "compact"):
        body = client.post(f"/v1/analyze/text?view={view}", json={"text": text}).get_json()
        report = ReportResponse.model_validate(body)
        verdict = report.summary.verdict
        assert verdict is not None
        assert [f.kind for f in verdict.findings][:1] == ["claim"]
        assert verdict.flag_order[0] == "eu_prohibited"
        uses = [item.uses for item in report.ingredients]
        assert uses[1] is not None and uses[1].main[0] == "HUMECTANT"
        assert uses[4] is None
    doc = client.get("/openapi.json").get_json()
    assert "VerdictModel" in doc["components"]["schemas"]
    assert "uses" in doc["components"]["schemas"]["ItemModel"]["properties"]
