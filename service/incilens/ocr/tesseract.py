"""The OCR engine boundary: the Tesseract probe, the engine interface and the one wrapper.

``available()`` and ``version()`` are kept apart from running the engine so that ``/health``,
the start-up log and the test markers can ask without doing any OCR. Tesseract runs only through
:meth:`TesseractEngine.recognize` (pytesseract with an argv list, never a shell), always with
an explicit timeout and ``OMP_THREAD_LIMIT=1`` (its OpenMP threads cost more than they bring on a
shared 2-core machine; parallelism comes from processes). An empty page is an empty result; a
timeout is :class:`~incilens.errors.OcrTimeout`; a missing or crashing binary is
:class:`~incilens.errors.OcrUnavailable`, raised ``from`` the original error with Tesseract's
stderr logged at DEBUG.
"""

from __future__ import annotations

import importlib
import logging
import os
import shutil
import subprocess
from collections.abc import Mapping
from functools import cache
from typing import Any, Protocol

from PIL import Image

from incilens.core.models import OcrResult, OcrWord
from incilens.errors import OcrTimeout, OcrUnavailable

__all__ = [
    "OcrEngine",
    "TesseractEngine",
    "available",
    "engine_from_config",
    "version",
    "words_to_result",
]

log = logging.getLogger(__name__)

_PROBE_TIMEOUT_S = 5


@cache
def version() -> str | None:
    """Return Tesseract's version string (e.g. ``"5.3.0"``), or None when it is not installed."""
    exe = shutil.which("tesseract")
    if exe is None:
        return None
    try:
        done = subprocess.run(
            [exe, "--version"],
            capture_output=True,
            text=True,
            timeout=_PROBE_TIMEOUT_S,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    first = (done.stdout or done.stderr).strip().splitlines()
    if done.returncode != 0 or not first:
        return None
    return first[0].removeprefix("tesseract").strip() or None


def available() -> bool:
    """Whether a working Tesseract binary is on the PATH."""
    return version() is not None


class OcrEngine(Protocol):
    """What the pipeline needs from an OCR engine."""

    name: str

    def recognize(self, image: Image.Image, *, psm: int = 3) -> OcrResult:
        """Read ``image`` (greyscale or RGB) and return its words with boxes and offsets."""
        ...


def words_to_result(
    rows: list[tuple[int, int, int, int, str, int, int, int, int, float]],
    *,
    engine: str,
    version: str,
    languages: str,
    config: str,
) -> OcrResult:
    r"""Build the full text and its words from Tesseract's word rows.

    Each row is ``(block, paragraph, line, word, text, left, top, width, height, confidence)``.
    Words of a line are joined by a space, lines by a line break (also between the paragraphs
    of one block: Tesseract starts a paragraph at any short line, and a blank line would end an
    ingredient list printed one item per line), and blocks by a blank line; every word keeps
    its offsets into that text.

    Examples:
        >>> rows = [(1, 1, 1, 1, "Aqua,", 0, 0, 50, 20, 96.0),
        ...         (1, 1, 1, 2, "Glycerin", 60, 0, 90, 20, 91.0),
        ...         (1, 1, 2, 1, "Parfum", 0, 30, 70, 20, 88.0),
        ...         (1, 2, 1, 1, "Citral", 0, 60, 70, 20, 90.0),
        ...         (2, 1, 1, 1, "Made", 0, 200, 70, 20, 90.0)]
        >>> r = words_to_result(rows, engine="t", version="5", languages="eng", config="")
        >>> r.text
        'Aqua, Glycerin\nParfum\nCitral\n\nMade'
        >>> [(w.text, w.start, w.end, w.line) for w in r.words][1:3]
        [('Glycerin', 6, 14, 0), ('Parfum', 15, 21, 1)]
    """
    parts: list[str] = []
    words: list[OcrWord] = []
    offset = 0
    previous: tuple[int, int, int] | None = None
    line_no = -1
    for block, par, line, _, text, left, top, width, height, conf in rows:
        text = text.strip()
        if not text:
            continue
        here = (block, par, line)
        if previous is None:
            sep = ""
        elif here == previous:
            sep = " "
        elif here[0] == previous[0]:
            sep = "\n"
        else:
            sep = "\n\n"
        if here != previous:
            line_no += 1
        parts.append(sep)
        offset += len(sep)
        words.append(
            OcrWord(
                text=text,
                start=offset,
                end=offset + len(text),
                left=left,
                top=top,
                width=width,
                height=height,
                confidence=min(100.0, max(0.0, conf)),
                line=line_no,
            )
        )
        parts.append(text)
        offset += len(text)
        previous = here
    return OcrResult(
        text="".join(parts),
        words=tuple(words),
        engine=engine,
        version=version,
        languages=languages,
        config=config,
    )


class TesseractEngine:
    """Tesseract through pytesseract: one call per read, with a timeout."""

    name = "tesseract"

    def __init__(self, *, languages: str = "eng", timeout: float = 20.0, oem: int = 1) -> None:
        """Configure the languages (``"eng"``, ``"eng+fra"``), the per-call timeout and engine."""
        self.languages = languages
        self.timeout = timeout
        self.oem = oem
        os.environ.setdefault("OMP_THREAD_LIMIT", "1")

    def recognize(self, image: Image.Image, *, psm: int = 3) -> OcrResult:
        """Read ``image``; raise OcrTimeout or OcrUnavailable, never anything else."""
        import pytesseract

        config = f"--oem {self.oem} --psm {psm} -c preserve_interword_spaces=0"
        image = image.copy()
        image.format = "BMP"  # an uncompressed temporary file: much faster to write than PNG
        try:
            data = pytesseract.image_to_data(
                image,
                lang=self.languages,
                config=config,
                timeout=self.timeout,
                output_type=pytesseract.Output.DICT,
            )
        except RuntimeError as e:  # pytesseract's timeout
            if "timeout" in str(e).lower():
                raise OcrTimeout(
                    f"Reading the photo took longer than {self.timeout:g} s; "
                    "try a closer, sharper photo of the ingredient list."
                ) from e
            raise OcrUnavailable("The OCR engine failed; text analysis still works.") from e
        except pytesseract.TesseractNotFoundError as e:
            raise OcrUnavailable(
                "Tesseract is not installed here, so photos cannot be read; paste the text."
            ) from e
        except (pytesseract.TesseractError, OSError) as e:
            log.debug("tesseract failed: %s", e)
            raise OcrUnavailable("The OCR engine failed; text analysis still works.") from e
        rows = [
            (
                int(data["block_num"][i]),
                int(data["par_num"][i]),
                int(data["line_num"][i]),
                int(data["word_num"][i]),
                str(data["text"][i]),
                int(data["left"][i]),
                int(data["top"][i]),
                int(data["width"][i]),
                int(data["height"][i]),
                float(data["conf"][i]),
            )
            for i in range(len(data["text"]))
            if int(data["level"][i]) == 5 and str(data["text"][i]).strip()
        ]
        return words_to_result(
            rows,
            engine=self.name,
            version=version() or "unknown",
            languages=self.languages,
            config=config,
        )


def engine_from_config(config: Mapping[str, Any]) -> OcrEngine:
    """The engine a config asks for: Tesseract, unless ``OCR_ENGINE`` names another.

    ``OCR_ENGINE`` is an engine object or a ``"module:Class"`` string (a plug-in, or a test
    engine set through ``INCILENS_OCR_ENGINE`` in a server or worker started by the tests).
    """
    spec = config.get("OCR_ENGINE")
    if isinstance(spec, str) and spec:
        module, _, name = spec.partition(":")
        engine: OcrEngine = getattr(importlib.import_module(module), name)()
        return engine
    if spec:
        return spec  # type: ignore[no-any-return]
    return TesseractEngine(
        languages=str(config["OCR_LANGUAGES"]), timeout=float(config["OCR_TIMEOUT"])
    )
