"""The small label images committed for the test suite (tests/resources/labels/).

Usage (library): ``fixtures.write(folder)`` renders them and writes ``expected.json``; it is run
by ``python bench/devset/build_ocr_devset.py --fixtures``. The images are deterministic:

- ``clean.png``: a short flat label, a product line, "Ingredients:" and ten common ingredients;
- ``rotated.png``: the same label turned 90 degrees counter-clockwise;
- ``phone.jpg``: the same text photographed (2000x1500, slight tilt and keystone, soft blur,
  mild noise and light gradient, JPEG quality 85);
- ``no_list.png``: a label with a product name, directions and warnings but no ingredient list.

``expected.json`` gives, per file, the text drawn, the gold INCI names (as spelled in the
knowledge base), whether a list is there, and the counter-clockwise rotation.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from PIL import Image

from .photo import encode, photograph
from .render import FONTS, draw, measure, size_for_x_height

ITEMS = [
    ("Water", "WATER"),
    ("Glycerin", "GLYCERIN"),
    ("Niacinamide", "NIACINAMIDE"),
    ("Butylene Glycol", "BUTYLENE GLYCOL"),
    ("Cetearyl Alcohol", "CETEARYL ALCOHOL"),
    ("Dimethicone", "DIMETHICONE"),
    ("Sodium Hyaluronate", "SODIUM HYALURONATE"),
    ("Tocopherol", "TOCOPHEROL"),
    ("Phenoxyethanol", "PHENOXYETHANOL"),
    ("Citric Acid", "CITRIC ACID"),
]
LABEL = ["Hydrating Face Cream 50 ml", "Ingredients:", ", ".join(t for t, _ in ITEMS) + "."]
NO_LIST = [
    "Hydrating Face Cream 50 ml",
    "Directions: apply morning and evening to clean, dry skin, avoiding the eye area.",
    "For external use only. Keep out of reach of children.",
    "Made in France",
]


def _spec(lines: list[str], family: str, x_height: float) -> dict[str, Any]:
    regular, bold = FONTS[family]
    size = size_for_x_height(regular, x_height)
    spec = {
        "font": regular,
        "bold_font": bold,
        "size": size,
        "line_spacing": 1.3,
        "align": "left",
        "paragraphs": [{"text": t, "bold": t.endswith(":")} for t in lines],
        "column": 1000,
        "margin": [60, 60],
        "ink": [25, 25, 25],
        "paper": [250, 249, 244],
    }
    spec["panel"] = [1120, measure(spec)[1] + 120]
    return spec


PHONE = {
    "frame": [2000, 1500],
    "seed": 20240611,
    "style": "paper",
    "background": {"kind": "stone", "color": [150, 150, 150], "color2": [200, 198, 192]},
    "bottle": None,
    "cylinder": None,
    "place": {
        "center": [1010, 760],
        "rotation_deg": 2.0,
        "keystone": [0.02, -0.01],
        "jitter": [[0.0, 0.0], [0.003, 0.0], [0.0, 0.003], [0.0, 0.0]],
    },
    "glare": None,
    "light": {"angle_deg": 30, "low": 0.85, "high": 1.02, "vignette": 0.1},
    "shadow": {"offset": [12, 16], "sigma": 24, "strength": 0.3},
    "blur_sigma": 0.8,
    "noise_sigma": 1.5,
    "chroma_noise": 0.3,
    "quarter_turns": 0,
    "jpeg_quality": 85,
}


def write(folder: Path) -> list[tuple[str, int]]:
    """Render the fixtures into ``folder``; the file names and sizes."""
    folder.mkdir(parents=True, exist_ok=True)
    label = draw(_spec(LABEL, "DejaVu Sans", 24))
    gray = label.convert("L")
    images: dict[str, bytes] = {
        "clean.png": encode(gray, "png"),
        "rotated.png": encode(gray.transpose(Image.Transpose.ROTATE_90), "png"),
        "phone.jpg": encode(photograph(label, PHONE), "jpeg", PHONE["jpeg_quality"]),
        "no_list.png": encode(draw(_spec(NO_LIST, "Liberation Sans", 24)).convert("L"), "png"),
    }
    text, gold = "\n".join(LABEL), [name for _, name in ITEMS]
    expected = {
        "_about": "Written by bench/devset/build_ocr_devset.py --fixtures (see ocr/fixtures.py)",
        "clean.png": {"text": text, "gold": gold, "list_found": True, "rotation_ccw": 0},
        "rotated.png": {"text": text, "gold": gold, "list_found": True, "rotation_ccw": 90},
        "phone.jpg": {"text": text, "gold": gold, "list_found": True, "rotation_ccw": 0},
        "no_list.png": {
            "text": "\n".join(NO_LIST),
            "gold": [],
            "list_found": False,
            "rotation_ccw": 0,
        },
    }
    for name, data in images.items():
        (folder / name).write_bytes(data)
    blob = json.dumps(expected, indent=2, ensure_ascii=False) + "\n"
    (folder / "expected.json").write_text(blob, encoding="utf-8")
    return [(name, len(data)) for name, data in images.items()]
