"""Turn a flat label into a phone photo, from the ``photo`` part of a manifest row.

Usage (library): ``photo.photograph(label, spec["photo"])`` returns an RGB uint8 array of the
whole frame; ``label_outline(spec["photo"], label.size)`` returns where the label's edges land
in the frame (the sampler uses it to keep the label inside the picture).

The steps, in order: the label is pasted onto a bottle-coloured surface when the spec has a
``bottle`` (with the same colour as the label the text looks printed on the plastic); a
``cylinder`` wraps that surface round a vertical axis (text compresses toward the sides and
darkens there; ``bend`` curves the lines as seen from above or below); a ``glare`` is a bright
elliptical highlight on the surface; a homography (rotation, keystone, corner jitter) places the
surface on a textured background with a soft shadow; then a lighting gradient and vignette, a
Gaussian blur, sensor noise (luminance per pixel, chroma at half resolution), quarter turns, and
JPEG coding. The noise and textures come from ``numpy.random.default_rng(spec["seed"])``, so a
row renders the same image every time.
"""

from __future__ import annotations

import io
import math
from typing import Any

import cv2
import numpy as np
from PIL import Image, ImageDraw

Array = np.ndarray


def _surface(label: Image.Image, spec: dict[str, Any]) -> tuple[Image.Image, tuple[int, int]]:
    """The label on its bottle (if any) as RGBA, and the label's top-left corner on it."""
    lw, lh = label.size
    bottle = spec.get("bottle")
    if not bottle:
        rgba = label.convert("RGBA")
        return rgba, (0, 0)
    px, py = bottle["pad"]
    canvas = Image.new("RGBA", (lw + 2 * px, lh + 2 * py), (*bottle["color"], 0))
    mask = Image.new("L", canvas.size, 0)
    ImageDraw.Draw(mask).rounded_rectangle(
        (0, 0, canvas.width - 1, canvas.height - 1), radius=bottle["radius"], fill=255
    )
    canvas.putalpha(mask)
    canvas.paste(label, (px, py))
    return canvas, (px, py)


def _cylinder_geometry(
    spec: dict[str, Any], surface: tuple[int, int], label_box: tuple[int, int, int, int]
) -> tuple[float, float, float, int, int]:
    """Radius, surface-centre x, vertical bend (px), output width and height of the wrap."""
    cyl = spec["cylinder"]
    sw, sh = surface
    x0, y0, x1, y1 = label_box
    radius = ((x1 - x0) / 2) / math.radians(cyl["half_angle_deg"])
    theta_edge = min((sw / 2) / radius, 1.45)
    out_w = math.ceil(2 * radius * math.sin(theta_edge))
    bend = cyl["bend"] * (y1 - y0)
    out_h = math.ceil(sh + abs(bend))
    return radius, sw / 2, bend, out_w, out_h


def _wrap(rgba: Array, spec: dict[str, Any], label_box: tuple[int, int, int, int]) -> Array:
    """Wrap the surface round a cylinder (remap) and shade it toward the sides."""
    sh, sw = rgba.shape[:2]
    radius, centre, bend, out_w, out_h = _cylinder_geometry(spec, (sw, sh), label_box)
    xs = np.arange(out_w, dtype=np.float32) - out_w / 2
    theta = np.arcsin(np.clip(xs / radius, -1, 1))
    map_x = np.broadcast_to(centre + radius * theta, (out_h, out_w)).astype(np.float32)
    drop = (bend * (1 - np.cos(theta))).astype(np.float32)
    ys = np.arange(out_h, dtype=np.float32)[:, None]
    map_y = (ys - max(0.0, -bend) - drop[None, :]).astype(np.float32)
    out = cv2.remap(rgba, map_x, map_y, cv2.INTER_LINEAR, borderValue=(0, 0, 0, 0))
    shade = 1 - spec["cylinder"]["shade"] * (1 - np.cos(theta))
    out = out.astype(np.float32)
    out[..., :3] *= shade[None, :, None]
    return out


def _points_after_wrap(
    spec: dict[str, Any], surface: tuple[int, int], label_box: tuple[int, int, int, int]
) -> tuple[Array, tuple[int, int]]:
    """The label's outline (8 points) on the surface after the wrap, and the surface size."""
    x0, y0, x1, y1 = label_box
    xm, ym = (x0 + x1) / 2, (y0 + y1) / 2  # clockwise from the top-left corner
    xs = np.array([x0, xm, x1, x1, x1, xm, x0, x0], dtype=np.float64)
    ys = np.array([y0, y0, y0, ym, y1, y1, y1, ym], dtype=np.float64)
    if not spec.get("cylinder"):
        return np.stack([xs, ys], axis=1), surface
    radius, centre, bend, out_w, out_h = _cylinder_geometry(spec, surface, label_box)
    theta = (xs - centre) / radius
    out_x = out_w / 2 + radius * np.sin(theta)
    out_y = ys + max(0.0, -bend) + bend * (1 - np.cos(theta))
    return np.stack([out_x, out_y], axis=1), (out_w, out_h)


def _homography(spec: dict[str, Any], size: tuple[int, int], anchor: Array) -> Array:
    """Place a surface of ``size`` so that ``anchor`` (the label centre) lands on the centre."""
    w, h = size
    place = spec["place"]
    kx, ky = place["keystone"]
    src = np.array([[0, 0], [w, 0], [w, h], [0, h]], dtype=np.float64)
    rel = src - anchor
    rel[:, 0] *= np.array([1 - kx, 1 - kx, 1 + kx, 1 + kx])  # top edge narrower when kx > 0
    rel[:, 1] *= np.array([1 - ky, 1 + ky, 1 + ky, 1 - ky])  # left edge shorter when ky > 0
    rel += np.array(place["jitter"], dtype=np.float64) * np.array([w, h])
    angle = math.radians(place["rotation_deg"])
    rot = np.array([[math.cos(angle), -math.sin(angle)], [math.sin(angle), math.cos(angle)]])
    dst = rel @ rot.T + np.array(place["center"], dtype=np.float64)
    return cv2.getPerspectiveTransform(src.astype(np.float32), dst.astype(np.float32))


def _label_box(spec: dict[str, Any], label_size: tuple[int, int]) -> tuple[int, int, int, int]:
    px, py = spec["bottle"]["pad"] if spec.get("bottle") else (0, 0)
    return px, py, px + label_size[0], py + label_size[1]


def _surface_size(spec: dict[str, Any], label_size: tuple[int, int]) -> tuple[int, int]:
    px, py = spec["bottle"]["pad"] if spec.get("bottle") else (0, 0)
    return label_size[0] + 2 * px, label_size[1] + 2 * py


def label_outline(spec: dict[str, Any], label_size: tuple[int, int]) -> Array:
    """Frame coordinates of 8 points round the label's edge, clockwise (before quarter turns)."""
    box = _label_box(spec, label_size)
    points, size = _points_after_wrap(spec, _surface_size(spec, label_size), box)
    anchor = np.array([points[:, 0].mean(), points[:, 1].mean()])
    hom = _homography(spec, size, anchor)
    return cv2.perspectiveTransform(points[None].astype(np.float64), hom)[0]


def _lowfreq(rng: np.random.Generator, shape: tuple[int, int], cells: tuple[int, int]) -> Array:
    """Smooth noise in [0, 1]: a small random grid resized with cubic interpolation."""
    small = rng.random(cells, dtype=np.float32)
    return np.clip(cv2.resize(small, (shape[1], shape[0]), interpolation=cv2.INTER_CUBIC), 0, 1)


def background(spec: dict[str, Any], rng: np.random.Generator) -> Array:
    """A textured surface for the whole frame (float32 RGB, 0-255)."""
    w, h = spec["frame"]
    bg = spec["background"]
    c1 = np.array(bg["color"], dtype=np.float32)
    c2 = np.array(bg["color2"], dtype=np.float32)
    if bg["kind"] == "wood":
        warp = _lowfreq(rng, (h, w), (6, 4)) * 40
        ys = np.arange(h, dtype=np.float32)[:, None]
        t = 0.5 + 0.5 * np.sin((ys / 23.0 + warp) * 2 * np.pi / 7.0)
        t = t * 0.6 + _lowfreq(rng, (h, w), (60, 8)) * 0.4
    elif bg["kind"] == "stone":
        t = sum(_lowfreq(rng, (h, w), (3 * 2**k, 4 * 2**k)) / 2**k for k in range(5)) / 1.94
    elif bg["kind"] == "cloth":
        xs, ys = np.arange(w, dtype=np.float32), np.arange(h, dtype=np.float32)
        t = 0.5 + 0.25 * np.sin(xs * 2 * np.pi / 7)[None, :] * np.sin(ys * 2 * np.pi / 7)[:, None]
        t += _lowfreq(rng, (h, w), (8, 10)) * 0.5 - 0.25
    else:
        t = _lowfreq(rng, (h, w), (3, 4))
    return c1 + np.clip(t, 0, 1)[..., None] * (c2 - c1)


def _glare(rgba: Array, spec: dict[str, Any], box: tuple[float, float, float, float]) -> None:
    """Brighten an elliptical patch of the surface toward white, in place."""
    g = spec["glare"]
    x0, y0, x1, y1 = box
    cx, cy = x0 + g["center"][0] * (x1 - x0), y0 + g["center"][1] * (y1 - y0)
    a, b = g["axes"][0] * (x1 - x0), g["axes"][1] * (y1 - y0)
    reach = 2.5 * max(a, b)
    h, w = rgba.shape[:2]
    left, right = max(0, int(cx - reach)), min(w, int(cx + reach))
    top, bottom = max(0, int(cy - reach)), min(h, int(cy + reach))
    if left >= right or top >= bottom:
        return
    ys, xs = np.mgrid[top:bottom, left:right].astype(np.float32)
    angle = math.radians(g["angle_deg"])
    u = ((xs - cx) * math.cos(angle) + (ys - cy) * math.sin(angle)) / a
    v = (-(xs - cx) * math.sin(angle) + (ys - cy) * math.cos(angle)) / b
    weight = np.exp(-((u * u + v * v) ** 1.5)) * g["strength"]
    patch = rgba[top:bottom, left:right, :3]
    patch += (255 - patch) * weight[..., None]


def photograph(label: Image.Image, spec: dict[str, Any]) -> Array:
    """The whole frame as an RGB uint8 array."""
    rng = np.random.default_rng(spec["seed"])
    surface, _ = _surface(label, spec)
    rgba = np.asarray(surface, dtype=np.float32)
    if spec.get("bottle") and spec["bottle"]["shading"]:
        xs = np.linspace(-1, 1, rgba.shape[1], dtype=np.float32)
        rgba[..., :3] *= (1 - spec["bottle"]["shading"] * xs**2)[None, :, None]
    box = _label_box(spec, label.size)
    if spec.get("cylinder"):
        rgba = _wrap(rgba, spec, box)
    points, size = _points_after_wrap(spec, surface.size, box)
    if spec.get("glare"):
        _glare(rgba, spec, (*points.min(axis=0), *points.max(axis=0)))
    hom = _homography(spec, size, np.array([points[:, 0].mean(), points[:, 1].mean()]))
    w, h = spec["frame"]
    warped = cv2.warpPerspective(np.clip(rgba, 0, 255), hom, (w, h), flags=cv2.INTER_LINEAR)
    alpha = warped[..., 3:] / 255.0
    frame = background(spec, rng)
    shadow = spec["shadow"]
    if shadow["strength"]:  # a soft shadow, blurred at an eighth of the size (it is smooth)
        small = cv2.resize(warped[..., 3], (w // 8, h // 8), interpolation=cv2.INTER_AREA)
        shift = np.float32([[1, 0, shadow["offset"][0] / 8], [0, 1, shadow["offset"][1] / 8]])
        small = cv2.warpAffine(small, shift, small.shape[::-1])
        small = cv2.GaussianBlur(small, (0, 0), 1 + shadow["sigma"] / 8)
        soft = cv2.resize(small, (w, h), interpolation=cv2.INTER_LINEAR)
        frame *= (1 - soft * np.float32(shadow["strength"] / 255))[..., None]
    frame = frame * (1 - alpha) + warped[..., :3] * alpha
    light = spec["light"]
    angle = math.radians(light["angle_deg"])
    xs = np.linspace(-1, 1, w, dtype=np.float32)[None, :]
    ys = np.linspace(-1, 1, h, dtype=np.float32)[:, None]
    ramp = (xs * math.cos(angle) + ys * math.sin(angle)) / 2 + 0.5
    gain = light["low"] + (light["high"] - light["low"]) * ramp
    gain = gain * (1 - light["vignette"] * (xs * xs + ys * ys) / 2)
    frame *= gain[..., None]
    if spec["blur_sigma"] > 0:
        frame = cv2.GaussianBlur(frame, (0, 0), spec["blur_sigma"])
    sigma = spec["noise_sigma"]
    frame += rng.standard_normal((h, w, 1), dtype=np.float32) * np.float32(sigma)
    chroma = rng.standard_normal((h // 2, w // 2, 3), dtype=np.float32)  # coarse, as demosaiced
    chroma = cv2.resize(chroma, (w, h), interpolation=cv2.INTER_LINEAR)
    frame += chroma * np.float32(sigma * spec["chroma_noise"])
    out = np.clip(frame, 0, 255).astype(np.uint8)
    return np.ascontiguousarray(np.rot90(out, spec["quarter_turns"]))


def encode(image: Image.Image | Array, fmt: str, quality: int = 90) -> bytes:
    """PNG or JPEG bytes of an image (Pillow's defaults otherwise)."""
    if isinstance(image, np.ndarray):
        image = Image.fromarray(image)
    buf = io.BytesIO()
    if fmt == "png":
        image.save(buf, "PNG", optimize=True)
    else:
        image.save(buf, "JPEG", quality=quality)
    return buf.getvalue()
