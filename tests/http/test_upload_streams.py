"""Every temporary file opened for an upload is closed when the request ends, parsed or not.

Werkzeug closes the file parts that reach ``request.files``; a part whose parsing was cut short
never gets there. Python then warns "Unclosed file" whenever the garbage collector happens to
find it, which made the schema test of ``POST /v1/jobs`` fail now and then.
"""

from __future__ import annotations

import pytest
from flask import request
from werkzeug.exceptions import RequestEntityTooLarge

from incilens.app import create_app
from incilens.http.forms import FormRequest
from tests.jobs.test_gunicorn import multipart

PHOTO = b"\xff\xd8\xff" + bytes(range(256)) * 40  # 10 KB of upload


CASES = [
    # (what goes wrong, config, the form's parts) -- the nasty cases first
    ("too many parts after two files", {"MAX_FORM_PARTS": 2}, 3),
    ("a field over the parser's memory after a file", {"MAX_FORM_MEMORY_SIZE": 128 * 1024}, 1),
    ("parsed in full", {}, 2),
]


@pytest.mark.parametrize(("case", "config", "files"), CASES, ids=[c[0] for c in CASES])
def test_upload_streams_are_closed_when_the_request_ends(
    case: str, config: dict[str, int], files: int
) -> None:
    app = create_app({"TESTING": True, **config})
    body, content_type = multipart([], [("images", f"p{n}.jpg", PHOTO) for n in range(files)])
    if "field" in case:  # a field after the file, so the file part is already open
        big = b'Content-Disposition: form-data; name="profile"\r\n\r\n' + b"x" * 200_000
        body = body.replace(
            b"--incilens-test-boundary--\r\n",
            b"--incilens-test-boundary\r\n" + big + b"\r\n--incilens-test-boundary--\r\n",
        )
    with app.test_request_context("/v1/jobs", method="POST", data=body, content_type=content_type):
        req = request._get_current_object()  # type: ignore[attr-defined]
        assert isinstance(req, FormRequest)
        if case == "parsed in full":
            assert len(req.files.getlist("images")) == files
        else:
            with pytest.raises(RequestEntityTooLarge):
                _ = req.files
        streams = req.upload_streams
        assert streams and not any(s.closed for s in streams)
    assert all(s.closed for s in streams), case
