"""The avoid list in a shopper's words and the profile file, in a real browser (issue 21, item 8).

The file the page saves is the one the extension's options load (``profile-file.js``, two
identical copies checked by ``extension/test/profile-file.test.mjs``); here the page writes it,
the API accepts its profile as it is, and the page reads it back. axe runs on each new state.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.web.conftest import LiveServer, PageWatch, snap, wait_until
from tests.web.test_page_navigation import axe_violations

pytestmark = pytest.mark.slow

LIST = (
    "Ingredients: Aqua, Prunus Amygdalus Dulcis Oil, Cocos Nucifera Oil, Cetearyl Alcohol, "
    "Alcohol Denat., Parfum, Linalool, Theobroma Cacao Seed Butter."
)


def open_profile(page: Any, server: LiveServer) -> None:
    page.goto(server.url + "/")
    page.locator("#profile-panel summary").click()


def test_profile_file_round_trip_and_everyday_words(
    page: Any, server: LiveServer, watch: PageWatch, tmp_path: Path
) -> None:
    open_profile(page, server)
    page.select_option("#p-skin", "sensitive")
    page.fill("#p-avoid", "nuts, coconut, alcohol, qwzx plorb")
    page.check("#p-vegan")
    wait_until(page, "localStorage.getItem('incilens.profile.v1') !== null")

    with page.expect_download() as download:
        page.click("#profile-export")
    assert download.value.suggested_filename == "incilens-profile.json"
    saved = tmp_path / "incilens-profile.json"
    download.value.save_as(saved)
    data = json.loads(saved.read_text())
    assert data == {
        "format": "incilens-profile",
        "version": 1,
        "profile": {
            "skin_type": "sensitive",
            "concerns": [],
            "avoid": ["nuts", "coconut", "alcohol", "qwzx plorb"],
            "vegan": True,
            "pregnant_or_breastfeeding": False,
        },
    }
    # The API takes the file's profile as it is (its schema refuses unknown fields).
    answer = page.request.post(
        server.url + "/v1/analyze/text", data={"text": "Aqua", "profile": data["profile"]}
    )
    assert answer.status == 200, answer.text()

    # Forget it, then load it back from the file.
    page.click("#profile-clear")
    wait_until(page, "localStorage.getItem('incilens.profile.v1') === null")
    assert page.locator("#p-avoid").input_value() == ""
    page.set_input_files("#profile-import", str(saved))
    wait_until(page, "localStorage.getItem('incilens.profile.v1') !== null")
    stored = json.loads(page.evaluate("localStorage.getItem('incilens.profile.v1')"))
    assert stored == data["profile"]
    assert page.locator("#p-avoid").input_value() == "nuts, coconut, alcohol, qwzx plorb"
    assert page.locator("#p-vegan").is_checked()
    assert "loaded" in page.locator("#status-text").inner_text()
    assert axe_violations(page) == []

    # A file that is not a profile: said in an alert, nothing changed.
    bad = tmp_path / "notes.json"
    bad.write_text('{"theme": "dark"}')
    page.set_input_files("#profile-import", str(bad))
    page.locator("#error").wait_for(state="visible")
    assert "not a profile file" in page.locator("#error-text").inner_text()
    assert page.locator("#p-avoid").input_value() == "nuts, coconut, alcohol, qwzx plorb"
    # One with parts we do not know: loaded, and what was left out is listed.
    odd = tmp_path / "odd.json"
    odd.write_text(json.dumps({"avoid": ["shea"], "concerns": ["acne", "wrinkles"]}))
    page.set_input_files("#profile-import", str(odd))
    page.locator("#profile-file-notes").wait_for(state="visible")
    assert "wrinkles" in page.locator("#profile-file-notes").inner_text()
    assert page.locator("#p-avoid").input_value() == "shea"
    assert axe_violations(page) == []

    # The everyday words at work in a report, and the unknown term named on the page.
    page.set_input_files("#profile-import", str(saved))
    wait_until(page, "document.getElementById('p-avoid').value.startsWith('nuts')")
    page.fill("#text-input", LIST)
    page.click("#text-submit")
    page.locator("#report").wait_for(state="visible")
    page.locator("#working").wait_for(state="hidden")
    verdict = page.locator("#verdict")
    verdict.locator('[data-finding="avoid"]').first.wait_for()
    text = verdict.inner_text()
    assert "On your avoid list: nuts" in text and "Prunus Amygdalus Dulcis Oil" in text
    assert "On your avoid list: coconut" in text
    assert "Theobroma" not in " ".join(
        verdict.locator('[data-finding="avoid"]').all_inner_texts()
    )  # cocoa is not coconut
    unknown = page.locator("#p-avoid-unknown")
    assert unknown.is_visible()  # the profile panel is still open
    assert "qwzx plorb" in (unknown.text_content() or "")
    assert "nuts" not in (unknown.text_content() or "")
    # Also a finding of the verdict (folded among "more findings": it is information).
    assert "Avoid-list terms we do not know: qwzx plorb" in (
        page.locator("#verdict").text_content() or ""
    )
    assert axe_violations(page) == []
    snap(page, "profile-file-everyday-words")
