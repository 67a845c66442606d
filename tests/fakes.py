"""Stand-in OCR engines for tests: they sit beside real-Tesseract tests, never instead of them."""

from __future__ import annotations

from PIL import Image

from incilens.core.models import OcrResult
from incilens.errors import OcrTimeout
from incilens.ocr.tesseract import words_to_result


class FakeOcrEngine:
    """Returns the given text as if read from the image: one word box per word, in rows."""

    name = "fake"

    def __init__(self, text: str, *, confidence: float = 95.0) -> None:
        self.text = text
        self.confidence = confidence
        self.calls: list[tuple[tuple[int, int], int]] = []

    def recognize(self, image: Image.Image, *, psm: int = 3) -> OcrResult:
        self.calls.append((image.size, psm))
        rows = []
        for line_no, line in enumerate(self.text.split("\n")):
            x = 10
            for word_no, word in enumerate(line.split()):
                rows.append(
                    (1, 1, line_no + 1, word_no + 1, word, x, 10 + 30 * line_no, 12 * len(word),
                     24, self.confidence)
                )  # fmt: skip
                x += 12 * len(word) + 12
        return words_to_result(rows, engine=self.name, version="0", languages="eng", config="")


class CrashingOcrEngine:
    """An engine that fails the way a broken native library does: with a plain exception."""

    name = "crashing"

    def recognize(self, image: Image.Image, *, psm: int = 3) -> OcrResult:
        raise RuntimeError("segmentation fault in the OCR engine")


class HangingOcrEngine:
    """An engine whose read times out."""

    name = "hanging"

    def recognize(self, image: Image.Image, *, psm: int = 3) -> OcrResult:
        raise OcrTimeout("Reading the photo took longer than 0.1 s.")
