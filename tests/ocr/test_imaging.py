from __future__ import annotations

import contextlib
import io
import random
import struct
import warnings
import zlib
from typing import Any

import pillow_heif
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image, features

from incilens.errors import ImageTooLarge, UnsupportedImage
from incilens.ocr.imaging import MAX_FRAMES_COUNTED, UNREADABLE, LoadedImage, load_image

pillow_heif.register_heif_opener()  # so the tests can write HEIC; load_image registers its own

RED = (255, 0, 0)
WHITE = (255, 255, 255)
BLUE = (0, 0, 255)


def encode(image: Image.Image, fmt: str, **params: Any) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **params)
    return buffer.getvalue()


def chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def png_header(width: int, height: int) -> bytes:
    """A tiny PNG whose IHDR declares width x height RGB pixels and holds no pixel data."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IEND", b"")


def two_tone(size: tuple[int, int] = (40, 20)) -> Image.Image:
    """White with a red left half, so a rotation or a wrong crop shows."""
    image = Image.new("RGB", size, WHITE)
    image.paste(RED, (0, 0, size[0] // 2, size[1]))
    return image


def near(actual: Any, expected: Any, tolerance: int = 12) -> bool:
    if isinstance(expected, int):
        return bool(abs(actual - expected) <= tolerance)
    return all(abs(a - e) <= tolerance for a, e in zip(actual, expected, strict=True))


JPEG = encode(two_tone(), "JPEG", quality=95)
PNG = encode(two_tone(), "PNG")

# --- nasty input first ----------------------------------------------------------------------------

UNREADABLE_FILES = [
    ("empty", b""),
    ("one byte", b"\xff"),
    ("random bytes", random.Random(7).randbytes(4096)),
    ("text", b"Ingredients: Aqua, Glycerin, Parfum.\n"),
    ("pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n%%EOF\n"),
    ("svg", b'<svg xmlns="http://www.w3.org/2000/svg" width="9" height="9"><rect/></svg>'),
    ("html", b"<!doctype html><title>not a photo</title>"),
    ("jpeg magic only", b"\xff\xd8\xff\xe0"),
    ("png signature only", b"\x89PNG\r\n\x1a\n"),
    ("truncated jpeg", JPEG[: len(JPEG) // 2]),
    ("truncated png", PNG[: len(PNG) // 2]),
    ("png without pixel data", png_header(10, 10)),
    ("png declaring zero width", png_header(0, 10)),
    # Pillow can read these, but they are not photo formats (EPS would run Ghostscript).
    ("eps", b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 10 10\nshowpage\n"),
    ("ppm", b"P6\n2 2\n255\n" + bytes(12)),
    ("ico", encode(Image.new("RGB", (16, 16)), "ICO")),
]


@pytest.mark.parametrize(
    "data", [data for _, data in UNREADABLE_FILES], ids=[name for name, _ in UNREADABLE_FILES]
)
def test_unreadable_files_are_unsupported(data: bytes) -> None:
    with pytest.raises(UnsupportedImage) as caught:
        load_image(data)
    assert caught.value.message == UNREADABLE
    assert caught.value.status_code == 415


TOO_LARGE = [
    # (name, data, limits, words in the message)
    ("bomb over Pillow's ceiling", png_header(100_000, 100_000), {}, ["more than", "50,000,000"]),
    ("over Pillow's warning", png_header(10_000, 10_000), {}, ["100,000,000", "50,000,000"]),
    ("over our pixel limit", png_header(10_000, 6_000), {}, ["10,000 x 6,000", "50,000,000"]),
    ("real photo, low limit", PNG, {"max_pixels": 799}, ["40 x 20 = 800", "799"]),
    ("one byte over", PNG, {"max_bytes": len(PNG) - 1}, [f"{len(PNG):,} bytes"]),
    ("tiny limit", b"\xff\xd8", {"max_bytes": 1}, ["2 bytes", "limit is 1"]),
]


@pytest.mark.parametrize(
    ("data", "limits", "words"),
    [case[1:] for case in TOO_LARGE],
    ids=[case[0] for case in TOO_LARGE],
)
def test_too_large_is_refused_before_decoding(
    data: bytes, limits: dict[str, int], words: list[str]
) -> None:
    # The crafted PNGs hold no pixel data: decoding them would fail as UnsupportedImage.
    with pytest.raises(ImageTooLarge) as caught:
        load_image(data, **limits)
    assert caught.value.status_code == 413
    for word in words:
        assert word in caught.value.message


def test_limits_are_inclusive() -> None:
    loaded = load_image(PNG, max_bytes=len(PNG), max_pixels=800)
    assert loaded.image.size == (40, 20)


def test_pillow_ceiling_applies_even_to_a_higher_limit() -> None:
    with pytest.raises(ImageTooLarge, match="more than"):
        load_image(png_header(100_000, 100_000), max_pixels=10**12)


@pytest.mark.parametrize("limits", [{"max_bytes": 0}, {"max_pixels": 0}, {"max_pixels": -1}])
def test_nonpositive_limits_are_a_programming_error(limits: dict[str, int]) -> None:
    with pytest.raises(ValueError, match="positive"):
        load_image(PNG, **limits)


def test_no_global_state_leaks() -> None:
    filters, ceiling = list(warnings.filters), Image.MAX_IMAGE_PIXELS
    for data in (png_header(100_000, 100_000), png_header(10_000, 10_000), JPEG, b"junk"):
        with contextlib.suppress(ImageTooLarge, UnsupportedImage):
            load_image(data)
    assert warnings.filters == filters
    assert ceiling == Image.MAX_IMAGE_PIXELS


def test_only_the_first_frame_is_checked_and_decoded() -> None:
    pages = [two_tone((10, 10)), Image.new("RGB", (300, 300), "blue")]
    data = encode(pages[0], "TIFF", save_all=True, append_images=pages[1:])
    loaded = load_image(data, max_pixels=100)
    assert (loaded.width, loaded.height, loaded.frames) == (10, 10, 2)
    with pytest.raises(ImageTooLarge):
        load_image(encode(pages[1], "TIFF", save_all=True, append_images=pages[:1]), max_pixels=100)


# --- every format ---------------------------------------------------------------------------------

FORMATS = [
    # (name, data, decoded format, lossy)
    ("jpeg", JPEG, "JPEG", True),
    ("png", PNG, "PNG", False),
    ("webp lossless", encode(two_tone(), "WEBP", lossless=True), "WEBP", False),
    ("webp lossy", encode(two_tone(), "WEBP", quality=90), "WEBP", True),
    ("tiff", encode(two_tone(), "TIFF"), "TIFF", False),
    ("tiff lzw", encode(two_tone(), "TIFF", compression="tiff_lzw"), "TIFF", False),
    ("gif", encode(two_tone(), "GIF"), "GIF", False),
    ("bmp", encode(two_tone(), "BMP"), "BMP", False),
    ("heic", encode(two_tone(), "HEIF", quality=90), "HEIF", True),
    ("mpo", encode(two_tone(), "MPO", save_all=True, append_images=[two_tone()]), "MPO", True),
]
if features.check("avif"):
    FORMATS.append(("avif", encode(two_tone(), "AVIF", quality=90), "AVIF", True))


@pytest.mark.parametrize(
    ("data", "fmt", "lossy"), [case[1:] for case in FORMATS], ids=[case[0] for case in FORMATS]
)
def test_each_format_loads_upright_in_rgb(data: bytes, fmt: str, lossy: bool) -> None:
    loaded = load_image(data)
    assert (loaded.format, loaded.width, loaded.height) == (fmt, 40, 20)
    assert loaded.image.mode == "RGB"
    assert loaded.image.size == (40, 20)
    tolerance = 40 if lossy else 0
    assert near(loaded.image.getpixel((5, 10)), RED, tolerance)
    assert near(loaded.image.getpixel((35, 10)), WHITE, tolerance)


def frames(colours: list[str]) -> list[Image.Image]:
    return [Image.new("RGB", (12, 8), colour) for colour in colours]


def animated(fmt: str, **params: Any) -> bytes:
    first, *rest = frames(["red", "lime", "blue"])
    return encode(first, fmt, save_all=True, append_images=rest, **params)


MULTI_PAGE = [
    ("tiff pages", animated("TIFF"), 3),
    ("heic sequence", animated("HEIF", quality=90), 3),
]


@pytest.mark.parametrize(
    ("data", "count"), [case[1:] for case in MULTI_PAGE], ids=[case[0] for case in MULTI_PAGE]
)
def test_multi_page_files_give_their_first_frame(data: bytes, count: int) -> None:
    loaded = load_image(data)
    assert loaded.frames == count
    assert loaded.image.size == (12, 8)
    assert near(loaded.image.getpixel((6, 4)), RED, 40)


ANIMATIONS = [
    ("animated gif", animated("GIF", duration=50, loop=0)),
    ("animated webp", animated("WEBP", duration=50, lossless=True)),
    ("animated png", animated("PNG", duration=50)),
]


@pytest.mark.parametrize("data", [case[1] for case in ANIMATIONS], ids=[c[0] for c in ANIMATIONS])
def test_animations_are_refused(data: bytes) -> None:
    with pytest.raises(UnsupportedImage, match="animation"):
        load_image(data)


def many_page_tiff(pages: int) -> bytes:
    """A little-endian TIFF of 1 x 1 bilevel pages sharing one pixel byte (Pillow saves slowly)."""
    # width, length, compression: none, photometric: black is zero, rows per strip, byte count
    shorts = [(256, 1), (257, 1), (259, 1), (262, 1), (278, 1), (279, 1)]
    entries = [struct.pack("<HHIHH", tag, 3, 1, value, 0) for tag, value in shorts]
    entries.insert(4, struct.pack("<HHII", 273, 4, 1, 8))  # strip offset: the byte after the header
    size = 2 + 12 * len(entries) + 4
    data = bytearray(b"II*\x00" + struct.pack("<I", 10) + b"\x00\x00")
    for page in range(pages):
        following = 10 + (page + 1) * size if page + 1 < pages else 0
        data += struct.pack("<H", len(entries)) + b"".join(entries) + struct.pack("<I", following)
    return bytes(data)


def test_frames_are_counted_up_to_a_cap() -> None:
    # n_frames would walk all 20,000 pages (about 10 s); the count stops at the cap.
    data = many_page_tiff(MAX_FRAMES_COUNTED * 20)
    assert load_image(data).frames == MAX_FRAMES_COUNTED


# --- EXIF orientation -----------------------------------------------------------------------------

# The stored picture is 30 x 20 with a red marker in its top-left corner. From the EXIF spec
# ("row 0 is the visual ..., column 0 is the visual ..."): where the marker is seen, and the size.
ORIENTATIONS = [
    (1, (30, 20), "top-left"),
    (2, (30, 20), "top-right"),
    (3, (30, 20), "bottom-right"),
    (4, (30, 20), "bottom-left"),
    (5, (20, 30), "top-left"),
    (6, (20, 30), "top-right"),
    (7, (20, 30), "bottom-right"),
    (8, (20, 30), "bottom-left"),
]


def marked(size: tuple[int, int] = (30, 20)) -> Image.Image:
    image = Image.new("RGB", size, WHITE)
    image.paste(RED, (0, 0, 6, 6))
    return image


def exif(orientation: int) -> Image.Exif:
    tags = Image.Exif()
    tags[0x0112] = orientation
    return tags


def corner(size: tuple[int, int], where: str) -> tuple[int, int]:
    width, height = size
    return (2 if "left" in where else width - 3, 2 if "top" in where else height - 3)


@pytest.mark.parametrize(("orientation", "size", "where"), ORIENTATIONS)
@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP", "TIFF"])
def test_exif_orientation_is_applied(
    fmt: str, orientation: int, size: tuple[int, int], where: str
) -> None:
    params: dict[str, Any] = {"quality": 95} if fmt == "JPEG" else {}
    if fmt == "WEBP":
        params["lossless"] = True
    loaded = load_image(encode(marked(), fmt, exif=exif(orientation), **params))
    assert loaded.exif_orientation == orientation
    assert (loaded.width, loaded.height) == size == loaded.image.size
    assert near(loaded.image.getpixel(corner(size, where)), RED)
    for other in {"top-left", "top-right", "bottom-left", "bottom-right"} - {where}:
        assert near(loaded.image.getpixel(corner(size, other)), WHITE)


@pytest.mark.parametrize(("orientation", "size", "where"), [ORIENTATIONS[0], ORIENTATIONS[5]])
def test_heic_orientation_is_applied_once(
    orientation: int, size: tuple[int, int], where: str
) -> None:
    # pillow-heif turns EXIF bytes (not an Exif object) into the HEIF rotation it applies on read.
    data = encode(marked(), "HEIF", quality=95, exif=exif(orientation).tobytes())
    loaded = load_image(data)
    assert loaded.exif_orientation == orientation
    assert loaded.image.size == size
    assert near(loaded.image.getpixel(corner(size, where)), RED, 40)


@pytest.mark.parametrize("orientation", [0, 9, 65535])
def test_invalid_orientation_is_ignored(orientation: int) -> None:
    loaded = load_image(encode(marked(), "JPEG", quality=95, exif=exif(orientation)))
    assert loaded.exif_orientation == 1
    assert loaded.image.size == (30, 20)
    assert near(loaded.image.getpixel((2, 2)), RED)


def test_jpeg_without_exif_has_orientation_1() -> None:
    assert load_image(JPEG).exif_orientation == 1


# --- modes ----------------------------------------------------------------------------------------


def palette() -> Image.Image:
    image = Image.new("P", (4, 4), 0)
    image.putpalette([255, 0, 0, 0, 0, 255])
    image.putpixel((3, 3), 1)
    return image


def transparent_palette() -> Image.Image:
    image = palette()
    image.info["transparency"] = 0
    return image


def rgba() -> Image.Image:
    image = Image.new("RGBA", (4, 4), (0, 0, 0, 0))
    image.putpixel((1, 1), (255, 0, 0, 128))
    image.putpixel((3, 3), (0, 0, 255, 255))
    return image


def luminance_alpha() -> Image.Image:
    image = Image.new("LA", (4, 4), (0, 0))
    image.putpixel((3, 3), (0, 255))
    return image


def cmyk() -> Image.Image:
    image = Image.new("CMYK", (4, 4), (0, 255, 255, 0))
    image.putpixel((3, 3), (255, 255, 0, 0))
    return image


def one_bit() -> Image.Image:
    image = Image.new("1", (4, 4), 1)
    image.putpixel((3, 3), 0)
    return image


def grey_with_key_colour() -> Image.Image:
    image = Image.new("L", (4, 4), 7)
    image.putpixel((3, 3), 0)
    image.info["transparency"] = 7
    return image


def rgb_with_key_colour() -> Image.Image:
    image = Image.new("RGB", (4, 4), (1, 2, 3))
    image.putpixel((3, 3), (0, 0, 255))
    image.info["transparency"] = (1, 2, 3)
    return image


MODES = [
    # (name, data, output mode, pixel (0, 0), pixel (3, 3))
    ("rgba png", encode(rgba(), "PNG"), "RGB", WHITE, BLUE),
    ("rgba webp", encode(rgba(), "WEBP", lossless=True), "RGB", WHITE, BLUE),
    ("rgba tiff", encode(rgba(), "TIFF"), "RGB", WHITE, BLUE),
    ("la png", encode(luminance_alpha(), "PNG"), "L", 255, 0),
    ("transparent palette png", encode(transparent_palette(), "PNG"), "RGB", WHITE, BLUE),
    ("transparent palette gif", encode(transparent_palette(), "GIF"), "RGB", WHITE, BLUE),
    ("grey key colour png", encode(grey_with_key_colour(), "PNG"), "L", 255, 0),
    ("rgb key colour png", encode(rgb_with_key_colour(), "PNG"), "RGB", WHITE, BLUE),
    ("cmyk jpeg", encode(cmyk(), "JPEG", quality=100), "RGB", RED, BLUE),
    ("cmyk tiff", encode(cmyk(), "TIFF"), "RGB", RED, BLUE),
    ("one-bit png", encode(one_bit(), "PNG"), "L", 255, 0),
    ("one-bit tiff", encode(one_bit(), "TIFF"), "L", 255, 0),
    ("one-bit bmp", encode(one_bit(), "BMP"), "L", 255, 0),
    ("grey jpeg", encode(Image.new("L", (4, 4), 200), "JPEG", quality=100), "L", 200, 200),
    ("palette png", encode(palette(), "PNG"), "RGB", RED, BLUE),
    ("palette bmp", encode(palette(), "BMP"), "RGB", RED, BLUE),
]


@pytest.mark.parametrize(
    ("data", "mode", "first", "last"), [case[1:] for case in MODES], ids=[case[0] for case in MODES]
)
def test_modes_are_normalised(data: bytes, mode: str, first: Any, last: Any) -> None:
    loaded = load_image(data)
    assert loaded.image.mode == mode
    assert near(loaded.image.getpixel((0, 0)), first, 2)
    assert near(loaded.image.getpixel((3, 3)), last, 2)


def test_half_transparent_red_is_pink_on_white() -> None:
    loaded = load_image(encode(rgba(), "PNG"))
    assert near(loaded.image.getpixel((1, 1)), (255, 127, 127), 2)


def ramp(mode: str, values: list[float]) -> Image.Image:
    image = Image.new(mode, (len(values), 1))
    for x, value in enumerate(values):
        image.putpixel((x, 0), value if mode == "F" else int(value))
    return image


NARROW = [1000.0, 1100.0, 1200.0, 1300.0]
WIDE = [
    # (name, data, grey levels expected)
    ("16-bit png", encode(ramp("I;16", NARROW), "PNG"), [0, 85, 170, 255]),
    ("16-bit tiff", encode(ramp("I;16", NARROW), "TIFF"), [0, 85, 170, 255]),
    ("16-bit big-endian tiff", encode(ramp("I;16B", NARROW), "TIFF"), [0, 85, 170, 255]),
    ("32-bit tiff", encode(ramp("I", [-5.0, 0.0, 5.0, 10**6]), "TIFF"), [0, 0, 0, 255]),
    ("float tiff", encode(ramp("F", [-1.5, -0.5, 0.5, 1.5]), "TIFF"), [0, 85, 170, 255]),
    ("flat 16-bit png", encode(ramp("I;16", [60000.0] * 4), "PNG"), [255] * 4),
    ("flat float tiff", encode(ramp("F", [42.0] * 4), "TIFF"), [42] * 4),
]


@pytest.mark.parametrize(
    ("data", "levels"), [case[1:] for case in WIDE], ids=[case[0] for case in WIDE]
)
def test_wide_samples_are_stretched_to_8_bits(data: bytes, levels: list[int]) -> None:
    loaded = load_image(data)
    assert loaded.image.mode == "L"
    assert [loaded.image.getpixel((x, 0)) for x in range(len(levels))] == levels


@pytest.mark.parametrize(
    "values", [[float("nan")] * 2, [0.0, float("inf")], [float("-inf"), 0.0]], ids=str
)
def test_float_tiff_without_a_finite_range_is_unsupported(values: list[float]) -> None:
    with pytest.raises(UnsupportedImage):
        load_image(encode(ramp("F", values), "TIFF"))


# --- the dataclass --------------------------------------------------------------------------------


def test_to_dict_has_facts_but_no_pixels() -> None:
    loaded = load_image(encode(marked(), "JPEG", exif=exif(6)))
    assert loaded.to_dict() == {
        "format": "JPEG",
        "width": 20,
        "height": 30,
        "exif_orientation": 6,
        "frames": 1,
    }


GOOD = {"image": Image.new("RGB", (3, 2)), "format": "PNG", "width": 3, "height": 2}
IMPOSSIBLE = [
    ("mode", {"image": Image.new("RGBA", (3, 2))}),
    ("mode", {"image": Image.new("I;16", (3, 2))}),
    ("size", {"width": 2}),
    ("size", {"width": 0}),
    ("size", {"height": -2}),
    ("orientation", {"exif_orientation": 0}),
    ("orientation", {"exif_orientation": 9}),
    ("frames", {"frames": 0}),
    ("format", {"format": ""}),
]


@pytest.mark.parametrize(("word", "change"), IMPOSSIBLE)
def test_loaded_image_rejects_impossible_values(word: str, change: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match=word):
        LoadedImage(**{**GOOD, **change})


def test_loaded_image_is_frozen() -> None:
    loaded = LoadedImage(**GOOD)
    with pytest.raises(AttributeError):
        loaded.width = 5  # type: ignore[misc]


# --- properties -----------------------------------------------------------------------------------

SEEDS = [
    JPEG,
    PNG,
    encode(rgba(), "PNG"),
    encode(two_tone(), "GIF"),
    encode(two_tone(), "WEBP"),
    encode(two_tone(), "TIFF"),
    encode(two_tone(), "BMP"),
    encode(marked(), "JPEG", exif=exif(6)),
    encode(two_tone(), "HEIF"),
]


def check_outcome(data: bytes) -> None:
    try:
        loaded = load_image(data, max_pixels=4_000_000)
    except (UnsupportedImage, ImageTooLarge):
        return
    assert loaded.image.mode in ("RGB", "L")
    assert loaded.image.size == (loaded.width, loaded.height)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=2048))
def test_arbitrary_bytes_load_or_raise_a_service_error(data: bytes) -> None:
    check_outcome(data)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.sampled_from(SEEDS),
    edits=st.lists(st.tuples(st.integers(min_value=0), st.integers(0, 255)), max_size=6),
    cut=st.one_of(st.none(), st.integers(min_value=0)),
)
def test_mutated_images_load_or_raise_a_service_error(
    seed: bytes, edits: list[tuple[int, int]], cut: int | None
) -> None:
    data = bytearray(seed)
    for position, value in edits:
        data[position % len(data)] = value
    if cut is not None:
        del data[cut % len(data) :]
    check_outcome(bytes(data))
