"""The extension's options load and save the web page's profile file (issue 21, item 8).

The page's side is ``tests/web/test_page_profile_file.py``; both use ``profile-file.js``.
Files are handed to the options page through a DataTransfer and the download is caught at the
link's click, so the same steps run in Chromium and in Firefox.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.extension.harness import Extension, fill, text_of, wait_for

pytestmark = pytest.mark.slow

FROM_THE_PAGE = {
    "format": "incilens-profile",
    "version": 1,
    "profile": {
        "skin_type": "dry",
        "concerns": ["eczema"],
        "avoid": ["nuts", "tea tree", "qwzx plorb"],
        "vegan": True,
        "pregnant_or_breastfeeding": False,
    },
}

GIVE_FILE = """([name, text]) => {
    const input = document.getElementById("profile-import");
    const files = new DataTransfer();
    files.items.add(new File([text], name, {type: "application/json"}));
    input.files = files.files;
    input.dispatchEvent(new Event("change", {bubbles: true}));
}"""

CATCH_DOWNLOAD = """() => new Promise((resolve) => {
    const click = HTMLAnchorElement.prototype.click;
    HTMLAnchorElement.prototype.click = function () {
        HTMLAnchorElement.prototype.click = click;
        fetch(this.href).then((r) => r.text()).then((text) => resolve([this.download, text]));
    };
    document.getElementById("profile-export").click();
})"""


def result_is(page: Any, fragment: str) -> None:
    page.wait_for_function(
        "(f) => document.getElementById('result').innerText.includes(f)", fragment
    )


def test_options_load_the_pages_file_save_it_and_write_the_same_format(ext: Extension) -> None:
    options = ext.extension_page("src/options/options.html")
    wait_for(options, "#serverUrl")
    options.wait_for_function(
        "(url) => document.getElementById('serverUrl').value === url", ext.server_url
    )
    # Not a profile: refused in words, the form untouched.
    options.evaluate(GIVE_FILE, ["notes.json", '{"theme": "dark"}'])
    result_is(options, "not a profile file")
    assert options.evaluate("() => document.getElementById('avoid').value") == ""

    options.evaluate(GIVE_FILE, ["incilens-profile.json", json.dumps(FROM_THE_PAGE)])
    result_is(options, "Press Save to keep it")
    assert options.evaluate("() => document.getElementById('avoid').value") == (
        "nuts, tea tree, qwzx plorb"
    ), ext.browser
    assert options.evaluate("() => document.getElementById('skin_type').value") == "dry"
    assert options.evaluate("() => document.getElementById('vegan').checked") is True
    options.click("button[type=submit]")
    result_is(options, "Saved.")
    stored = ext.sw("() => chrome.storage.sync.get('options')")["options"]
    assert stored["profile"] == FROM_THE_PAGE["profile"], ext.browser

    # Parts it does not know are left out and listed.
    odd = {"avoid": ["shea"], "concerns": ["eczema", "wrinkles"], "vegan": "yes"}
    options.evaluate(GIVE_FILE, ["odd.json", json.dumps(odd)])
    result_is(options, "2 parts left out")
    notes = text_of(options, "#profile-file-notes")
    assert "wrinkles" in notes and "vegan" in notes, ext.browser

    # What the options write is the page's format.
    fill(options, "#avoid", "coconut, Shea")
    name, text = options.evaluate(CATCH_DOWNLOAD)
    assert name == "incilens-profile.json"
    written = json.loads(text)
    assert written["format"] == "incilens-profile" and written["version"] == 1
    assert written["profile"]["avoid"] == ["coconut", "Shea"], ext.browser
    assert written["profile"]["concerns"] == ["eczema"]
