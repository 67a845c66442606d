"""The Tesseract wrapper against the real binary: reads, timeouts and a missing binary."""

from __future__ import annotations

import pytest
from PIL import Image, ImageDraw, ImageFont

from incilens import ocr
from incilens.errors import OcrTimeout, OcrUnavailable
from incilens.ocr.tesseract import TesseractEngine
from tests.conftest import need

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"


@pytest.fixture(scope="module", autouse=True)
def tesseract() -> None:
    need(ocr.available(), "tesseract is not installed")


def words_image(text: str) -> Image.Image:
    image = Image.new("L", (900, 80), 255)
    ImageDraw.Draw(image).text((20, 20), text, fill=0, font=ImageFont.truetype(FONT, 32))
    return image


@pytest.mark.tesseract
def test_blank_page_is_an_empty_read() -> None:
    result = TesseractEngine().recognize(Image.new("L", (300, 200), 255))
    assert result.text == "" and result.words == () and result.mean_confidence == 0


@pytest.mark.tesseract
def test_words_carry_boxes_and_offsets() -> None:
    result = TesseractEngine().recognize(words_image("Aqua, Glycerin, Parfum"))
    assert result.text == "Aqua, Glycerin, Parfum"
    for word in result.words:
        assert result.text[word.start : word.end] == word.text
        assert 10 <= word.left < 900 and 5 <= word.top < 60 and word.height > 15
    assert result.mean_confidence > 80
    assert result.version == ocr.version()


@pytest.mark.tesseract
def test_a_read_that_takes_too_long_times_out() -> None:
    big = Image.new("L", (3000, 3000), 255)
    for y in range(0, 3000, 60):
        ImageDraw.Draw(big).text((10, y), "Glycerin " * 40, fill=0)
    with pytest.raises(OcrTimeout):
        TesseractEngine(timeout=0.05).recognize(big)


@pytest.mark.tesseract
def test_a_missing_binary_is_ocr_unavailable(monkeypatch: pytest.MonkeyPatch) -> None:
    import pytesseract

    monkeypatch.setattr(pytesseract.pytesseract, "tesseract_cmd", "/nonexistent/tesseract")
    with pytest.raises(OcrUnavailable):
        TesseractEngine().recognize(words_image("Aqua"))


@pytest.mark.tesseract
def test_an_unknown_language_is_ocr_unavailable() -> None:
    with pytest.raises(OcrUnavailable):
        TesseractEngine(languages="xyz").recognize(words_image("Aqua"))
