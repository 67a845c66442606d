"""Photos to text: decode and check an upload, prepare it, read it with Tesseract, cache reads.

:mod:`~incilens.ocr.imaging` opens and checks the bytes (format, size, pixels, EXIF turn);
:mod:`~incilens.ocr.preprocess` finds and levels the text; :mod:`~incilens.ocr.tesseract` is the
only place Tesseract runs (the engine interface, the probe and the one wrapper);
:mod:`~incilens.ocr.cache` remembers reads by the pixels read. Nothing here imports Flask.
"""

from __future__ import annotations

from incilens.ocr.tesseract import (
    OcrEngine,
    TesseractEngine,
    available,
    engine_from_config,
    version,
    words_to_result,
)

__all__ = [
    "OcrEngine",
    "TesseractEngine",
    "available",
    "engine_from_config",
    "version",
    "words_to_result",
]
