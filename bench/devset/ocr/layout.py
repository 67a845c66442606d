"""Sample the manifest rows of the OCR development set: which lists, and every render parameter.

Usage (library): ``pick_rows(rows, tier)`` chooses a tier's products; ``sample(row, tier, k)``
returns its manifest row (ids, text, gold, ``params`` summary, ``render`` and ``photo`` specs).
Each tier and image has its own ``random.Random`` seeded with a string, so a row never changes
when another does. Sizes are in final pixels: for the photo tiers the label is drawn at the size
it has in the 12-megapixel frame, so the only resampling is the perspective warp.
"""

from __future__ import annotations

import math
import random
from typing import Any

import numpy as np

from . import render
from .photo import label_outline

SEED = "incilens-ocr-devset-1"
TIERS = ("clean", "phone", "hard")
PER_TIER = 40
FRAME = (4032, 3024)
QUARTER_TURNS = [1, 2, 3, 1, 2, 3]  # given to six hard images
QUARTER_SLOTS = sorted(random.Random(f"{SEED}:hard:turns").sample(range(PER_TIER), 6))

HEADERS = ["Ingredients:", "INGREDIENTS/INGRÉDIENTS:", "Ingrédients :", "Zutaten:", "INCI:"]
HEADER_WEIGHTS = [5, 2, 1, 1, 1]
PRODUCTS = [
    "Hydrating Face Cream",
    "Gentle Foaming Cleanser",
    "Overnight Repair Serum",
    "Daily Moisture Lotion SPF 15",
    "Soothing Body Milk",
    "Crème Douceur Visage",
    "Revitalising Eye Gel",
    "Nourishing Hand Cream",
]
DIRECTIONS = [
    "Directions: apply morning and evening to clean skin, avoiding the eye area.",
    "Directions: massage onto damp skin, then rinse.",
    "How to use: smooth a small amount over face and neck.",
    "For external use only. Keep out of reach of children.",
]
ORIGINS = ["Made in France", "Made in Korea", "Made in USA", "Fabriqué en France"]
NET = ["50 ml e 1.7 fl oz", "30 mL / 1 FL. OZ.", "150 ml"]

PAPERS = [(250, 250, 247), (246, 241, 230), (238, 243, 250), (252, 246, 236), (241, 241, 238)]
PAPERS += [(255, 251, 242), (232, 241, 228), (250, 238, 240)]
INKS = [(20, 20, 20), (38, 38, 62), (70, 30, 35), (15, 55, 45), (45, 45, 45), (0, 0, 0)]
LIGHT_PLASTIC = [(246, 205, 214), (200, 225, 245), (210, 240, 220), (250, 236, 190)]
LIGHT_PLASTIC += [(225, 215, 240), (255, 255, 255)]
DARK_PLASTIC = [(25, 35, 70), (20, 20, 22), (20, 60, 40), (90, 20, 35), (55, 30, 75), (60, 60, 65)]
LIGHT_INKS = [(250, 250, 250), (245, 240, 225), (235, 215, 160), (230, 230, 235)]
SURFACES = [  # kind, colour, colour2
    ("wood", (120, 80, 45), (175, 125, 80)),
    ("wood", (190, 160, 120), (225, 200, 165)),
    ("stone", (150, 150, 150), (215, 215, 210)),
    ("stone", (215, 215, 212), (245, 245, 242)),
    ("stone", (40, 42, 48), (80, 82, 90)),
    ("cloth", (60, 80, 120), (90, 115, 160)),
    ("cloth", (200, 190, 170), (230, 222, 205)),
    ("plain", (95, 140, 110), (120, 165, 135)),
]
# tier -> x-height in the frame (px; sampled, then raised up to the cap toward the wanted area),
# the label's wanted share of the frame, characters per line, the most the panel may grow past
# the text (extra margin, linear). Hard labels keep their sampled x-height (no raising), so they
# are small in the frame: a bottle seen from further away.
PHOTO = {
    "phone": {"xh": (18, 34), "xh_cap": 60, "area": (0.3, 0.7), "chars": (40, 80), "grow": 1.5},
    "hard": {"xh": (15, 24), "xh_cap": 0, "area": (0.2, 0.45), "chars": (50, 95), "grow": 1.3},
}


def r3(x: float) -> float:
    """Round to three decimals (keeps the manifest short and stable)."""
    return round(x, 3)


def pick_rows(rows: list[dict[str, Any]], tier: str) -> list[dict[str, Any]]:
    """PER_TIER rows for a tier, from the lists of 10-45 gold items (topped up if too few)."""
    preferred = [row for row in rows if 10 <= len(row["gold"]) <= 45]
    others = [row for row in rows if row not in preferred and row["gold"]]
    rng = random.Random(f"{SEED}:{tier}:pick")
    chosen = rng.sample(preferred, min(PER_TIER, len(preferred)))
    return chosen + rng.sample(others, PER_TIER - len(chosen))


def batch_code(rng: random.Random) -> str:
    """A lot or batch line."""
    code = f"{rng.randint(1, 9)}{rng.choice('ABCDEFGHK')}{rng.randint(100, 999)}"
    return rng.choice([f"LOT {code}", f"Batch: {code}  EXP {rng.randint(1, 12):02d}/2027"])


def paragraphs(
    row: dict[str, Any], rng: random.Random
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """The paragraphs of the label and a summary of the choices."""
    header = rng.choices(HEADERS, HEADER_WEIGHTS)[0]
    inline = rng.random() < 0.5
    caps = rng.random() < 0.2
    body = " ".join(row["text"].split())
    before, after = [], []
    if rng.random() < 0.6:
        before = rng.sample([rng.choice(PRODUCTS), rng.choice(NET)], rng.randint(1, 2))
        after = rng.sample(
            [rng.choice(DIRECTIONS), rng.choice(ORIGINS), batch_code(rng)], rng.randint(0, 3)
        )
    if inline:
        listed = [{"text": f"{header} {body}", "bold": False}]
    else:
        listed = [{"text": header, "bold": rng.random() < 0.6}, {"text": body, "bold": False}]
    paras = [{"text": t, "bold": False} for t in before] + listed
    paras += [{"text": t, "bold": False} for t in after]
    if caps:
        paras = [{**p, "text": p["text"].upper()} for p in paras]
    summary = {"header": header, "header_inline": inline, "caps": caps}
    summary |= {"pack_before": len(before), "pack_after": len(after)}
    return paras, summary


def colours(rng: random.Random, style: str, fade: float) -> tuple[list[int], list[int]]:
    """Ink and paper for a style; ``fade`` mixes the ink toward the paper (lower contrast)."""
    if style == "plastic-dark":
        ink, paper = rng.choice(LIGHT_INKS), rng.choice(DARK_PLASTIC)
    elif style == "plastic-light":
        ink, paper = rng.choice(INKS), rng.choice(LIGHT_PLASTIC)
    else:
        ink, paper = rng.choice(INKS), rng.choice(PAPERS)
    mixed = [round(i + (p - i) * fade) for i, p in zip(ink, paper, strict=True)]
    return mixed, list(paper)


def text_spec(rng: random.Random, paras: list[dict[str, Any]], x_height: float) -> dict[str, Any]:
    """Font, size, spacing and alignment (the column is set by the caller)."""
    family = rng.choice(sorted(render.FONTS))
    regular, bold = render.FONTS[family]
    return {
        "family": family,
        "font": regular,
        "bold_font": bold,
        "size": render.size_for_x_height(regular, x_height),
        "line_spacing": r3(rng.uniform(1.12, 1.5)),
        "align": rng.choice(["justify", "left"]),
        "paragraphs": paras,
    }


def clean_spec(rng: random.Random, spec: dict[str, Any]) -> dict[str, Any]:
    """A flat, scan-like label 1200-2000 px wide."""
    width = rng.randint(1200, 2000)
    margin = [rng.randint(40, 110), rng.randint(40, 110)]
    spec["column"] = width - 2 * margin[0]
    spec["margin"] = margin
    _, block_h = render.measure(spec)
    spec["panel"] = [width, block_h + 2 * margin[1]]
    return spec


def _fit_text(spec: dict[str, Any], tier: str, xh: float, chars: int, area: float) -> None:
    """Set size, column and panel: larger glyphs (to the cap) toward ``area``, smaller past max.

    The panel may later grow by PHOTO[tier]["grow"], so the text aims at ``area`` / grow².
    """
    char_w = render.font(spec["font"], 100).getlength("abcdefghijklmnopqrstuvwxyz ") / 2700
    pixels = FRAME[0] * FRAME[1]
    cap, most = max(xh, PHOTO[tier]["xh_cap"]), PHOTO[tier]["area"][1] * pixels
    area /= PHOTO[tier]["grow"] ** 2
    for _ in range(12):
        spec["size"] = render.size_for_x_height(spec["font"], xh)
        spec["column"] = round(chars * char_w * spec["size"])
        margin = round(spec["size"] * spec["margin_em"])
        _, bh = render.measure(spec)
        w, h = spec["column"] + 2 * margin, bh + 2 * margin
        factor = math.sqrt((most if w * h > most else area) / (w * h))
        new = xh * factor * 0.99 if w * h > most else min(cap, xh * factor)
        if abs(new - xh) < 0.25 and w * h <= most:
            break
        xh = new
    spec["margin"] = [margin, margin]
    spec["panel"] = [w, h]


def _grow(spec: dict[str, Any], frame: list[int], area: float, most: float) -> None:
    """Enlarge the panel (wider margins, at most ``most`` times) toward ``area``, text centred."""
    w, h = spec["panel"]
    grow = min(math.sqrt(area / (w * h)), 0.8 * frame[0] / w, 0.8 * frame[1] / h, most)
    if grow > 1:
        text_h = h - 2 * spec["margin"][1]
        spec["panel"] = [round(w * grow), round(h * grow)]
        pw, ph = spec["panel"]
        spec["margin"] = [(pw - spec["column"]) // 2, (ph - text_h) // 2]


def _bottle(rng: random.Random, spec: dict[str, Any], style: str) -> dict[str, Any] | None:
    """The bottle a sticker sits on, or the plastic the text is printed on."""
    if style == "paper":
        return None
    pw, ph = spec["panel"]
    pad = [round(pw * rng.uniform(0.08, 0.3)), round(ph * rng.uniform(0.05, 0.25))]
    return {
        "color": spec["paper"] if style.startswith("plastic") else list(rng.choice(DARK_PLASTIC)),
        "pad": pad,
        "radius": round(min(pw + 2 * pad[0], ph + 2 * pad[1]) * rng.uniform(0.04, 0.15)),
        "shading": r3(rng.uniform(0.1, 0.3)),
    }


def photo_spec(
    rng: random.Random, tier: str, spec: dict[str, Any], style: str, shrink: float
) -> dict[str, Any]:
    """Fit the text to the frame and sample the photo parameters (centre set by ``place``)."""
    ranges = PHOTO[tier]
    hard = tier == "hard"
    area = rng.uniform(*ranges["area"]) * shrink * FRAME[0] * FRAME[1]
    spec["margin_em"] = r3(rng.uniform(0.6, 1.6))
    _fit_text(spec, tier, rng.uniform(*ranges["xh"]), rng.randint(*ranges["chars"]), area)
    w, h = spec["panel"]
    frame = list(FRAME) if w >= h else [FRAME[1], FRAME[0]]
    _grow(spec, frame, area, ranges["grow"])
    kind, c1, c2 = rng.choice(SURFACES)
    rot, key, jit = (10, 0.07, 0.012) if hard else (4, 0.03, 0.006)
    photo: dict[str, Any] = {
        "frame": frame,
        "seed": rng.randrange(2**32),
        "style": style,
        "background": {"kind": kind, "color": list(c1), "color2": list(c2)},
        "bottle": _bottle(rng, spec, style),
        "cylinder": None,
        "place": {
            "center": [frame[0] / 2, frame[1] / 2],
            "rotation_deg": r3(rng.uniform(-rot, rot)),
            "keystone": [r3(rng.uniform(-key, key)), r3(rng.uniform(-key, key))],
            "jitter": [[r3(rng.uniform(-jit, jit)) for _ in range(2)] for _ in range(4)],
        },
        "glare": None,
        "light": {
            "angle_deg": rng.randint(0, 359),
            "low": r3(rng.uniform(0.55, 0.8) if hard else rng.uniform(0.72, 0.92)),
            "high": r3(rng.uniform(0.95, 1.15) if hard else rng.uniform(0.98, 1.1)),
            "vignette": r3(rng.uniform(0.1, 0.35) if hard else rng.uniform(0.0, 0.25)),
        },
        "shadow": {
            "offset": [rng.randint(-40, 40), rng.randint(-40, 40)],
            "sigma": rng.randint(20, 60),
            "strength": r3(rng.uniform(0.15, 0.45)),
        },
        "blur_sigma": r3(rng.uniform(1.0, 1.8) if hard else rng.uniform(0.5, 1.5)),
        "noise_sigma": r3(rng.uniform(5, 10) if hard else rng.uniform(2, 6)),
        "chroma_noise": r3(rng.uniform(0.3, 0.6)),
        "quarter_turns": 0,
        "jpeg_quality": rng.randint(60, 75) if hard else rng.randint(80, 92),
    }
    if hard:
        photo["cylinder"] = {
            "half_angle_deg": rng.randint(35, 65),
            "bend": r3(rng.uniform(-0.04, 0.04)),
            "shade": r3(rng.uniform(0.3, 0.6)),
        }
    if hard or rng.random() < 0.15:  # placed and sized on the text block, given on the label
        (mx, my), (pw, ph) = spec["margin"], spec["panel"]
        tw, th = pw - 2 * mx, ph - 2 * my
        u, v = rng.uniform(0.15, 0.85), rng.uniform(0.15, 0.85)
        photo["glare"] = {
            "center": [r3((mx + u * tw) / pw), r3((my + v * th) / ph)],
            "axes": [r3(rng.uniform(0.08, 0.25) * tw / pw), r3(rng.uniform(0.15, 0.5) * th / ph)],
            "angle_deg": rng.randint(-30, 30),
            "strength": r3(rng.uniform(0.4, 0.75) if hard else rng.uniform(0.3, 0.5)),
        }
    return photo


def place(photo: dict[str, Any], panel: tuple[int, int], rng: random.Random) -> float | None:
    """Move the label to a random spot where it fits; its share of the frame, or None."""
    w, h = photo["frame"]
    pts = label_outline(photo, panel)
    (x0, y0), (x1, y1) = pts.min(axis=0), pts.max(axis=0)
    margin = 0.02 * min(w, h)
    slack_x, slack_y = (w - 2 * margin) - (x1 - x0), (h - 2 * margin) - (y1 - y0)
    if slack_x < 0 or slack_y < 0:
        return None
    cx, cy = photo["place"]["center"]
    dx = margin - x0 + rng.uniform(0, slack_x)
    dy = margin - y0 + rng.uniform(0, slack_y)
    photo["place"]["center"] = [round(cx + dx, 1), round(cy + dy, 1)]
    xs, ys = pts[:, 0], pts[:, 1]
    shoelace = abs(float(xs @ np.roll(ys, -1) - ys @ np.roll(xs, -1))) / 2
    return shoelace / (w * h)


def sample(row: dict[str, Any], tier: str, index: int) -> dict[str, Any]:
    """The manifest row of image ``index`` of a tier."""
    rng = random.Random(f"{SEED}:{tier}:{index}")
    paras, params = paragraphs(row, rng)
    spec = text_spec(rng, paras, rng.uniform(20, 30))
    if tier == "clean":
        style = "plastic-dark" if rng.random() < 0.12 else "paper"
    else:
        style = rng.choices(["paper", "sticker", "plastic-light", "plastic-dark"], [55, 20, 12, 13])
        style = "sticker" if tier == "hard" and style[0] == "paper" else style[0]
    fade = rng.uniform(0.15, 0.35) if tier == "hard" else 0.0
    spec["ink"], spec["paper"] = colours(rng, style, fade)
    photo = None
    if tier == "clean":
        spec = clean_spec(rng, spec)
    else:
        for attempt in range(10):
            trial = random.Random(f"{SEED}:{tier}:{index}:{attempt}")
            photo = photo_spec(trial, tier, spec, style, 0.85**attempt)
            share = place(photo, tuple(spec["panel"]), trial)
            if share is not None:
                break
        else:
            raise RuntimeError(f"{tier}-{index + 1}: the label does not fit the frame")
        if tier == "hard" and index in QUARTER_SLOTS:
            photo["quarter_turns"] = QUARTER_TURNS[QUARTER_SLOTS.index(index)]
        params |= {"area": r3(share), "quarter_turns": photo["quarter_turns"]}
    xh = spec["size"] * render.x_height_ratio(spec["font"])
    params |= {"style": style, "family": spec["family"], "x_height": r3(xh)}
    ident = f"{tier}-{index + 1:02d}"
    return {
        "id": ident,
        "tier": tier,
        "source_id": row["id"],
        "source": row.get("source", ""),
        "file": f"{tier}/{ident}.{'png' if tier == 'clean' else 'jpg'}",
        "text": "\n".join(p["text"] for p in spec["paragraphs"]),
        "gold": row["gold"],
        "gold_unknown": row.get("gold_unknown", []),
        "params": params,
        "render": {k: v for k, v in spec.items() if k not in ("margin_em", "family")},
        "photo": photo,
    }
