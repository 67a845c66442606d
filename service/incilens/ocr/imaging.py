"""Decode and validate uploaded label photos.

Pure apart from decoding the uploaded bytes in memory (and registering pillow-heif's opener with
Pillow on first use): no file is written, no filename is read or logged. Uploads are distrusted
(style rule 19): the size in bytes is checked first, the declared pixel count before any pixel is
decoded, and the format is whatever Pillow decodes from the bytes, limited to the photo formats
in :data:`FORMATS` (so no Ghostscript for EPS, no PDF, no SVG), never a filename or a client's
content type.

Every readable photo comes out the same way: EXIF orientation applied (``width``/``height`` are
the coordinates clients draw boxes in), the first frame only (animations are refused), alpha
flattened onto white, and mode ``"RGB"``, or ``"L"`` for greyscale input, with 16-bit and float
samples stretched over 0-255.
"""

from __future__ import annotations

import contextlib
import io
import math
import threading
import warnings
from dataclasses import dataclass
from functools import cache
from typing import Any, cast

import pillow_heif
from PIL import Image, ImageOps

from incilens.errors import ImageTooLarge, UnsupportedImage

__all__ = [
    "ANIMATED",
    "ANIMATED_FORMATS",
    "FORMATS",
    "MAX_FRAMES_COUNTED",
    "UNREADABLE",
    "LoadedImage",
    "load_image",
]

#: The decoded formats we accept (``MPO`` is a JPEG with extra pictures, as phones write).
FORMATS: tuple[str, ...] = ("JPEG", "MPO", "PNG", "WEBP", "TIFF", "HEIF", "AVIF", "GIF", "BMP")
UNREADABLE = "This file is not an image we can read; send a JPEG, PNG, WebP, TIFF or HEIC photo."
ANIMATED = "This is an animation, not a photo of a label; send a still JPEG, PNG or HEIC photo."
#: Formats whose extra frames are an animation, refused; TIFF pages and HEIF sequences give
#: their first frame instead (a scanner's multi-page TIFF, an iPhone burst).
ANIMATED_FORMATS = frozenset({"GIF", "PNG", "WEBP"})
#: Frames are counted up to this many (TIFF pages cost a walk through the file each).
MAX_FRAMES_COUNTED = 1000
_ORIENTATION_TAG = 0x0112
_WIDE_MODES = frozenset({"I", "I;16", "I;16L", "I;16B", "I;16N", "F"})
_GREY_MODES = frozenset({"1", "L", "LA", "La"})
# catch_warnings swaps the process-wide filter list (before Python 3.14), so two threads
# interleaving could leave our "ignore" installed for good; the lock keeps our uses in turn.
_WARNINGS_LOCK = threading.Lock()


@dataclass(frozen=True, eq=False)
class LoadedImage:
    """A decoded photo, upright and in mode ``"RGB"`` or ``"L"``, with facts about the file.

    Attributes:
        image: The first frame, EXIF orientation applied, alpha flattened onto white.
        format: The decoded format as Pillow names it (one of :data:`FORMATS`).
        width: Width of ``image``, after the orientation is applied (what clients draw on).
        height: Height of ``image``, likewise.
        exif_orientation: The orientation the file declared, 1-8 (1 when absent or invalid).
        frames: How many frames or pages the file has, counted up to :data:`MAX_FRAMES_COUNTED`.
    """

    image: Image.Image
    format: str
    width: int
    height: int
    exif_orientation: int = 1
    frames: int = 1

    def __post_init__(self) -> None:
        if self.image.mode not in ("RGB", "L"):
            raise ValueError(f"image mode must be RGB or L, not {self.image.mode!r}")
        if self.width < 1 or self.height < 1 or self.image.size != (self.width, self.height):
            raise ValueError(f"size {self.width}x{self.height} != image size {self.image.size}")
        if not 1 <= self.exif_orientation <= 8:
            raise ValueError(f"EXIF orientation must be 1-8, not {self.exif_orientation}")
        if self.frames < 1:
            raise ValueError(f"frames must be at least 1, not {self.frames}")
        if not self.format:
            raise ValueError("format must not be empty")

    def to_dict(self) -> dict[str, Any]:
        """Return the facts about the photo as JSON-ready data (never the pixels)."""
        return {
            "format": self.format,
            "width": self.width,
            "height": self.height,
            "exif_orientation": self.exif_orientation,
            "frames": self.frames,
        }


def load_image(
    data: bytes, *, max_bytes: int = 20 * 1024 * 1024, max_pixels: int = 50_000_000
) -> LoadedImage:
    """Decode an uploaded photo after checking its size in bytes and in pixels.

    Args:
        data: The uploaded file, as sent.
        max_bytes: Largest upload accepted.
        max_pixels: Largest ``width * height`` of the first frame, checked from the header
            before decoding. Pillow's own ceiling (``2 * Image.MAX_IMAGE_PIXELS``) still applies.

    Returns:
        The first frame, upright, flattened and in mode ``"RGB"`` or ``"L"``.

    Raises:
        ImageTooLarge: The upload has more bytes or pixels than allowed.
        UnsupportedImage: The bytes are not a complete image in one of :data:`FORMATS`.

    Examples:
        >>> buffer = io.BytesIO()
        >>> Image.new("RGBA", (4, 2), (0, 0, 0, 0)).save(buffer, "PNG")
        >>> loaded = load_image(buffer.getvalue())
        >>> loaded.to_dict()
        {'format': 'PNG', 'width': 4, 'height': 2, 'exif_orientation': 1, 'frames': 1}
        >>> loaded.image.mode, loaded.image.getpixel((0, 0))
        ('RGB', (255, 255, 255))
        >>> load_image(b"%PDF-1.7")  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        incilens.errors.UnsupportedImage: This file is not an image we can read; ...
    """
    if max_bytes < 1 or max_pixels < 1:
        raise ValueError("max_bytes and max_pixels must be positive")
    if len(data) > max_bytes:
        raise ImageTooLarge(
            f"This file has {len(data):,} bytes; the limit is {max_bytes:,}. Send a smaller photo.",
            details={"max_bytes": max_bytes},
        )
    if not data:
        raise UnsupportedImage(UNREADABLE)
    # Decoders warn about odd metadata (corrupt EXIF, sizes we check ourselves); none of it
    # changes the outcome, and it must not turn a readable photo into an error under `-W error`.
    with _WARNINGS_LOCK, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return _decode(data, max_pixels)


def _decode(data: bytes, max_pixels: int) -> LoadedImage:
    try:
        source = Image.open(io.BytesIO(data), formats=_formats())
    except Image.DecompressionBombError:
        # Pillow's ceiling fires inside open(), before we can read the size ourselves.
        ceiling = 2 * (Image.MAX_IMAGE_PIXELS or 0)
        raise _too_many_pixels(f"more than {ceiling:,}", min(max_pixels, ceiling)) from None
    except Exception as e:  # any failure to identify the bytes means "not an image we read"
        raise UnsupportedImage(UNREADABLE) from e
    with source:
        width, height = source.size
        if source.format not in FORMATS or width < 1 or height < 1:
            raise UnsupportedImage(UNREADABLE)
        if width * height > max_pixels:
            raise _too_many_pixels(f"{width:,} x {height:,} = {width * height:,}", max_pixels)
        try:
            frames = _count_frames(source)
        except Exception as e:  # decoders raise many types on corrupt data; all mean "unreadable"
            raise UnsupportedImage(UNREADABLE) from e
        if frames > 1 and source.format in ANIMATED_FORMATS:
            raise UnsupportedImage(ANIMATED)
        try:
            orientation = _orientation(source)
            source.load()
            image = _normalise(ImageOps.exif_transpose(source))
        except Exception as e:  # decoders raise many types on corrupt data; all mean "unreadable"
            raise UnsupportedImage(UNREADABLE) from e
        return LoadedImage(
            image=image,
            format=source.format,
            width=image.width,
            height=image.height,
            exif_orientation=orientation,
            frames=frames,
        )


@cache
def _formats() -> tuple[str, ...]:
    """Register the HEIF opener once and return the accepted formats this Pillow can open."""
    pillow_heif.register_heif_opener()
    Image.init()
    return tuple(name for name in FORMATS if name in Image.OPEN)


def _too_many_pixels(pixels: str, limit: int) -> ImageTooLarge:
    return ImageTooLarge(
        f"This photo has {pixels} pixels; the limit is {limit:,}. Send a smaller photo.",
        details={"max_pixels": limit},
    )


def _count_frames(image: Image.Image) -> int:
    """Count frames up to :data:`MAX_FRAMES_COUNTED` and go back to the first one.

    TIFF's ``n_frames`` walks every page in quadratic time (thousands of tiny pages fit in a few
    megabytes), so pages are walked one by one to the cap; the other formats read the count from
    a header or, for GIF, walk the blocks without decoding them.
    """
    count = 1
    if image.format == "TIFF":
        with contextlib.suppress(EOFError):
            while count < MAX_FRAMES_COUNTED:
                image.seek(count)
                count += 1
    else:
        count = getattr(image, "n_frames", 1)
    image.seek(0)
    return max(1, min(count, MAX_FRAMES_COUNTED))


def _orientation(image: Image.Image) -> int:
    """Return the orientation the file declared (1-8; 1 when absent or invalid).

    pillow-heif applies HEIF orientation while decoding and keeps the original value in
    ``info["original_orientation"]``, resetting the EXIF tag to 1.
    """
    value = image.info.get("original_orientation") or image.getexif().get(_ORIENTATION_TAG, 1)
    return value if isinstance(value, int) and 1 <= value <= 8 else 1


def _normalise(image: Image.Image) -> Image.Image:
    """Convert any decoded mode to ``"RGB"`` or ``"L"``, flattening alpha onto white.

    Examples:
        >>> _normalise(Image.new("LA", (1, 1), (0, 0))).getpixel((0, 0))
        255
        >>> _normalise(Image.new("CMYK", (1, 1), (0, 255, 255, 0))).getpixel((0, 0))
        (255, 0, 0)
        >>> _normalise(Image.new("1", (1, 1), 1)).getpixel((0, 0))
        255
    """
    if image.mode in _WIDE_MODES:
        return _stretch(image)
    grey = image.mode in _GREY_MODES
    if image.has_transparency_data:
        with_alpha = image.convert("LA" if grey else "RGBA")
        flat = Image.new("L" if grey else "RGB", image.size, "white")
        flat.paste(with_alpha.convert(flat.mode), mask=with_alpha.getchannel("A"))
        return flat
    return image.convert("L" if grey else "RGB")


def _stretch(image: Image.Image) -> Image.Image:
    """Map 16-bit, 32-bit or float samples to "L" by their actual range (a flat image is clipped).

    Examples:
        >>> wide = Image.new("I;16", (3, 1))
        >>> for x, value in enumerate((1000, 1100, 1200)):
        ...     wide.putpixel((x, 0), value)
        >>> [_stretch(wide).getpixel((x, 0)) for x in range(3)]
        [0, 128, 255]
    """
    samples = image.convert("F")
    low, high = cast("tuple[float, float]", samples.getextrema())
    if not (math.isfinite(low) and math.isfinite(high)):
        raise ValueError("float samples are not finite")
    scale = 255.0 / (high - low) if high > low else 0.0
    offset = -low * scale if high > low else min(max(low, 0.0), 255.0)
    # Converting "F" to "L" clips and truncates, so add a half to round to nearest.
    return samples.point(lambda value: value * scale + (offset + 0.5)).convert("L")
