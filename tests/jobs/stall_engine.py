"""An OCR engine for the worker tests: the first read anywhere stalls, later reads are fake.

Workers load it with ``INCILENS_OCR_ENGINE=tests.jobs.stall_engine:StallOnceEngine``. The first
read writes the marker file named by ``INCILENS_TEST_STALL_MARKER`` (so the test knows an item
is in the middle of being read) and then sleeps, long enough for the test to kill its worker;
any read that finds the marker already there answers at once.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from PIL import Image

from incilens.core.models import OcrResult
from tests.fakes import FakeOcrEngine

TEXT = "Ingredients: Aqua, Glycerin,\nNiacinamide, Parfum"


def stall_env(marker: Path) -> dict[str, str]:
    """The variables that make a worker or server read with this engine, stalling on ``marker``."""
    return {
        "INCILENS_OCR_ENGINE": "tests.jobs.stall_engine:StallOnceEngine",
        "INCILENS_TEST_STALL_MARKER": str(marker),
    }


class StallOnceEngine:
    name = "stall-once"

    def __init__(self) -> None:
        self.marker = Path(os.environ["INCILENS_TEST_STALL_MARKER"])

    def recognize(self, image: Image.Image, *, psm: int = 3) -> OcrResult:
        try:
            with self.marker.open("x") as f:  # exactly one read ever gets here first
                f.write(str(os.getpid()))
        except FileExistsError:
            return FakeOcrEngine(TEXT).recognize(image, psm=psm)
        time.sleep(300)  # killed long before this ends
        raise AssertionError("the stalled read was not interrupted")
