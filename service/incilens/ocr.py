"""The OCR engine boundary. For now: the probe that tells whether Tesseract is installed.

``available()`` and ``version()`` are kept apart from running the engine so that ``/health``,
the start-up log and the test markers can ask without doing any OCR.
"""

from __future__ import annotations

import shutil
import subprocess
from functools import cache

__all__ = ["available", "version"]

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
