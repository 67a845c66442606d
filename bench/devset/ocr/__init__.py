"""Rendered label images for the OCR development set (see README.md in this folder).

``image_bytes(row)`` renders one manifest row to the bytes of its file: the flat label as PNG
for the clean tier, the photographed frame as JPEG for the others.
"""

from __future__ import annotations

from typing import Any

from .photo import encode, photograph
from .render import draw


def image_bytes(row: dict[str, Any]) -> bytes:
    """The PNG or JPEG file of one manifest row."""
    label = draw(row["render"])
    if row["photo"] is None:
        return encode(label, "png")
    return encode(photograph(label, row["photo"]), "jpeg", row["photo"]["jpeg_quality"])
