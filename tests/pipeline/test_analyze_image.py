"""POST /v1/analyze/image and the photo pipeline: a fake engine for shapes and faults, and the
real Tesseract (marked ``tesseract``) on rendered labels."""

from __future__ import annotations

import io
import json
import textwrap
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from incilens import create_app, ocr
from incilens.cli import main
from incilens.errors import OcrTimeout
from tests.conftest import REPO, need
from tests.fakes import CrashingOcrEngine, FakeOcrEngine, HangingOcrEngine

URL = "/v1/analyze/image"
LABEL = (
    "Ingredients: Aqua, Glycerin, Niacinamide, Cetearyl Alcohol, Dimethicone, "
    "Phenoxyethanol, Tocopherol, Xanthan Gum, Citric Acid, Parfum, Limonene. Made in France."
)
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"


def render(text: str = LABEL, *, size: int = 30, turn: int = 0, fmt: str = "PNG") -> bytes:
    font = ImageFont.truetype(FONT, size)
    lines = textwrap.wrap(text, 42)
    image = Image.new("RGB", (24 * size, 2 * size + len(lines) * int(size * 1.4)), "white")
    draw = ImageDraw.Draw(image)
    for i, line in enumerate(lines):
        draw.text((size, size + i * int(size * 1.4)), line, fill="black", font=font)
    if turn:
        image = image.rotate(turn, expand=True, fillcolor="white")
    out = io.BytesIO()
    image.save(out, format=fmt)
    return out.getvalue()


def post(client: FlaskClient, data: bytes, **form: Any) -> Any:
    body = {"image": (io.BytesIO(data), "label.png"), **form}
    return client.post(URL, data=body, content_type="multipart/form-data")


@pytest.fixture(scope="module")
def fake_client() -> FlaskClient:
    text = "Ingredients: Aqua, Glycerln,\nNiacinamide, Parfum"
    return create_app({"TESTING": True, "OCR_ENGINE": FakeOcrEngine(text)}).test_client()


# -- bad uploads: a clear error, nothing else ----------------------------------------------------
BAD_UPLOADS = [
    (b"", 415, "unsupported_image"),
    (b"not an image at all", 415, "unsupported_image"),
    (b"%PDF-1.7\n1 0 obj", 415, "unsupported_image"),
    (b"<svg xmlns='http://www.w3.org/2000/svg'/>", 415, "unsupported_image"),
    (render()[:200], 415, "unsupported_image"),  # a truncated PNG
]


@pytest.mark.parametrize(("data", "status", "code"), BAD_UPLOADS)
def test_bad_uploads(fake_client: FlaskClient, data: bytes, status: int, code: str) -> None:
    response = post(fake_client, data)
    assert response.status_code == status
    assert response.get_json()["error"]["code"] == code


def png_bomb(side: int = 10_000) -> bytes:
    """A real, valid PNG of side x side white pixels: 100 megapixels in about 100 KB."""
    out = io.BytesIO()
    Image.new("1", (side, side), 1).save(out, format="PNG", optimize=False)
    return out.getvalue()


def animated_gif() -> bytes:
    frames = [Image.new("RGB", (40, 20), colour) for colour in ("red", "lime", "blue")]
    out = io.BytesIO()
    frames[0].save(out, format="GIF", save_all=True, append_images=frames[1:], duration=50)
    return out.getvalue()


def jpeg(data: bytes) -> bytes:
    out = io.BytesIO()
    Image.open(io.BytesIO(data)).convert("RGB").save(out, format="JPEG", quality=90)
    return out.getvalue()


HOSTILE_UPLOADS = [
    ("100-megapixel png bomb", png_bomb, 413, "image_too_large"),
    ("30 MB upload", lambda: b"\xff\xd8" + b"\0" * (30 * 1024 * 1024), 413, "payload_too_large"),
    ("animated gif", animated_gif, 415, "unsupported_image"),
    ("truncated jpeg", lambda: jpeg(render())[:3000], 415, "unsupported_image"),
]


@pytest.mark.parametrize(
    ("make", "status", "code"),
    [case[1:] for case in HOSTILE_UPLOADS],
    ids=[case[0] for case in HOSTILE_UPLOADS],
)
def test_hostile_uploads(fake_client: FlaskClient, make: Any, status: int, code: str) -> None:
    # Encoded by hand: the test client spools a large body to a file it never closes.
    boundary = "incilens-test-boundary"
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="image"; '
            'filename="label.jpg"\r\nContent-Type: application/octet-stream\r\n\r\n'
        ).encode()
        + make()
        + f"\r\n--{boundary}--\r\n".encode()
    )
    response = fake_client.post(
        URL, data=body, content_type=f"multipart/form-data; boundary={boundary}"
    )
    assert response.status_code == status
    error = response.get_json()["error"]
    assert error["code"] == code
    assert "limit" in error["message"] or "photo" in error["message"]
    # nothing was lost: the same worker goes on serving
    assert post(fake_client, render()).status_code == 200


def test_a_misnamed_field_is_named(fake_client: FlaskClient) -> None:
    response = fake_client.post(
        URL, data={"photo": (io.BytesIO(render()), "x.png")}, content_type="multipart/form-data"
    )
    assert response.status_code == 400
    assert "image" in response.get_json()["error"]["message"]


def test_missing_file_and_bad_profile(fake_client: FlaskClient) -> None:
    response = fake_client.post(URL, data={}, content_type="multipart/form-data")
    assert response.status_code == 400
    assert "image" in response.get_json()["error"]["message"]
    response = post(fake_client, render(), profile='{"skin_type": "greasy"}')
    assert response.status_code == 400
    assert "profile.skin_type" in response.get_json()["error"]["message"]
    response = post(fake_client, render(), profile="{not json")
    assert response.status_code == 400


def test_oversized_photos() -> None:
    client = create_app(
        {"TESTING": True, "OCR_ENGINE": FakeOcrEngine("Aqua"), "MAX_IMAGE_BYTES": 1000}
    ).test_client()
    response = post(client, render())
    assert response.status_code == 413
    assert response.get_json()["error"]["code"] == "image_too_large"
    client = create_app(
        {"TESTING": True, "OCR_ENGINE": FakeOcrEngine("Aqua"), "MAX_IMAGE_PIXELS": 10_000}
    ).test_client()
    assert post(client, render()).status_code == 413


@pytest.mark.parametrize(
    ("engine", "status", "code"),
    [(HangingOcrEngine(), 504, "ocr_timeout"), (CrashingOcrEngine(), 500, "internal_error")],
)
def test_engine_faults_are_json_errors(engine: Any, status: int, code: str) -> None:
    client = create_app({"TESTING": True, "OCR_ENGINE": engine}).test_client()
    response = post(client, render())
    assert response.status_code == status
    assert response.get_json()["error"]["code"] == code
    assert client.post("/v1/analyze/text", json={"text": "Aqua"}).status_code == 200


class FirstReadOnlyEngine(FakeOcrEngine):
    """Reads a poor list once; every later read (band check, second strategy) times out."""

    def recognize(self, image: Image.Image, *, psm: int = 3) -> Any:
        if self.calls:
            self.calls.append((image.size, psm))
            raise OcrTimeout("too slow")
        return super().recognize(image, psm=psm)


def test_a_later_read_that_times_out_keeps_the_first() -> None:
    engine = FirstReadOnlyEngine("Ingredients: Aqua, Qwzx Blorp, Glycerin, Vrrm Tlak, Zzk")
    client = create_app({"TESTING": True, "OCR_ENGINE": engine}).test_client()
    response = post(client, render())
    assert response.status_code == 200
    body = response.get_json()
    assert body["summary"]["counts"]["recognised"] == 2
    assert [a["strategy"] for a in body["ocr"]["attempts"]] == ["default"]
    assert len(engine.calls) >= 2  # a later read was tried


def test_report_shape_with_the_ocr_section(fake_client: FlaskClient) -> None:
    response = post(fake_client, render(), profile='{"vegan": true}')
    assert response.status_code == 200
    body = response.get_json()
    assert body["list_found"] is True
    assert [i["match"]["inci_name"] for i in body["ingredients"]] == [
        "AQUA",
        "GLYCERIN",
        "NIACINAMIDE",
        "PARFUM",
    ]
    section = body["ocr"]
    assert section["engine"] == "fake"
    assert section["text"].startswith("Ingredients:")
    assert section["image"]["format"] == "PNG"
    assert {"decode", "prepare", "ocr", "analysis", "total"} <= set(section["timings_ms"])
    assert "rotation_degrees" in section and "deskew_degrees" in section
    glycerin = body["ingredients"][1]
    assert glycerin["match"]["method"] == "ocr"
    assert len(glycerin["ocr"]["boxes"]) == 1 and len(glycerin["ocr"]["boxes"][0]) == 4
    assert glycerin["ocr"]["low_confidence"] is False
    assert body["profile"]["vegan"] is True


# -- the real engine -------------------------------------------------------------------------
@pytest.fixture(scope="module")
def real_client() -> FlaskClient:
    need(ocr.available(), "tesseract is not installed")
    return create_app({"TESTING": True}).test_client()


@pytest.mark.tesseract
@pytest.mark.parametrize("turn", [0, 90, 180, 270, 4])
def test_tesseract_reads_a_rendered_label_any_way_up(real_client: FlaskClient, turn: int) -> None:
    data = render(turn=turn)
    width, height = Image.open(io.BytesIO(data)).size
    body = post(real_client, data).get_json()
    names = [i["match"]["inci_name"] for i in body["ingredients"] if i["match"]]
    assert names[:4] == ["AQUA", "GLYCERIN", "NIACINAMIDE", "CETEARYL ALCOHOL"]
    assert body["summary"]["counts"]["recognised"] >= 10
    quarter = round(turn / 90) * 90  # 4 degrees is a skew, not a turn
    assert body["ocr"]["rotation_degrees"] == (360 - quarter) % 360
    for item in body["ingredients"]:
        for quad in item["ocr"]["boxes"]:
            for x, y in quad:
                assert -5 <= x <= width + 5 and -5 <= y <= height + 5


@pytest.mark.tesseract
def test_tesseract_boxes_land_on_the_word(real_client: FlaskClient) -> None:
    data = render()
    body = post(real_client, data).get_json()
    aqua = next(i for i in body["ingredients"] if i["match"] and i["match"]["inci_name"] == "AQUA")
    (quad,) = aqua["ocr"]["boxes"]
    xs, ys = [p[0] for p in quad], [p[1] for p in quad]
    # "Aqua," follows "Ingredients: " on the first line, drawn at x=30, y=30 in a 30 px font.
    assert 180 < min(xs) < 320 and 20 < min(ys) < 50 and max(ys) < 80


@pytest.mark.tesseract
def test_tesseract_photo_without_a_list(real_client: FlaskClient) -> None:
    data = render("Directions: apply a small amount to clean skin every morning and evening.")
    body = post(real_client, data).get_json()
    assert body["list_found"] is False
    assert "Directions" in body["ocr"]["text"]


@pytest.mark.tesseract
def test_tesseract_reads_an_iphone_heic(real_client: FlaskClient) -> None:
    import pillow_heif

    pillow_heif.register_heif_opener()
    out = io.BytesIO()
    Image.open(io.BytesIO(render(turn=90))).save(out, format="HEIF", quality=85)
    body = post(real_client, out.getvalue()).get_json()
    assert body["ocr"]["image"]["format"] == "HEIF"
    assert body["ocr"]["rotation_degrees"] == 270
    assert body["summary"]["counts"]["recognised"] >= 10


@pytest.mark.tesseract
def test_an_unreadably_blurred_photo_is_said_to_be_unreadable(real_client: FlaskClient) -> None:
    blurred = Image.open(io.BytesIO(render())).filter(ImageFilter.GaussianBlur(5))
    out = io.BytesIO()
    blurred.save(out, format="JPEG", quality=90)
    response = post(real_client, out.getvalue())
    assert response.status_code == 200
    reliability = response.get_json()["summary"]["reliability"]
    assert reliability["level"] == "unreadable"
    assert reliability["verdicts_withheld"] is True
    assert "Re-take" in reliability["message"]


def stand_in_tesseract(tmp_path: Path, body: str) -> str:
    """An executable at the wrapper's Tesseract path that misbehaves like a broken install."""
    script = tmp_path / "tesseract"
    script.write_text("#!/bin/sh\n" + body + "\n", encoding="utf-8")
    script.chmod(0o755)
    return str(script)


@pytest.mark.tesseract
@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ("kill -SEGV $$", 503, "ocr_unavailable"),  # the engine crashes
        ("exec sleep 30", 504, "ocr_timeout"),  # the engine hangs: killed at the timeout
        ("echo 'Error opening data file' >&2; exit 1", 503, "ocr_unavailable"),
    ],
    ids=["crash", "hang", "broken install"],
)
def test_engine_process_faults(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, body: str, status: int, code: str
) -> None:
    import pytesseract

    need(ocr.available(), "tesseract is not installed")
    client = create_app({"TESTING": True, "OCR_TIMEOUT": 1}).test_client()
    monkeypatch.setattr(
        pytesseract.pytesseract, "tesseract_cmd", stand_in_tesseract(tmp_path, body)
    )
    response = post(client, render())
    assert response.status_code == status
    assert response.get_json()["error"]["code"] == code
    assert client.post("/v1/analyze/text", json={"text": "Aqua"}).status_code == 200


LABELS = REPO / "tests" / "resources" / "labels"


@pytest.mark.tesseract
@pytest.mark.parametrize("name", ["clean.png", "rotated.png", "phone.jpg", "no_list.png"])
def test_rendered_label_fixtures(real_client: FlaskClient, name: str) -> None:
    expected = json.loads((LABELS / "expected.json").read_text(encoding="utf-8"))[name]
    body = post(real_client, (LABELS / name).read_bytes()).get_json()
    assert body["list_found"] is expected["list_found"]
    names = [i["match"]["inci_name"] for i in body["ingredients"] if i["match"]]
    assert names == expected["gold"]
    assert body["ocr"]["rotation_degrees"] == (360 - expected["rotation_ccw"]) % 360


@pytest.mark.tesseract
def test_cli_reads_a_photo(capsys: pytest.CaptureFixture[str]) -> None:
    need(ocr.available(), "tesseract is not installed")
    assert main(["analyze", str(LABELS / "clean.png")]) == 0
    out = capsys.readouterr().out
    assert "Read from the photo with tesseract" in out
    assert "10 items, 10 recognised" in out
    assert main(["analyze", str(LABELS / "clean.png"), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["ocr"]["engine"] == "tesseract"


def test_cli_photo_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    junk = tmp_path / "junk.jpg"
    junk.write_bytes(b"not a photo")
    assert main(["analyze", str(junk)]) == 1
    assert "not an image we can read" in capsys.readouterr().err
    assert main(["analyze", str(tmp_path / "missing.jpg")]) == 1
    assert main(["analyze", str(junk), "--text", "Aqua"]) == 1
