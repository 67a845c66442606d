"""The web routes through Flask's test client: status codes, escaping, headers, 404 pages."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from incilens.core.profile import family_of
from incilens.http.state import get_kb
from incilens.web import AVOID_EXAMPLES

HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/", 200),
        ("/ingredients/glycerin", 200),
        ("/ingredients/GLYCERIN", 200),
        ("/ingredients/Vitamin%20A", 200),
        ("/ingredients/titanium%20dioxide", 200),
        ("/ingredients/glycerinn", 404),
        ("/ingredients/%20", 404),
        ("/ingredients/" + "x" * 500, 404),
        ("/ingredients/a%01b", 404),
        ("/search", 200),
        ("/search?q=", 200),
        ("/search?q=glyc", 200),
        ("/search?q=zzzzqqqq", 200),
        ("/static/web/style.css", 200),
        ("/static/web/js/main.js", 200),
        ("/static/web/js/nope.js", 404),
    ],
)
def test_status_codes(client: FlaskClient, path: str, status: int) -> None:
    with client.get(path) as response:  # static files stream from an open file: close it
        assert response.status_code == status


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/ingredients/retinol",
        "/ingredients/nothing-xyz",
        "/search?q=a",
        "/static/web/style.css",
    ],
)
def test_security_headers(client: FlaskClient, path: str) -> None:
    with client.get(path) as response:
        headers = response.headers
    csp = {d.split()[0]: d.split()[1:] for d in headers["Content-Security-Policy"].split("; ")}
    assert csp["default-src"] == ["'self'"]
    assert csp["script-src"] == ["'self'"] and csp["style-src"] == ["'self'"]
    assert csp["img-src"] == ["'self'", "blob:", "data:"]
    assert csp["frame-ancestors"] == ["'none'"] and csp["object-src"] == ["'none'"]
    assert not any("unsafe" in v for values in csp.values() for v in values)
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "no-referrer"


def test_api_routes_keep_their_own_headers(client: FlaskClient) -> None:
    # The page's CSP belongs to the page; the JSON API is not changed by the blueprint.
    response = client.get("/health")
    assert response.status_code == 200 and "Content-Security-Policy" not in response.headers


def test_main_page_has_no_inline_script_or_style(client: FlaskClient) -> None:
    html = client.get("/").get_data(as_text=True)
    assert "<style" not in html and " style=" not in html and " on" + "click=" not in html
    assert html.count("<script") == html.count('<script type="module" src="/static/web/js/')
    assert 'capture="environment"' in html and 'accept="image/*"' in html
    assert 'role="status"' in html and 'aria-live="polite"' in html
    assert "http://" not in html and "https://" not in html  # no CDN, no remote font


def test_page_passes_the_configured_limits(app: Flask) -> None:
    html = app.test_client().get("/").get_data(as_text=True)
    assert f'data-max-image-bytes="{app.config["MAX_IMAGE_BYTES"]}"' in html
    assert f'data-max-text-length="{app.config["MAX_TEXT_LENGTH"]}"' in html


def test_ingredient_page_renders_the_record(client: FlaskClient) -> None:
    html = client.get("/ingredients/retinol").get_data(as_text=True)
    assert "<h1>Retinol</h1>" in html
    for text in ("What it does", "Pore clogging", "Irritancy", "Vegan", "Pregnancy", "Sun"):
        assert text in html
    assert "Annex III" in html and "eu-annex-III/376" in html
    assert "Moderate concern" in html


def test_unknown_ingredient_gets_a_404_page_with_suggestions(client: FlaskClient) -> None:
    response = client.get("/ingredients/glycerinn")
    assert response.status_code == 404 and response.mimetype == "text/html"
    html = response.get_data(as_text=True)
    assert "No ingredient called “glycerinn”" in html
    assert '<a href="/ingredients/glycerin">Glycerin</a>' in html


def test_hostile_name_in_the_url_is_escaped(client: FlaskClient) -> None:
    response = client.get("/ingredients/" + HOSTILE)
    html = response.get_data(as_text=True)
    assert response.status_code == 404
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html
    search = client.get("/search", query_string={"q": HOSTILE}).get_data(as_text=True)
    assert "<script>alert" not in search and "&lt;script&gt;" in search


def test_hostile_ingredient_record_is_escaped(
    app: Flask, client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    with app.app_context():
        kb = get_kb()
    real = kb.lookup("glycerin")
    assert real is not None
    evil = dataclasses.replace(real, display_name=HOSTILE, inci_name=HOSTILE)

    def lookup(name: str) -> Any:
        return evil if name == "evil" else real

    monkeypatch.setattr(kb, "lookup", lookup)
    html = client.get("/ingredients/evil").get_data(as_text=True)
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "<h1>&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html


def test_search_page_lists_matches(client: FlaskClient) -> None:
    html = client.get("/search?q=parfum").get_data(as_text=True)
    assert '<a href="/ingredients/parfum">Parfum</a>' in html
    html = client.get("/search?q=zzzzqqqq").get_data(as_text=True)
    assert "No ingredient matches" in html


def test_openapi_document_is_unchanged_by_the_page(client: FlaskClient) -> None:
    paths = client.get("/openapi.json").get_json()["paths"]
    assert all(p.startswith(("/v1/", "/health")) for p in paths)


def test_avoid_list_hint_names_only_known_families(client: FlaskClient) -> None:
    assert all(family_of(term) for term in AVOID_EXAMPLES)
    assert ", ".join(AVOID_EXAMPLES) in client.get("/").get_data(as_text=True)


BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


@pytest.mark.parametrize(
    ("path", "accept", "html"),
    [
        ("/no-such-page", BROWSER, True),  # a browser's address bar gets a page
        ("/no-such-page", "application/json", False),
        ("/no-such-page", "", False),  # curl and API clients: JSON
        ("/v1/no-such-route", BROWSER, False),  # API routes are always JSON
        ("/health/extra", BROWSER, False),
    ],
)
def test_errors_negotiate_a_page_or_json(
    client: FlaskClient, path: str, accept: str, html: bool
) -> None:
    response = client.get(path, headers={"Accept": accept} if accept else {})
    assert response.status_code == 404
    if html:
        assert response.mimetype == "text/html"
        assert b"Page not found" in response.data
        assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    else:
        assert response.get_json()["error"]["code"] == "not_found"


@pytest.mark.parametrize(
    ("name", "first", "not_main", "minor"),
    [
        ("glycerin", "Humectant", "Denaturant", "denaturant"),
        ("citric-acid", "Buffering", "Fragrance", "fragrance"),
        ("methylparaben", "Preservative", "Fragrance", "fragrance"),
        ("parfum", "Fragrance", None, None),  # a scent: fragrance is what it does
    ],
)
def test_ingredient_page_shows_what_it_is_used_for_first(
    client: FlaskClient, name: str, first: str, not_main: str | None, minor: str | None
) -> None:
    html = client.get(f"/ingredients/{name}").get_data(as_text=True)
    main = html.split('id="main-functions"', 1)[1].split("</dl>", 1)[0]
    assert main.split("<dt>", 1)[1].startswith(first)
    if not_main:
        assert f"<dt>{not_main}</dt>" not in main
    if minor:
        note = html.split('id="minor-functions"', 1)[1].split("</p>", 1)[0]
        assert minor in note
    else:
        assert 'id="minor-functions"' not in html
