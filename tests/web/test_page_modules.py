"""The page's pure JavaScript helpers, imported as ES modules in the real browser."""

from __future__ import annotations

from typing import Any

import pytest

from tests.web.conftest import LiveServer

pytestmark = pytest.mark.slow


def run(page: Any, server: LiveServer, module: str, body: str) -> Any:
    """Evaluate ``body`` with the module's exports bound to ``m``."""
    page.goto(server.url + "/search")  # any page of ours: same origin, same CSP
    return page.evaluate(
        f"async () => {{ const m = await import('/static/web/js/{module}'); {body} }}"
    )


def test_share_links_round_trip_and_refuse_bombs(page: Any, server: LiveServer) -> None:
    result = run(
        page,
        server,
        "share.js",
        """
        const texts = ["Aqua, Glycerin", "Ünï, 水, emoji 🧴, a+b=c & d#e%f", "x".repeat(50000)];
        const out = [];
        for (const t of texts) {
          const hash = await m.encodeShare(t);
          out.push([hash.slice(0, 3), (await m.decodeShare(hash, 100000)) === t, hash.length]);
        }
        const plain = await m.decodeShare("#text=" + encodeURIComponent(texts[1]), 100000);
        const none = await m.decodeShare("#other=1", 100000);
        let bomb = "";
        try { await m.decodeShare(await m.encodeShare("a".repeat(300000)), 1000); }
        catch (e) { bomb = e.message; }
        return {out, plain: plain === texts[1], none, bomb};
        """,
    )
    assert [r[:2] for r in result["out"]] == [["#z=", True]] * 3
    assert result["out"][2][2] < 1000  # 50,000 repeated characters compress well
    assert result["plain"] is True and result["none"] is None
    assert result["bomb"] == "shared text is too long"


def test_profile_validation_keeps_only_known_values(page: Any, server: LiveServer) -> None:
    result = run(
        page,
        server,
        "profile.js",
        """
        const allowed = {skinTypes: ["oily", "dry"], concerns: ["acne", "rosacea"]};
        const store = new Map();
        const storage = {getItem: (k) => store.get(k) ?? null, setItem: (k, v) => store.set(k, v),
                         removeItem: (k) => store.delete(k)};
        store.set("incilens.profile.v1", "{not json");
        const broken = m.loadProfile(storage, allowed);
        store.set("incilens.profile.v1", JSON.stringify({skin_type: "<b>", concerns: ["acne", "x"],
          avoid: ["Parabens", "parabens", 3, " fragrance ", ""], vegan: "yes", extra: 1}));
        const tampered = m.loadProfile(storage, allowed);
        const blocked = m.loadProfile({getItem() { throw new Error("denied"); }}, allowed);
        const saved = m.saveProfile({setItem() { throw new Error("quota"); }}, tampered);
        return {broken, tampered, blocked, saved,
                avoid: m.parseAvoid(Array.from({length: 80}, (_, i) => `t${i}`).join(", ")).length,
                split: m.parseAvoid("a, b;c\\n A ,,"),
                described: m.describeProfile(tampered), empty: m.describeProfile(broken)};
        """,
    )
    empty = {
        "skin_type": None,
        "concerns": [],
        "avoid": [],
        "vegan": False,
        "pregnant_or_breastfeeding": False,
    }
    assert result["broken"] == empty and result["blocked"] == empty
    assert result["tampered"] == {**empty, "concerns": ["acne"], "avoid": ["Parabens", "fragrance"]}
    assert result["saved"] is False
    assert result["avoid"] == 50 and result["split"] == ["a", "b", "c"]
    assert result["described"] == "acne · avoids Parabens, fragrance"
    assert result["empty"] == "not set"


def test_api_errors_become_plain_words(page: Any, server: LiveServer) -> None:
    result = run(
        page,
        server,
        "api.js",
        """
        const e = (status, body) => {
          const x = m.errorFrom(status, body);
          return [x.code, x.message];
        };
        const bad = {error: {code: "bad_input", message: "text is empty: paste a list."}};
        return [
          e(415, JSON.stringify({error: {code: "unsupported_image", message: "raw"}})),
          e(413, "<html>Request Entity Too Large</html>"),
          e(413, JSON.stringify({error: {code: "image_too_large", message: "m", max_pixels: 5}})),
          e(502, "<html>Bad gateway</html>"),
          e(400, JSON.stringify(bad)),
        ];
        """,
    )
    assert result[0] == ["unsupported_image", result[0][1]]
    assert "not a photo we can read" in result[0][1]
    assert result[1][0] == "request_entity_too_large" and "too large to upload" in result[1][1]
    assert "too many pixels" in result[2][1]
    assert result[3] == ["error", "Something went wrong on our side. Please try again in a moment."]
    assert result[4] == ["bad_input", "text is empty: paste a list."]


def test_photo_crop_surrounds_the_boxes(page: Any, server: LiveServer) -> None:
    result = run(
        page,
        server,
        "photo.js",
        """
        const boxes = [[[100, 100], [200, 100], [200, 120], [100, 120]],
                       [[150, 300], [400, 300], [400, 330], [150, 330]]];
        const all = [[[0, 0], [1990, 0], [1990, 1490], [0, 1490]]];
        return [m.cropOf(boxes, 2000, 1500), m.cropOf(all, 2000, 1500), m.cropOf([], 100, 100)];
        """,
    )
    crop, whole, empty = result
    assert crop["x"] < 100 and crop["y"] < 100
    assert crop["x"] + crop["w"] > 400 and crop["y"] + crop["h"] > 330
    assert whole is None and empty is None


def test_a_tampered_stored_profile_does_not_break_the_page(page: Any, server: LiveServer) -> None:
    page.goto(server.url + "/")
    page.evaluate(
        'localStorage.setItem(\'incilens.profile.v1\', \'{"skin_type": 42, "avoid": "x"\')'
    )
    page.reload()
    assert page.locator("#profile-summary").inner_text() == "not set"
    page.fill("#text-input", "Aqua, Glycerin")
    page.click("#text-submit")
    page.locator("#rows .row").first.wait_for()
