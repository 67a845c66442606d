"""Label photos of the sizes phones really make, for tests that send them through the real server.

The old suite passed while fresh installs refused most phone photos, because every test photo
was small. These are not: a 12-megapixel scene (4032x3024) of an ingredient label on a wooden
table, drawn with the project's own label renderer and camera model (``bench/devset/ocr``:
``render.draw`` and ``photo.photograph``: perspective, soft shadow, lighting gradient and
vignette, blur, luminance and chroma noise), then stored the ways phones and people store it:

* ``jpeg()``: upright JPEG, quality 95, EXIF Orientation 1 (about 3.6 MB);
* ``jpeg(6)``, ``jpeg(8)``, ``jpeg(3)``: the same scene stored turned, with the EXIF
  Orientation that turns it back (a phone held in portrait writes 6);
* ``png()``: a PNG export of the scene with lighter noise (about 8.5 MB);
* ``heic()``: an iPhone-style HEIC (HEVC in HEIF, written by pillow-heif), about 2.3 MB;
* ``pixels(n)``: a mostly white greyscale PNG of exactly ``n`` pixels with the flat label pasted
  on it (cheap to encode, for the pixel limit);
* ``pad(data, size)``: a file grown to exactly ``size`` bytes without changing a pixel (bytes
  after a JPEG's end-of-image marker, as motion photos append their video; a private ancillary
  chunk in a PNG).

Everything is deterministic (fixed seeds, fixed encoder settings) and cached under
``tests/artifacts/photos/<digest>/`` (git-ignored), where the digest covers this file and the
two bench modules, so a change to either draws the photos again; a missing file is drawn again.
Drawing them all takes about 12 s on 2 cores, once per checkout; later sessions read the files,
and within a session each photo (and the rendered scene) is made or found once.
"""

from __future__ import annotations

import hashlib
import importlib.util
import io
import math
import os
import shutil
import struct
import sys
import zlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np
import pillow_heif
from PIL import Image, ImageOps

REPO = Path(__file__).resolve().parents[1]
BENCH_OCR = REPO / "bench" / "devset" / "ocr"
PHOTOS_ROOT = REPO / "tests" / "artifacts" / "photos"

pillow_heif.register_heif_opener()  # Pillow reads and writes HEIF from here on, as the service

#: What the label says, as printed, and each item's INCI name in the knowledge base.
ITEMS: tuple[tuple[str, str], ...] = (
    ("Aqua", "AQUA"),
    ("Glycerin", "GLYCERIN"),
    ("Cetearyl Alcohol", "CETEARYL ALCOHOL"),
    ("Caprylic/Capric Triglyceride", "CAPRYLIC/CAPRIC TRIGLYCERIDE"),
    ("Dimethicone", "DIMETHICONE"),
    ("Niacinamide", "NIACINAMIDE"),
    ("Butylene Glycol", "BUTYLENE GLYCOL"),
    ("Phenoxyethanol", "PHENOXYETHANOL"),
    ("Tocopherol", "TOCOPHEROL"),
    ("Sodium Hyaluronate", "SODIUM HYALURONATE"),
    ("Xanthan Gum", "XANTHAN GUM"),
    ("Citric Acid", "CITRIC ACID"),
)
GOLD: tuple[str, ...] = tuple(inci for _, inci in ITEMS)
LABEL_LINES: tuple[str, ...] = (
    "Daily Moisture Cream 50 ml",
    "INGREDIENTS: " + ", ".join(printed for printed, _ in ITEMS) + ".",
    "Apply morning and evening to clean skin. Made in France.",
)

FRAME = (4032, 3024)  # a 12-megapixel phone camera, landscape
JPEG_QUALITY = 95
HEIC_QUALITY = 60
ORIENTATION_TAG = 0x0112
# EXIF orientation -> the transpose that stores an upright scene so that a viewer applying the
# tag shows it upright again (Pillow's exif_transpose applies the inverse).
STORED_AS: Mapping[int, Image.Transpose | None] = {
    1: None,
    3: Image.Transpose.ROTATE_180,
    6: Image.Transpose.ROTATE_90,  # the viewer turns it 90 degrees clockwise
    8: Image.Transpose.ROTATE_270,  # the viewer turns it 90 degrees counter-clockwise
}

# The label: DejaVu Sans (fonts-dejavu), x-height 38 px in the frame, a little off-white paper.
LABEL_X_HEIGHT = 38.0
# The photo (see bench/devset/ocr/photo.py for every key): the label slightly turned and
# keystoned on a wooden table, lit from one side, with a soft shadow, blur and sensor noise.
SCENE: dict[str, Any] = {
    "frame": list(FRAME),
    "seed": 20250117,
    "style": "paper",
    "background": {"kind": "wood", "color": [120, 84, 52], "color2": [176, 130, 88]},
    "bottle": None,
    "cylinder": None,
    "place": {
        "center": [FRAME[0] / 2, FRAME[1] / 2],
        "rotation_deg": 1.5,
        "keystone": [0.02, -0.01],
        "jitter": [[0.0, 0.0], [0.002, 0.0], [0.0, 0.002], [0.0, 0.0]],
    },
    "glare": None,
    "light": {"angle_deg": 35, "low": 0.82, "high": 1.04, "vignette": 0.12},
    "shadow": {"offset": [18, 24], "sigma": 30, "strength": 0.3},
    "blur_sigma": 0.7,
    "noise_sigma": 3.0,
    "chroma_noise": 0.4,
    "quarter_turns": 0,
}
# A PNG export: the same scene with lighter noise (a PNG of a noisy 12 MP photo is ~18 MB).
PNG_SCENE: dict[str, Any] = {**SCENE, "noise_sigma": 0.5, "chroma_noise": 0.0}


@dataclass(frozen=True)
class Photo:
    """A generated photo on disk and what it is meant to be.

    Attributes:
        name: File name under the cache folder.
        path: The file.
        format: The format as Pillow names it (JPEG, PNG, HEIF).
        stored_size: Width and height of the pixels as stored in the file.
        size: Width and height once EXIF orientation is applied (what a viewer shows).
        orientation: The EXIF orientation written (1 when the file is upright or has none).
        gold: INCI names of the label's ingredients, in order.
    """

    name: str
    path: Path
    format: str
    stored_size: tuple[int, int]
    size: tuple[int, int]
    orientation: int = 1
    gold: tuple[str, ...] = GOLD

    def read(self) -> bytes:
        return self.path.read_bytes()

    @property
    def nbytes(self) -> int:
        return self.path.stat().st_size

    @property
    def pixels(self) -> int:
        return self.size[0] * self.size[1]


# -- the project's own renderer and camera model ---------------------------------------------
def _load(name: str) -> ModuleType:
    """A bench module by path (bench/ is not a package; these two import nothing of it)."""
    spec = importlib.util.spec_from_file_location(f"incilens_bench_ocr_{name}", BENCH_OCR / name)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


@cache
def _bench() -> tuple[ModuleType, ModuleType]:
    return _load("render.py"), _load("photo.py")


@cache
def folder() -> Path:
    """The cache folder for this version of the generator (older versions are removed)."""
    digest = hashlib.sha256()
    for source in (Path(__file__), BENCH_OCR / "render.py", BENCH_OCR / "photo.py"):
        digest.update(source.read_bytes())
    path = PHOTOS_ROOT / digest.hexdigest()[:12]
    path.mkdir(parents=True, exist_ok=True)
    for other in PHOTOS_ROOT.iterdir():
        if other.is_dir() and other != path:
            shutil.rmtree(other, ignore_errors=True)
    return path


def _cached(name: str, make: Callable[[], bytes]) -> Path:
    """The file ``name`` in the cache folder, made (and written atomically) when missing."""
    path = folder() / name
    if not path.exists():
        data = make()
        partial = path.with_name(f".{name}.{os.getpid()}.partial")
        partial.write_bytes(data)
        partial.replace(path)
    return path


@cache
def label() -> Image.Image:
    """The flat label (RGB), drawn by bench/devset/ocr/render.py."""
    render, _ = _bench()
    regular, bold = render.FONTS["DejaVu Sans"]
    spec: dict[str, Any] = {
        "font": regular,
        "bold_font": bold,
        "size": render.size_for_x_height(regular, LABEL_X_HEIGHT),
        "line_spacing": 1.3,
        "align": "left",
        "paragraphs": [{"text": line, "bold": False} for line in LABEL_LINES],
        "column": 2200,
        "margin": [110, 110],
        "ink": [30, 28, 26],
        "paper": [248, 246, 238],
    }
    _, height = render.measure(spec)
    spec["panel"] = [spec["column"] + 220, height + 220]
    image: Image.Image = render.draw(spec)
    return image


@cache
def scene(png: bool = False) -> Image.Image:
    """The 12-megapixel photograph of the label, upright (RGB)."""
    _, camera = _bench()
    return Image.fromarray(camera.photograph(label(), PNG_SCENE if png else SCENE))


def _exif(orientation: int) -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "INCI Lens tests"  # Make
    exif[0x0110] = "tests/photos.py"  # Model
    exif[0x0131] = "Pillow"  # Software
    exif[ORIENTATION_TAG] = orientation
    return exif.tobytes()


# -- the photos ------------------------------------------------------------------------------
@cache
def jpeg(orientation: int = 1) -> Photo:
    """The scene as a phone's JPEG, stored turned for ``orientation`` (1, 3, 6 or 8)."""
    turn = STORED_AS[orientation]
    name = f"label-12mp-exif{orientation}.jpg"

    def make() -> bytes:
        image = scene() if turn is None else scene().transpose(turn)
        out = io.BytesIO()
        image.save(out, "JPEG", quality=JPEG_QUALITY, exif=_exif(orientation))
        return out.getvalue()

    stored = FRAME if orientation in (1, 3) else (FRAME[1], FRAME[0])
    return Photo(name, _cached(name, make), "JPEG", stored, FRAME, orientation)


@cache
def png() -> Photo:
    """The scene as a large PNG (an exported or edited photo)."""
    name = "label-12mp.png"

    def make() -> bytes:
        out = io.BytesIO()
        scene(png=True).save(out, "PNG", compress_level=6)
        return out.getvalue()

    return Photo(name, _cached(name, make), "PNG", FRAME, FRAME)


@cache
def heic() -> Photo:
    """The scene as an iPhone-style HEIC (HEVC in HEIF), written by pillow-heif."""
    name = "label-12mp.heic"

    def make() -> bytes:
        out = io.BytesIO()
        # x265's "ultrafast" preset: 2 s to encode instead of 10, about 2.3 MB at quality 60.
        scene().save(out, format="HEIF", quality=HEIC_QUALITY, enc_params={"preset": "ultrafast"})
        return out.getvalue()

    return Photo(name, _cached(name, make), "HEIF", FRAME, FRAME)


def dimensions(pixels: int) -> tuple[int, int]:
    """A width and height whose product is exactly ``pixels``, as near 4:3 as it factors
    (and no wider than 4:1).

    Examples:
        >>> dimensions(50_000_000)
        (8000, 6250)
        >>> dimensions(50_000_001)
        (14041, 3561)
    """
    shapes = [
        (pixels // height, height)
        for height in range(1, math.isqrt(pixels) + 1)
        if pixels % height == 0 and pixels // height <= 4 * height
    ]
    if not shapes:
        raise ValueError(f"{pixels:,} pixels do not make a picture of at most 4:1")
    return min(shapes, key=lambda shape: abs(math.log(shape[0] / shape[1] / (4 / 3))))


@cache
def pixels(count: int) -> Photo:
    """A greyscale PNG of exactly ``count`` pixels: white, the flat label pasted in the middle."""
    width, height = dimensions(count)
    name = f"label-{width}x{height}.png"

    def make() -> bytes:
        canvas = Image.new("L", (width, height), 255)
        flat = label().convert("L")
        canvas.paste(flat, ((width - flat.width) // 2, (height - flat.height) // 2))
        out = io.BytesIO()
        canvas.save(out, "PNG", compress_level=6)
        return out.getvalue()

    return Photo(name, _cached(name, make), "PNG", (width, height), (width, height))


# -- padding to an exact size ----------------------------------------------------------------
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
JPEG_EOI = b"\xff\xd9"
# A private, ancillary, safe-to-copy PNG chunk type: decoders skip it.
PAD_CHUNK = b"inPd"


def pad(data: bytes, size: int) -> bytes:
    """``data`` (a JPEG or PNG) grown to exactly ``size`` bytes; the pixels stay the same."""
    if len(data) > size:
        raise ValueError(f"the photo already has {len(data):,} bytes, more than {size:,}")
    if len(data) == size:
        return data
    if data.startswith(PNG_SIGNATURE):
        return _pad_png(data, size)
    if data.startswith(b"\xff\xd8"):
        return _pad_jpeg(data, size)
    raise ValueError("pad() knows JPEG and PNG files only")


def _pad_jpeg(data: bytes, size: int) -> bytes:
    """Bytes after the end-of-image marker, which decoders never read (motion photos keep a
    video there)."""
    if not data.endswith(JPEG_EOI):
        raise ValueError("the JPEG does not end with its end-of-image marker")
    return data + b"\0" * (size - len(data))


def _pad_png(data: bytes, size: int) -> bytes:
    """A private ancillary chunk just before IEND, filled so the file has ``size`` bytes."""
    iend = len(data) - 12
    if data[iend + 4 : iend + 8] != b"IEND":
        raise ValueError("the PNG does not end with its IEND chunk")
    room = size - len(data) - 12  # 12: the chunk's length, type and CRC
    if room < 0:
        raise ValueError(f"a PNG needs at least 12 more bytes to be padded; it has {len(data)}")
    body = b"\0" * room
    chunk = struct.pack(">I", room) + PAD_CHUNK + body
    chunk += struct.pack(">I", zlib.crc32(PAD_CHUNK + body) & 0xFFFFFFFF)
    return data[:iend] + chunk + data[iend:]


def pixel_digest(data: bytes) -> str:
    """SHA-256 of the decoded pixels (after EXIF orientation): equal when only bytes differ."""

    with Image.open(io.BytesIO(data)) as image:
        upright = ImageOps.exif_transpose(image)
        return hashlib.sha256(np.asarray(upright).tobytes()).hexdigest()
