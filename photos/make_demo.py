"""Build the photodesk demo photo set: procedural stand-ins for a partner's photos.

The reference story (see the design brief): a reporting partner photographs the
Quanhe customs house (Hunchun, Jilin, China, opposite Wonjong in Rason, North
Korea) in late July 2023; one fence photo is from September 2019 by another
photographer; the desk adds a map and a trade chart.

Every image here is a drawing made with Pillow shapes, gradients and a little
noise - nothing is a real photograph and the chart figures are invented.

Run from anywhere (only Pillow >= 10.1 is needed)::

    python photos/make_demo.py

Files are written next to this script. Output is deterministic: every random
choice comes from a seeded ``random.Random``, so each run writes the same bytes.
"""

from __future__ import annotations

import itertools
import math
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageFont
from PIL.TiffImagePlugin import IFDRational

OUT = Path(__file__).resolve().parent
W, H = 1600, 1067
JPEG_QUALITY = 85

Color = tuple[int, int, int]
Point = tuple[float, float]

# --- EXIF tag numbers -------------------------------------------------------
MAKE, MODEL, ORIENTATION, DATETIME, ARTIST = 0x010F, 0x0110, 0x0112, 0x0132, 0x013B
EXIF_IFD, GPS_IFD = 0x8769, 0x8825
DATETIME_ORIGINAL, DATETIME_DIGITIZED = 0x9003, 0x9004
OFFSET_TIME, OFFSET_TIME_ORIGINAL = 0x9010, 0x9011
BODY_SERIAL, LENS_MODEL = 0xA431, 0xA434


# --- small colour and geometry helpers -------------------------------------
def mix(c1: Sequence[int], c2: Sequence[int], t: float) -> Color:
    """Blend two RGB colours; t=0 gives c1, t=1 gives c2."""
    return (
        round(c1[0] + (c2[0] - c1[0]) * t),
        round(c1[1] + (c2[1] - c1[1]) * t),
        round(c1[2] + (c2[2] - c1[2]) * t),
    )


def lerp(a: Point, b: Point, t: float) -> Point:
    """The point a fraction t of the way from a to b."""
    return (a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t)


def shade(c: Color, f: float) -> Color:
    """Darken (f < 1) or lighten (f > 1) a colour."""
    return (min(255, round(c[0] * f)), min(255, round(c[1] * f)), min(255, round(c[2] * f)))


def vgradient(size: tuple[int, int], stops: Sequence[tuple[float, Color]]) -> Image.Image:
    """A vertical gradient through (position 0..1, colour) stops."""
    w, h = size
    column = Image.new("RGB", (1, h))
    rows = []
    for y in range(h):
        t = y / max(h - 1, 1)
        for (p0, c0), (p1, c1) in itertools.pairwise(stops):
            if t <= p1 or (p1, c1) == stops[-1]:
                rows.append(mix(c0, c1, 0.0 if p1 <= p0 else min(1.0, (t - p0) / (p1 - p0))))
                break
    column.putdata(rows)
    return column.resize((w, h), Image.Resampling.NEAREST)


def paste_gradient(
    img: Image.Image, box: tuple[int, int, int, int], stops: Sequence[tuple[float, Color]]
) -> None:
    x0, y0, x1, y1 = box
    img.paste(vgradient((x1 - x0, y1 - y0), stops), (x0, y0))


def fill_gradient_polygon(
    img: Image.Image, points: Sequence[Point], stops: Sequence[tuple[float, Color]]
) -> None:
    """Fill a polygon with a vertical gradient spanning its bounding box."""
    ys = [p[1] for p in points]
    top, bottom = max(0, int(min(ys))), min(img.height, math.ceil(max(ys)) + 1)
    if bottom - top < 2:
        return
    grad = vgradient((img.width, bottom - top), stops)
    mask = Image.new("L", (img.width, bottom - top), 0)
    ImageDraw.Draw(mask).polygon([(x, y - top) for x, y in points], fill=255)
    img.paste(grad, (0, top), mask)


def ridge(
    rng: random.Random,
    base: float,
    amp: float,
    waves: int = 4,
    bottom: float = H,
    x0: int = -20,
    x1: int = W + 20,
) -> list[Point]:
    """A hill silhouette polygon: a sum of sines above ``base`` closed down to ``bottom``."""
    parts = [
        (rng.uniform(0, 2 * math.pi), amp * rng.uniform(0.5, 1.0) / (k + 1), (k + 1) * 1.3)
        for k in range(waves)
    ]
    pts: list[Point] = []
    for x in range(x0, x1 + 8, 8):
        lift = sum(a * (0.5 + 0.5 * math.sin(f * x / W * 2 * math.pi + p)) for p, a, f in parts)
        pts.append((x, base - lift))
    return [*pts, (x1, bottom), (x0, bottom)]


def overlay(
    img: Image.Image,
    draw_fn: Callable[[ImageDraw.ImageDraw], None],
    blur: float,
    base: Color = (0, 0, 0),
) -> None:
    """Draw semi-transparent shapes on a layer, blur it, and blend it onto img.

    ``base`` is the colour of the layer's transparent pixels; it should match the
    shapes so that blurred edges fade out instead of picking up a dark halo.
    """
    layer = Image.new("RGBA", img.size, (*base, 0))
    draw_fn(ImageDraw.Draw(layer))
    if blur:
        layer = layer.filter(ImageFilter.GaussianBlur(blur))
    img.paste(layer, (0, 0), layer)


def clouds(img: Image.Image, rng: random.Random, n: int, top: int, bottom: int, alpha: int) -> None:
    def draw_clouds(d: ImageDraw.ImageDraw) -> None:
        for _ in range(n):
            cx, cy = rng.uniform(-100, W + 100), rng.uniform(top, bottom)
            for _ in range(rng.randint(4, 8)):
                w, h = rng.uniform(80, 220), rng.uniform(25, 60)
                ox, oy = rng.uniform(-160, 160), rng.uniform(-25, 15)
                d.ellipse(
                    (cx + ox - w, cy + oy - h, cx + ox + w, cy + oy + h), (255, 255, 255, alpha)
                )

    overlay(img, draw_clouds, 22, base=(255, 255, 255))


def grass(
    d: ImageDraw.ImageDraw,
    rng: random.Random,
    top: float,
    bottom: float,
    colours: Sequence[Color],
    n: int,
    hmin: float,
    hmax: float,
) -> None:
    """Blades of grass or reeds; taller and thicker towards the bottom of the frame."""
    for _ in range(n):
        x = rng.uniform(-10, W + 10)
        yb = rng.uniform(top, bottom)
        depth = (yb - top) / max(bottom - top, 1)
        h = rng.uniform(hmin, hmax) * (0.35 + 0.65 * depth)
        lean = rng.uniform(-0.35, 0.35) * h
        width = 1 if depth < 0.4 else rng.choice((2, 2, 3))
        d.line(
            [(x, yb), (x + lean * 0.4, yb - h * 0.6), (x + lean, yb - h)],
            rng.choice(colours),
            width,
        )


def water(
    img: Image.Image, rng: random.Random, top: int, bottom: int, c_top: Color, c_bottom: Color
) -> None:
    paste_gradient(img, (0, top, W, bottom), [(0, c_top), (1, c_bottom)])
    d = ImageDraw.Draw(img)
    for _ in range(260):
        y = rng.uniform(top + 2, bottom)
        depth = (y - top) / (bottom - top)
        length = rng.uniform(20, 90) * (0.4 + 1.6 * depth)
        x = rng.uniform(-50, W)
        c = shade(mix(c_top, c_bottom, depth), rng.choice((1.12, 1.18, 0.9)))
        d.line([(x, y), (x + length, y)], c, 1 if depth < 0.5 else 2)


def glyph(
    d: ImageDraw.ImageDraw, rng: random.Random, x: float, y: float, s: float, fill: Color
) -> None:
    """An abstract, character-like cluster of strokes in an s x s cell (stand-in signage)."""
    width = max(1, round(s / 9))
    for _ in range(rng.randint(3, 6)):
        k = rng.random()
        if k < 0.4:
            yy = y + rng.uniform(0.1, 0.9) * s
            d.line(
                [(x + rng.uniform(0, 0.35) * s, yy), (x + rng.uniform(0.65, 1) * s, yy)],
                fill,
                width,
            )
        elif k < 0.75:
            xx = x + rng.uniform(0.15, 0.85) * s
            d.line(
                [(xx, y + rng.uniform(0, 0.3) * s), (xx, y + rng.uniform(0.7, 1) * s)], fill, width
            )
        elif k < 0.9:
            xa = x + rng.uniform(0.1, 0.5) * s
            d.line(
                [(xa, y + 0.2 * s), (xa + rng.choice((-1, 1)) * 0.35 * s, y + 0.9 * s)], fill, width
            )
        else:
            xa, ya = x + rng.uniform(0.2, 0.8) * s, y + rng.uniform(0.1, 0.5) * s
            d.line([(xa, ya), (xa + 0.12 * s, ya + 0.15 * s)], fill, width)


def glyph_row(
    d: ImageDraw.ImageDraw,
    rng: random.Random,
    x: float,
    y: float,
    s: float,
    n: int,
    gap: float,
    fill: Color,
) -> None:
    for i in range(n):
        glyph(d, rng, x + i * (s + gap), y, s, fill)


def finish(img: Image.Image, seed: int, grain: int = 5, blur: float = 0.7) -> Image.Image:
    """Soften the vector look, add a vignette and luminance grain."""
    img = img.filter(ImageFilter.GaussianBlur(blur))
    w, h = img.size
    vig = Image.radial_gradient("L").resize((w, h), Image.Resampling.BILINEAR)
    vig = vig.point(lambda v: 255 - max(0, v - 120) * 45 // 135)
    img = ImageChops.multiply(img, Image.merge("RGB", (vig, vig, vig)))
    rng = random.Random(seed)
    sw, sh = w // 2, h // 2
    noise = Image.frombytes("L", (sw, sh), rng.randbytes(sw * sh))
    noise = noise.resize((w, h), Image.Resampling.BILINEAR).point(lambda v: v * 2 * grain // 255)
    return ImageChops.add(img, Image.merge("RGB", (noise, noise, noise)), 1.0, -grain)


# --- scenes -----------------------------------------------------------------
def scene_nk_customs() -> Image.Image:
    """North Korean customs house across the river, shipping containers in front."""
    rng = random.Random(101)
    img = Image.new("RGB", (W, H))
    horizon = 470
    paste_gradient(img, (0, 0, W, horizon), [(0, (112, 156, 204)), (1, (204, 215, 224))])
    clouds(img, rng, 7, 60, 300, 150)
    fill_gradient_polygon(
        img, ridge(rng, 440, 150, 4, horizon + 5), [(0, (150, 166, 176)), (1, (168, 178, 182))]
    )
    fill_gradient_polygon(
        img, ridge(rng, 478, 70, 5, horizon + 30), [(0, (98, 122, 98)), (1, (120, 132, 108))]
    )
    d = ImageDraw.Draw(img)
    paste_gradient(img, (0, 490, W, 615), [(0, (132, 138, 112)), (1, (118, 120, 100))])
    # customs house: long low block with a taller centre and a banner
    facade, trim, win = (226, 219, 198), (188, 178, 160), (72, 82, 92)
    d.rectangle((430, 440, 1230, 585), facade)
    d.rectangle((430, 432, 1230, 442), trim)
    d.rectangle((735, 372, 925, 585), shade(facade, 1.03))
    d.rectangle((728, 362, 932, 374), trim)
    for row in range(3):
        for col in range(16):
            x = 450 + col * 48
            if 720 < x < 935:
                continue
            y = 458 + row * 38
            d.rectangle((x, y, x + 24, y + 22), win)
            d.line([(x, y + 22), (x + 24, y + 22)], (240, 236, 225), 2)
    d.rectangle((770, 384, 890, 412), (178, 38, 38))  # red banner
    glyph_row(d, random.Random(11), 776, 388, 20, 5, 3, (244, 232, 200))
    for y in (430, 470, 510, 550):
        d.rectangle((770, y, 890, y + 24), shade(win, 1.1))
    d.rectangle((800, 545, 860, 585), (60, 64, 70))  # doorway
    # flag on the roof: blue-red-blue with a white disc and red star
    d.line([(830, 362), (830, 262)], (90, 90, 90), 3)
    fx, fy = 832, 266
    d.rectangle((fx, fy, fx + 78, fy + 40), (30, 70, 160))
    d.rectangle((fx, fy + 7, fx + 78, fy + 33), (245, 245, 245))
    d.rectangle((fx, fy + 9, fx + 78, fy + 31), (200, 30, 40))
    d.ellipse((fx + 13, fy + 11, fx + 31, fy + 29), (245, 245, 245))
    star(d, fx + 22, fy + 20, 7, (200, 30, 40))
    # light poles along the far bank
    for x in range(80, W, 190):
        d.line([(x, 600), (x, 470)], (100, 100, 96), 3)
        d.line([(x, 472), (x + 18, 468)], (100, 100, 96), 3)
    # shipping containers in the yard, in front of the building
    palette = [
        (160, 64, 42),
        (40, 84, 150),
        (48, 120, 82),
        (150, 150, 146),
        (196, 130, 40),
        (120, 40, 40),
    ]
    x = 180.0
    while x < 1450:
        long = rng.random() < 0.55
        w = 128 if long else 64
        for level in range(rng.choice((1, 1, 2, 2, 3))):
            c = rng.choice(palette)
            y1 = 606 - level * 34
            d.rectangle((x, y1 - 34, x + w, y1), c)
            for xx in range(int(x) + 5, int(x + w), 6):
                d.line([(xx, y1 - 32), (xx, y1 - 2)], shade(c, 0.82), 1)
            d.rectangle((x, y1 - 34, x + w, y1 - 31), shade(c, 1.15))
            d.line([(x + w, y1 - 34), (x + w, y1)], shade(c, 0.6), 2)
        x += w + rng.choice((2, 3, 4, 20, 40))
    # the river (Tumen), with a faint reflection of the yard
    water(img, rng, 615, H, (118, 132, 124), (84, 98, 92))
    overlay(
        img,
        lambda dd: dd.rectangle((180, 622, 1450, 672), (110, 80, 70, 40)),
        16,
        base=(110, 80, 70),
    )
    d = ImageDraw.Draw(img)
    # near bank with reeds
    fill_gradient_polygon(img, ridge(rng, 930, 40, 3), [(0, (86, 108, 60)), (1, (58, 78, 44))])
    d = ImageDraw.Draw(img)
    grass(
        d,
        rng,
        880,
        H + 40,
        [(70, 96, 48), (96, 120, 62), (120, 132, 70), (52, 72, 40)],
        2200,
        40,
        180,
    )
    return img


def star(
    d: ImageDraw.ImageDraw, cx: float, cy: float, r: float, fill: Color, rot: float = 0
) -> None:
    pts = []
    for i in range(10):
        a = rot - math.pi / 2 + i * math.pi / 5
        rr = r if i % 2 == 0 else r * 0.4
        pts.append((cx + rr * math.cos(a), cy + rr * math.sin(a)))
    d.polygon(pts, fill)


def prc_flag(d: ImageDraw.ImageDraw, x: float, y: float, w: float) -> None:
    h = w * 2 / 3
    u = w / 30
    wave = [(x, y), (x + w * 0.5, y + u * 1.2), (x + w, y + u * 0.2)]
    bottom = [(x + w, y + h + u * 0.2), (x + w * 0.5, y + h + u * 1.2), (x, y + h)]
    d.polygon(wave + bottom, (214, 36, 30))
    gold = (255, 214, 0)
    star(d, x + 5 * u, y + 5 * u, 3 * u, gold)
    for sx, sy in ((10, 2), (12, 4), (12, 7), (10, 9)):
        star(d, x + sx * u, y + sy * u + u * 0.5, u, gold, rot=0.4)


def truck(
    d: ImageDraw.ImageDraw,
    x: float,
    yb: float,
    s: float,
    cab: Color,
    cargo: str,
    cargo_c: Color,
) -> None:
    """A lorry in side view facing right; (x, yb) is the rear end at ground level."""

    def p(px: float, py: float) -> Point:
        return (x + px * s, yb - py * s)

    d.ellipse((*p(-10, 14), *p(530, -8)), (58, 60, 62))  # shadow
    d.rectangle((*p(10, 58), *p(510, 44)), (46, 46, 48))  # chassis
    top = 250
    if cargo == "tarp":
        d.rounded_rectangle((*p(0, top), *p(385, 58)), radius=round(18 * s), fill=cargo_c)
        for k in range(6):
            d.line(
                [p(20 + k * 64, top - 4), p(20 + k * 64, 62)],
                shade(cargo_c, 0.7),
                max(1, round(2 * s)),
            )
        d.line([p(0, top - 30), p(385, top - 30)], shade(cargo_c, 0.75), max(1, round(2 * s)))
    else:
        d.rectangle((*p(0, top), *p(385, 58)), cargo_c)
        step = 10 if cargo == "container" else 48
        for k in range(4, 385, step):
            d.line([p(k, top - 3), p(k, 61)], shade(cargo_c, 0.83), max(1, round(1.5 * s)))
        d.rectangle((*p(0, top), *p(385, top - 6)), shade(cargo_c, 1.12))
    # cab
    d.polygon([p(395, 50), p(395, 222), p(472, 222), p(512, 150), p(516, 50)], cab)
    d.polygon([p(442, 210), p(470, 210), p(500, 156), p(442, 156)], (120, 146, 166))
    d.line([p(438, 214), p(438, 70)], shade(cab, 0.7), max(1, round(2 * s)))
    d.rectangle((*p(496, 66), *p(520, 48)), (150, 150, 150))
    d.rectangle((*p(506, 96), *p(516, 84)), (236, 226, 160))
    d.line([p(478, 170), p(486, 140)], (40, 40, 40), max(1, round(3 * s)))
    for wx in (60, 124, 312, 452):
        cx, cy = p(wx, 30)
        r = 30 * s
        d.ellipse((cx - r, cy - r, cx + r, cy + r), (24, 24, 26))
        d.ellipse((cx - r * 0.4, cy - r * 0.4, cx + r * 0.4, cy + r * 0.4), (130, 130, 128))


def scene_trucks_gate() -> Image.Image:
    """Trucks queued at the Chinese customs gate."""
    rng = random.Random(202)
    img = Image.new("RGB", (W, H))
    horizon = 470
    paste_gradient(img, (0, 0, W, horizon), [(0, (120, 162, 208)), (1, (210, 220, 226))])
    clouds(img, rng, 6, 40, 260, 140)
    fill_gradient_polygon(
        img, ridge(rng, 462, 60, 4, horizon + 5), [(0, (140, 158, 160)), (1, (160, 170, 170))]
    )
    # roadside trees and low buildings on the horizon
    d = ImageDraw.Draw(img)
    for k in range(30):
        tx = k * 30 + rng.uniform(-8, 8)
        r = rng.uniform(14, 24)
        d.ellipse((tx - r, horizon - 2 * r, tx + r, horizon + 4), (78, 104, 70))
    d.rectangle((420, 430, 560, 480), (200, 196, 186))
    d.rectangle((430, 438, 550, 446), (120, 140, 160))
    # asphalt yard
    paste_gradient(img, (0, horizon, W, H), [(0, (128, 128, 126)), (1, (92, 92, 92))])
    d = ImageDraw.Draw(img)
    for _ in range(160):  # patches and stains
        x, y = rng.uniform(0, W), rng.uniform(horizon, H)
        r = rng.uniform(4, 30) * (0.3 + (y - horizon) / (H - horizon))
        d.ellipse((x - r, y - r * 0.3, x + r, y + r * 0.3), (rng.choice((84, 100, 112, 122)),) * 3)
    # lane markings converging on the gate
    for a, b in (
        ((-200, 1067), (900, 640)),
        ((400, 1067), (1010, 640)),
        ((1100, 1067), (1160, 640)),
    ):
        for k in range(0, 24, 2):
            t0, t1 = k / 24, (k + 1) / 24
            d.line([lerp(a, b, t0), lerp(a, b, t1)], (214, 210, 190), 4)
    # customs gate: canopy on pillars with a fascia carrying red characters
    d.rectangle((860, 240, W + 5, 345), (232, 232, 228))
    d.rectangle((860, 335, W + 5, 352), (90, 94, 100))
    glyph_row(d, random.Random(22), 905, 260, 60, 9, 14, (196, 30, 30))
    for px in (905, 1105, 1305, 1505):
        d.rectangle((px, 352, px + 30, 640), (196, 196, 192))
        d.rectangle((px + 24, 352, px + 30, 640), (150, 150, 146))
    for bx in (950, 1150, 1350):
        d.rectangle((bx, 560, bx + 90, 642), (238, 238, 232))
        d.rectangle((bx + 10, 572, bx + 80, 606), (96, 136, 170))
        d.rectangle((bx - 4, 552, bx + 94, 560), (50, 90, 150))
        for k in range(8):  # barrier arm, red and white
            c = (210, 40, 36) if k % 2 == 0 else (245, 245, 245)
            d.line([(bx + 90 + k * 12, 600), (bx + 102 + k * 12, 600)], c, 6)
    d.rectangle((860, 640, W, 660), (170, 170, 166))  # kerb / inspection apron
    # trucks, drawn far to near
    specs = [
        (0.36, 900, (40, 80, 160), "tarp", (52, 110, 72)),
        (0.46, 730, (226, 226, 220), "box", (200, 200, 196)),
        (0.59, 520, (170, 40, 35), "container", (40, 84, 150)),
        (0.76, 250, (40, 110, 80), "tarp", (46, 76, 130)),
        (0.97, 90, (220, 120, 30), "container", (158, 66, 44)),
    ]
    for s, front, cab, cargo, cargo_c in specs:
        yb = horizon + 440 * s
        truck(d, front - 520 * s, yb, s, cab, cargo, cargo_c)
    # a patch of verge in the right foreground
    fill_gradient_polygon(
        img, [(1180, H), (1600, 880), (1600, H)], [(0, (96, 118, 66)), (1, (70, 92, 50))]
    )
    d = ImageDraw.Draw(img)
    grass(d, rng, 960, H + 30, [(80, 104, 54), (104, 126, 66)], 240, 20, 70)
    return img


def scene_bridges() -> Image.Image:
    """An old concrete bridge in front of a new cable-stayed bridge over the Tumen."""
    rng = random.Random(303)
    img = Image.new("RGB", (W, H))
    horizon = 430
    paste_gradient(img, (0, 0, W, horizon), [(0, (108, 152, 204)), (1, (206, 216, 224))])
    clouds(img, rng, 8, 40, 280, 140)
    fill_gradient_polygon(
        img, ridge(rng, 410, 140, 4, horizon + 5), [(0, (146, 162, 172)), (1, (164, 174, 178))]
    )
    fill_gradient_polygon(
        img, ridge(rng, 440, 50, 5, horizon + 40), [(0, (96, 120, 92)), (1, (118, 130, 104))]
    )
    water(img, rng, 470, H, (126, 140, 134), (86, 100, 96))
    d = ImageDraw.Draw(img)
    # new bridge (behind): high deck, one pylon, fans of stay cables
    deck_y = 440
    for px in (120, 420, 1180, 1480):
        d.rectangle((px, deck_y + 16, px + 22, 488), (196, 198, 196))
    d.polygon([(786, 170), (814, 170), (826, deck_y + 20), (774, deck_y + 20)], (226, 228, 226))
    d.rectangle((786, deck_y + 20, 814, 490), (206, 208, 206))
    for k in range(1, 12):
        for side in (-1, 1):
            d.line([(800, 186 + k * 9), (800 + side * k * 58, deck_y)], (214, 216, 216), 1)
    d.rectangle((-5, deck_y, W + 5, deck_y + 16), (234, 234, 230))
    d.line([(-5, deck_y - 5), (W + 5, deck_y - 5)], (180, 184, 186), 2)
    # old bridge (in front): low deck on many piers with arches, weathered
    layer = Image.new("RGBA", (W, H), (0, 0, 0, 0))
    ld = ImageDraw.Draw(layer)
    top, deck_bottom, waterline = 560, 592, 650
    old = (128, 124, 114, 255)
    ld.rectangle((-5, top, W + 5, waterline), old)
    span = 150
    for k in range(-1, W // span + 2):
        cx = k * span + 60
        ld.ellipse((cx + 14, deck_bottom + 4, cx + span - 14, waterline + 70), (0, 0, 0, 0))
    ld.rectangle((-5, top - 16, W + 5, top), (112, 108, 100, 255))  # parapet
    for x in range(0, W, 14):
        ld.line([(x, top - 16), (x, top)], (92, 88, 82, 255), 3)
    ld.rectangle((-5, top, W + 5, top + 6), (150, 146, 134, 255))
    layer = layer.filter(ImageFilter.GaussianBlur(0.6))
    img.paste(layer, (0, 0), layer)

    # stains on the old concrete
    def stains(dd: ImageDraw.ImageDraw) -> None:
        for _ in range(120):
            x = rng.uniform(0, W)
            dd.line(
                [(x, top + 8), (x + rng.uniform(-4, 4), top + rng.uniform(20, 60))],
                (70, 66, 58, 90),
                3,
            )

    overlay(img, stains, 1.5, (70, 66, 58))
    # reflections under both bridges
    overlay(img, lambda dd: dd.rectangle((0, 652, W, 720), (60, 60, 56, 70)), 14, (60, 60, 56))
    overlay(
        img, lambda dd: dd.rectangle((0, 492, W, 520), (240, 240, 236, 40)), 10, (240, 240, 236)
    )
    # near bank in the bottom-left corner
    fill_gradient_polygon(
        img,
        [(-10, 860), (300, 900), (620, 1000), (760, H + 10), (-10, H + 10)],
        [(0, (100, 116, 64)), (1, (66, 84, 46))],
    )
    d = ImageDraw.Draw(img)
    for _ in range(900):
        x = rng.uniform(-10, 700)
        yb = rng.uniform(880 + x * 0.2, H + 20)
        h = rng.uniform(30, 150)
        d.line(
            [(x, yb), (x + rng.uniform(-25, 25), yb - h)],
            rng.choice([(84, 104, 52), (118, 126, 66)]),
            2,
        )
    return img


def scene_monument() -> Image.Image:
    """A territorial monument at a bridge entrance; drawn upright, portrait."""
    rng = random.Random(404)
    w, h = H, W  # portrait: 1067 x 1600
    img = Image.new("RGB", (w, h))
    horizon = 900
    paste_gradient(
        img, (0, 0, w, horizon), [(0, (70, 126, 200)), (0.7, (150, 186, 222)), (1, (200, 214, 224))]
    )
    clouds(img, rng, 4, 200, 600, 120)
    fill_gradient_polygon(
        img,
        ridge(rng, 880, 110, 3, horizon + 5, 0, w),
        [(0, (138, 154, 166)), (1, (158, 168, 172))],
    )
    d = ImageDraw.Draw(img)
    paste_gradient(img, (0, horizon, w, h), [(0, (170, 166, 156)), (1, (136, 132, 124))])
    d = ImageDraw.Draw(img)
    vx = 700
    # bridge deck running away towards the far bank, with railings
    d.polygon([(vx - 18, horizon), (vx + 18, horizon), (w + 400, h), (260, h)], (122, 122, 118))
    for k in range(1, 16):
        t = (k / 16) ** 2
        d.line(
            [lerp((vx - 18, horizon), (260, h), t), lerp((vx + 18, horizon), (w + 400, h), t)],
            (112, 112, 108),
            2,
        )
    for side_end in ((300, h - 240), (w + 300, h - 240)):
        d.line([(vx, horizon - 8), side_end], (90, 96, 104), 6)
        d.line([(vx, horizon - 3), (side_end[0], side_end[1] + 60)], (90, 96, 104), 3)
        for k in range(1, 26):
            t = (k / 26) ** 1.6
            px, py = lerp((vx, horizon - 8), side_end, t)
            d.line([(px, py), (px, py + 10 + 60 * t)], (90, 96, 104), max(1, round(5 * t)))
    # small gate frame at the far end of the bridge
    d.rectangle((vx - 40, horizon - 60, vx + 40, horizon - 52), (210, 60, 50))
    d.line([(vx - 36, horizon - 52), (vx - 36, horizon)], (200, 200, 196), 3)
    d.line([(vx + 36, horizon - 52), (vx + 36, horizon)], (200, 200, 196), 3)
    # the monument: granite stele on a stepped plinth, red-painted characters
    granite = (204, 200, 192)
    d.rectangle((120, 1380, 700, 1440), (170, 166, 158))
    d.rectangle((160, 1320, 660, 1384), (188, 184, 176))
    d.polygon([(240, 1320), (240, 520), (410, 430), (580, 520), (580, 1320)], granite)
    d.polygon([(580, 520), (612, 540), (612, 1320), (580, 1320)], shade(granite, 0.78))
    d.polygon([(410, 430), (580, 520), (612, 540), (440, 452)], shade(granite, 0.9))
    speck = random.Random(41)
    for _ in range(2500):
        x, y = speck.uniform(244, 576), speck.uniform(500, 1316)
        d.point((x, y), shade(granite, speck.choice((0.8, 0.9, 1.08))))
    g = random.Random(44)
    for i in range(4):
        glyph(d, g, 330, 580 + i * 130, 110, (186, 30, 30))
    d.rectangle((300, 1220, 520, 1290), shade(granite, 0.92))
    glyph_row(d, random.Random(45), 318, 1235, 40, 4, 14, (186, 30, 30))
    # flower bed and paving
    for _ in range(400):
        x, y = rng.uniform(80, 760), rng.uniform(1420, 1470)
        r = rng.uniform(6, 16)
        d.ellipse(
            (x - r, y - r, x + r, y + r),
            rng.choice([(60, 110, 50), (80, 130, 60), (200, 60, 70), (230, 200, 60)]),
        )
    for k in range(8):
        y = 1480 + k * 16
        d.line([(0, y), (w, y)], (120, 116, 108), 2)
    return img


def scene_cn_customs_front() -> Image.Image:
    """Front of the Chinese customs building with a guard box and a flag pole."""
    rng = random.Random(505)
    img = Image.new("RGB", (W, H))
    paste_gradient(img, (0, 0, W, 760), [(0, (104, 150, 206)), (1, (200, 214, 226))])
    clouds(img, rng, 6, 40, 260, 130)
    d = ImageDraw.Draw(img)
    wall, glass = (222, 222, 218), (84, 120, 152)
    d.rectangle((120, 250, 1480, 760), wall)
    d.rectangle((560, 150, 1040, 760), shade(wall, 1.02))
    d.rectangle((110, 240, 1490, 256), (190, 190, 186))
    d.rectangle((550, 140, 1050, 156), (190, 190, 186))
    # sign across the top with the customs emblem above the entrance
    glyph_row(d, random.Random(55), 600, 176, 44, 8, 10, (190, 32, 32))
    d.ellipse((758, 236, 842, 320), (210, 170, 40))
    d.ellipse((768, 246, 832, 310), (190, 40, 36))
    d.line([(784, 262), (816, 296)], (220, 190, 60), 5)  # crossed key and staff
    d.line([(816, 262), (784, 296)], (220, 190, 60), 5)
    d.ellipse((777, 255, 791, 269), outline=(220, 190, 60), width=3)
    for row in range(4):
        for col in range(24):
            x = 150 + col * 55
            if 545 < x < 1040 and row < 2:
                continue
            y = 290 + row * 95
            if 560 < x < 1040 and row >= 2:
                continue
            d.rectangle((x, y, x + 38, y + 62), glass)
            d.polygon([(x, y), (x + 20, y), (x, y + 34)], shade(glass, 1.35))
    d.rectangle((600, 340, 1000, 760), shade(glass, 0.75))  # glass atrium
    for x in range(600, 1001, 50):
        d.line([(x, 340), (x, 760)], (170, 176, 180), 4)
    for y in range(340, 761, 70):
        d.line([(600, y), (1000, y)], (170, 176, 180), 3)
    for px in (620, 720, 870, 970):
        d.rectangle((px - 12, 340, px + 12, 760), (236, 236, 232))
    # plaza and steps
    paste_gradient(img, (0, 760, W, H), [(0, (186, 182, 172)), (1, (150, 146, 138))])
    d = ImageDraw.Draw(img)
    for k in range(4):
        d.rectangle(
            (540 - k * 20, 760 + k * 12, 1060 + k * 20, 772 + k * 12),
            shade((200, 198, 190), 1 - k * 0.04),
        )
    for k in range(-10, 26):
        d.line([(800 + k * 20, 810), (800 + k * 140, H)], (160, 156, 148), 2)
    for y in (840, 900, 980):
        d.line([(0, y), (W, y)], (160, 156, 148), 2)
    # flag pole with the national flag
    d.line([(1240, 920), (1240, 70)], (200, 200, 204), 7)
    d.ellipse((1234, 62, 1246, 74), (220, 200, 90))
    prc_flag(d, 1244, 80, 180)
    d.ellipse((1210, 910, 1270, 930), (120, 116, 110))
    # guard box (sentry box) and a guard standing beside it
    d.rectangle((250, 690, 380, 920), (236, 236, 234))
    d.polygon([(236, 690), (394, 690), (372, 660), (258, 660)], (196, 40, 36))
    d.rectangle((270, 720, 360, 800), (70, 96, 120))
    d.rectangle((250, 900, 380, 920), (196, 40, 36))
    uniform = (62, 78, 56)
    d.rounded_rectangle((408, 770, 458, 860), 10, uniform)  # torso
    d.rectangle((412, 858, 430, 930), shade(uniform, 0.85))
    d.rectangle((436, 858, 454, 930), shade(uniform, 0.85))
    d.rectangle((408, 928, 432, 938), (30, 30, 30))
    d.rectangle((434, 928, 458, 938), (30, 30, 30))
    d.ellipse((418, 736, 448, 772), (206, 170, 140))
    d.rectangle((414, 730, 452, 746), shade(uniform, 0.9))
    d.rectangle((410, 744, 456, 750), shade(uniform, 0.7))
    d.line([(404, 780), (400, 850)], uniform, 10)
    d.line([(462, 780), (466, 850)], uniform, 10)
    # movable barriers across the forecourt
    for bx in range(480, 1180, 120):
        for k in range(10):
            c = (210, 40, 36) if k % 2 == 0 else (240, 240, 236)
            d.rectangle((bx + k * 10, 880, bx + k * 10 + 10, 900), c)
        d.line([(bx + 4, 900), (bx + 4, 940)], (60, 60, 60), 4)
        d.line([(bx + 96, 900), (bx + 96, 940)], (60, 60, 60), 4)
    return img


def scene_new_hq() -> Image.Image:
    """A new headquarters building, unused: empty windows, blank sign, empty car park."""
    rng = random.Random(606)
    img = Image.new("RGB", (W, H))
    paste_gradient(img, (0, 0, W, 780), [(0, (150, 170, 192)), (1, (206, 210, 214))])
    clouds(img, rng, 10, 20, 320, 110)
    d = ImageDraw.Draw(img)
    panel = (214, 206, 190)
    d.rectangle((330, 120, 1270, 780), panel)
    d.rectangle((320, 108, 1280, 124), (178, 172, 160))
    for floor in range(8):
        y = 150 + floor * 70
        for col in range(13):
            x = 360 + col * 70
            if 690 <= x <= 880:
                continue
            d.rectangle((x, y, x + 44, y + 46), (42, 50, 58))
            if rng.random() < 0.35:  # sky reflection on some panes
                d.polygon(
                    [(x, y + 46), (x + 44, y + 4), (x + 44, y + 26), (x + 22, y + 46)],
                    (92, 108, 124),
                )
            d.line([(x + 22, y), (x + 22, y + 46)], (150, 150, 146), 2)
    d.rectangle((700, 150, 900, 780), (58, 74, 90))  # glass curtain wall, dark inside
    for x in range(700, 901, 40):
        d.line([(x, 150), (x, 780)], (150, 156, 160), 3)
    for y in range(150, 781, 56):
        d.line([(700, y), (900, y)], (150, 156, 160), 3)
    d.polygon([(700, 150), (780, 150), (700, 420)], (96, 114, 132))
    d.rectangle((640, 690, 960, 704), (180, 176, 166))  # entrance canopy
    d.rectangle((650, 124, 950, 146), (196, 190, 178))  # empty sign frame
    for bx in range(665, 950, 40):
        d.ellipse((bx - 3, 132, bx + 3, 138), (140, 136, 128))
    # bare flag poles
    for fx in (1360, 1410, 1460):
        d.line([(fx, 820), (fx, 230)], (128, 132, 138), 5)
        d.ellipse((fx - 5, 222, fx + 5, 232), (128, 132, 138))
    # empty car park with faded bays and weeds
    paste_gradient(img, (0, 780, W, H), [(0, (150, 150, 146)), (1, (118, 118, 114))])
    d = ImageDraw.Draw(img)
    for k in range(-6, 24):
        d.line([(80 + k * 70, 820), (k * 120 - 120, H)], (196, 194, 184), 3)
    d.line([(0, 820), (W, 820)], (196, 194, 184), 3)
    for _ in range(140):
        x, y = rng.uniform(0, W), rng.uniform(800, H)
        sz = 3 + (y - 780) / 30
        for _ in range(6):
            d.line(
                [(x, y), (x + rng.uniform(-sz, sz), y - rng.uniform(sz, 3 * sz))], (92, 120, 60), 2
            )
    # construction hoarding and a closed gate on the left
    d.rectangle((0, 700, 300, 800), (60, 110, 170))
    for x in range(0, 300, 50):
        d.line([(x, 700), (x, 800)], (48, 92, 146), 3)
    d.rectangle((1290, 760, W, 800), (170, 170, 166))
    for x in range(1300, W, 18):
        d.line([(x, 700), (x, 800)], (90, 92, 96), 3)
    d.line([(1290, 706), (W, 706)], (90, 92, 96), 4)
    return img


@dataclass(frozen=True)
class FenceCamera:
    """A pinhole view used by both fence photos so that they line up."""

    f: float = 1000.0
    cx: float = 800.0
    horizon: float = 470.0
    cam_h: float = 1.6

    def project(self, x: float, z: float, y: float) -> Point:
        """World (x right, z forward, y up from the ground) to image coordinates."""
        return (self.cx + self.f * x / z, self.horizon + self.f * (self.cam_h - y) / z)


def fence_line(
    d: ImageDraw.ImageDraw,
    cam: FenceCamera,
    start: tuple[float, float],
    direction: tuple[float, float],
    spacing: float,
    height: float,
    post: Color,
    wire: Color,
    strands: Sequence[float],
    barbs: bool,
    mesh: bool = False,
    coil: bool = False,
) -> None:
    """Posts every ``spacing`` metres along a straight line, with wires between them."""
    x0, z0 = start
    dx, dz = direction
    n = math.hypot(dx, dz)
    dx, dz = dx / n, dz / n
    posts = [(x0 + i * spacing * dx, z0 + i * spacing * dz) for i in range(40)]
    posts = [(x, z) for x, z in posts if z > 0.5]
    for i in range(len(posts) - 1, 0, -1):  # far to near
        (xa, za), (xb, zb) = posts[i], posts[i - 1]
        if mesh:
            for k in range(0, 24):
                t = k / 24
                xm, zm = xa + (xb - xa) * t, za + (zb - za) * t
                lo, hi = cam.project(xm, zm, 0.1), cam.project(xm, zm, height - 0.2)
                d.line([lo, hi], wire, 1)
            for k in range(12):
                y = 0.1 + k * (height - 0.3) / 12
                d.line([cam.project(xa, za, y), cam.project(xb, zb, y)], wire, 1)
        for y in strands:
            p, q = cam.project(xa, za, y), cam.project(xb, zb, y)
            width = max(1, round(4 / min(za, zb)))
            d.line([p, q], wire, width)
            if barbs:
                for k in range(1, 8):
                    t = k / 8
                    bx, by = p[0] + (q[0] - p[0]) * t, p[1] + (q[1] - p[1]) * t
                    r = max(2.0, 9 / ((za + zb) / 2))
                    d.line([(bx - r, by - r), (bx + r, by + r)], wire, 1)
                    d.line([(bx - r, by + r), (bx + r, by - r)], wire, 1)
        if coil:
            for k in range(10):
                t = k / 10
                xm, zm = xa + (xb - xa) * t, za + (zb - za) * t
                cx, cy = cam.project(xm, zm, height + 0.25)
                r = cam.f * 0.28 / zm
                d.ellipse(
                    (cx - r * 0.6, cy - r, cx + r * 0.6, cy + r),
                    outline=wire,
                    width=max(1, round(3 / zm)),
                )
    for x, z in reversed(posts):
        bottom, top = cam.project(x, z, 0), cam.project(x, z, height)
        half = max(1.5, cam.f * 0.07 / z)
        d.rectangle((bottom[0] - half, top[1], bottom[0] + half, bottom[1]), post)
        d.line(
            [(bottom[0] + half * 0.4, top[1]), (bottom[0] + half * 0.4, bottom[1])],
            shade(post, 0.8),
            max(1, round(half / 3)),
        )
        if not coil:  # cranked top of a barbed-wire post, leaning towards the river
            tip = cam.project(x + 0.25, z + 0.25, height + 0.35)
            d.line([(top[0], top[1] + half), tip], post, max(2, round(half)))


def scene_fence(double: bool) -> Image.Image:
    """Border fence beside the Tumen; the 2023 view adds a second, newer fence behind."""
    cam = FenceCamera()
    land = random.Random(707)  # the landscape is the same in both years
    rng = random.Random(808 if double else 709)
    img = Image.new("RGB", (W, H))
    hz = int(cam.horizon)
    if double:  # late July 2023: hazy, lush
        sky, hills, field_top, field_bottom = (
            (150, 180, 206),
            (128, 146, 128),
            (110, 136, 70),
            (70, 100, 46),
        )
    else:  # September 2019: clearer, grass turning
        sky, hills, field_top, field_bottom = (
            (104, 150, 206),
            (132, 138, 110),
            (150, 146, 84),
            (104, 106, 60),
        )
    paste_gradient(img, (0, 0, W, hz), [(0, sky), (1, mix(sky, (236, 236, 232), 0.6))])
    clouds(img, rng, 6 if double else 3, 40, 260, 120)
    fill_gradient_polygon(
        img,
        ridge(land, hz - 20, 130, 4, hz + 5),
        [(0, mix(hills, sky, 0.35)), (1, mix(hills, sky, 0.2))],
    )
    fill_gradient_polygon(
        img, ridge(land, hz + 4, 40, 5, hz + 20), [(0, hills), (1, shade(hills, 0.9))]
    )
    water(img, land, hz + 10, hz + 44, (150, 164, 170), (120, 136, 140))
    fill_gradient_polygon(img, ridge(land, hz + 46, 6, 3), [(0, field_top), (1, field_bottom)])
    d = ImageDraw.Draw(img)
    grass(
        d,
        rng,
        hz + 50,
        H + 40,
        [shade(field_top, 0.85), shade(field_top, 1.1), shade(field_bottom, 0.9)],
        2600,
        10,
        110,
    )
    start, direction = (-4.2, 2.6), (0.55, 1.0)
    if double:  # newer, taller fence further from the camera: green posts, mesh, coil on top
        nx, nz = -direction[1], direction[0]
        n = math.hypot(nx, nz)
        off = 3.2
        start2 = (start[0] + off * nx / n, start[1] + off * nz / n)
        fence_line(
            d,
            cam,
            start2,
            direction,
            3.0,
            2.6,
            (64, 110, 80),
            (150, 158, 160),
            (0.4, 1.0, 1.6, 2.2),
            barbs=False,
            mesh=True,
            coil=True,
        )
    old_post = (178, 176, 168)
    fence_line(
        d,
        cam,
        start,
        direction,
        3.0,
        1.9,
        old_post,
        (84, 80, 74),
        (0.3, 0.6, 0.9, 1.2, 1.5, 1.8),
        barbs=True,
    )
    return img


# --- graphics ---------------------------------------------------------------
def font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    return ImageFont.load_default(size=size)


def map_border() -> Image.Image:
    """A simplified map of the Tumen River border around the Quanhe-Wonjong crossing."""
    lat0, lat1, lon_c = 42.98, 42.16, 130.40
    ppd_lat = H / (lat0 - lat1)
    ppd_lon = ppd_lat * math.cos(math.radians(42.57))

    def xy(lat: float, lon: float) -> Point:
        return (W / 2 + (lon - lon_c) * ppd_lon, (lat0 - lat) * ppd_lat)

    china, dprk, russia, sea = (242, 236, 220), (226, 232, 216), (234, 230, 238), (176, 206, 230)
    river = [
        (43.02, 129.70),
        (42.96, 129.86),
        (42.92, 130.02),
        (42.86, 130.14),
        (42.78, 130.24),
        (42.68, 130.36),
        (42.58, 130.46),
        (42.50, 130.53),
        (42.43, 130.60),
        (42.40, 130.63),
        (42.35, 130.665),
        (42.29, 130.70),
    ]
    tripoint, mouth = (42.40, 130.63), (42.29, 130.70)
    ru_border = [
        tripoint,
        (42.47, 130.66),
        (42.56, 130.64),
        (42.70, 130.62),
        (42.86, 130.78),
        (43.02, 130.86),
    ]
    coast = [
        (42.10, 130.10),
        (42.20, 130.22),
        (42.25, 130.30),
        (42.22, 130.40),
        (42.27, 130.55),
        mouth,
        (42.36, 130.76),
        (42.52, 130.80),
        (42.62, 130.86),
        (42.58, 131.00),
        (42.70, 131.10),
        (42.70, 131.40),
    ]
    img = Image.new("RGB", (W, H), dprk)
    d = ImageDraw.Draw(img)
    d.polygon([xy(*p) for p in coast] + [xy(42.0, 131.4), xy(42.0, 130.1)], sea)
    china_poly = [xy(*p) for p in river[: river.index(tripoint) + 1]]
    china_poly += [xy(*p) for p in ru_border[1:]] + [xy(43.1, 130.86), xy(43.1, 129.70)]
    d.polygon(china_poly, china)
    ru_poly = [xy(*p) for p in ru_border] + [xy(43.1, 131.5), xy(42.7, 131.5)]
    ru_poly += [xy(*p) for p in reversed(coast[coast.index(mouth) :])]
    ru_poly += [xy(*p) for p in reversed(river[river.index(tripoint) :])]
    d.polygon(ru_poly, russia)
    d.line([xy(*p) for p in coast], (120, 160, 196), 3)
    # land borders (dashed) and the river border
    for a, b in itertools.pairwise(ru_border):
        pa, pb = xy(*a), xy(*b)
        for k in range(0, 10, 2):
            d.line([lerp(pa, pb, k / 10), lerp(pa, pb, (k + 1) / 10)], (150, 120, 150), 3)
    d.line([xy(*p) for p in river], (86, 144, 204), 11, joint="curve")
    # places
    places = {
        "Hunchun": ((42.87, 130.36), (14, -40)),
        "Quanhe": ((42.446, 130.624), (16, -34)),
        "Wonjong": ((42.417, 130.569), (-150, -6)),
        "Rason": ((42.25, 130.30), (-40, -50)),
    }
    f_place, f_country, f_small, f_title = font(30), font(64), font(22), font(34)
    for name, ((lat, lon), (ox, oy)) in places.items():
        x, y = xy(lat, lon)
        d.ellipse((x - 9, y - 9, x + 9, y + 9), (40, 40, 40))
        d.ellipse((x - 5, y - 5, x + 5, y + 5), (250, 250, 250))
        d.text((x + ox, y + oy), name, (30, 30, 30), f_place)
    # the crossing: two short bars across the river for the old and new bridges
    (ax_, ay_), (bx_, by_) = xy(42.50, 130.53), xy(42.43, 130.60)
    ux, uy = bx_ - ax_, by_ - ay_
    ul = math.hypot(ux, uy)
    ux, uy = ux / ul, uy / ul
    cx, cy = xy(42.433, 130.597)
    for k, colour in ((-1, (60, 60, 60)), (1, (200, 40, 40))):
        mx, my = cx + k * 7 * ux, cy + k * 7 * uy
        d.line([(mx - 15 * uy, my + 15 * ux), (mx + 15 * uy, my - 15 * ux)], colour, 6)
    d.text((cx - 250, cy + 42), "Quanhe-Wonjong bridges", (60, 60, 60), f_small)
    d.text(xy(42.755, 130.33), "CHINA", (120, 100, 70), font(56))
    d.text(xy(42.52, 130.05), "DPRK", (80, 100, 70), f_country)
    d.text(xy(42.80, 130.86), "RUSSIA", (120, 100, 130), font(40))
    d.text(xy(42.63, 130.16), "Tumen River", (60, 110, 170), font(28))
    d.text(xy(42.26, 130.86), "Sea of Japan (East Sea)", (70, 110, 150), font(28))
    # title, north arrow, scale bar, credit
    d.rectangle((30, 30, 560, 140), (255, 255, 255), outline=(80, 80, 80), width=2)
    d.text((50, 42), "Quanhe customs crossing", (20, 20, 20), f_title)
    d.text((50, 92), "Simplified map, positions approximate", (90, 90, 90), f_small)
    ax, ay = W - 90, 180
    d.polygon([(ax, ay - 70), (ax - 22, ay), (ax, ay - 16), (ax + 22, ay)], (40, 40, 40))
    d.text((ax - 11, ay + 6), "N", (40, 40, 40), f_place)
    km10 = 10 / 111.32 / math.cos(math.radians(42.57)) * ppd_lon
    sx, sy = 60, H - 70
    d.rectangle((sx, sy, sx + km10, sy + 10), (40, 40, 40))
    d.rectangle((sx + km10 / 2, sy + 2, sx + km10 - 2, sy + 8), (250, 250, 250))
    d.text((sx, sy - 34), "10 km", (40, 40, 40), f_small)
    d.text((W - 420, H - 50), "Map: Northline Photo Desk", (60, 60, 60), f_small)
    return img


def chart_trade() -> Image.Image:
    """Bar chart of illustrative (invented) cargo volumes through the crossing."""
    data = [(2019, 412), (2020, 96), (2021, 8), (2022, 57), (2023, 188)]
    img = Image.new("RGB", (W, H), (255, 255, 255))
    d = ImageDraw.Draw(img)
    d.text((90, 40), "Cargo through the Quanhe crossing, 2019-2023", (20, 20, 20), font(48))
    d.text(
        (90, 104),
        "Thousand tonnes a year. Illustrative figures for a demo, not real data.",
        (100, 100, 100),
        font(26),
    )
    left, right, top, bottom = 200, 1510, 190, 900
    ymax = 500
    for v in range(0, ymax + 1, 100):
        y = bottom - (bottom - top) * v / ymax
        d.line([(left, y), (right, y)], (225, 225, 225) if v else (40, 40, 40), 2)
        label = f"{v}"
        tw = d.textlength(label, font=font(26))
        d.text((left - 16 - tw, y - 15), label, (60, 60, 60), font(26))
    slot = (right - left) / len(data)
    for i, (year, v) in enumerate(data):
        x0 = left + i * slot + slot * 0.2
        x1 = left + (i + 1) * slot - slot * 0.2
        y = bottom - (bottom - top) * v / ymax
        d.rectangle((x0, y, x1, bottom - 1), (200, 90, 40) if year == 2023 else (40, 110, 140))
        label = f"{v}"
        tw = d.textlength(label, font=font(30))
        d.text(((x0 + x1 - tw) / 2, y - 42), label, (30, 30, 30), font(30))
        tw = d.textlength(str(year), font=font(30))
        d.text(((x0 + x1 - tw) / 2, bottom + 16), str(year), (30, 30, 30), font(30))
    d.line([(left, top - 10), (left, bottom)], (40, 40, 40), 2)
    xl = "Year"
    d.text(
        ((left + right - d.textlength(xl, font=font(30))) / 2, bottom + 70),
        xl,
        (40, 40, 40),
        font(30),
    )
    yl = "Thousand tonnes (illustrative)"
    ylw = round(d.textlength(yl, font=font(30)))
    label = Image.new("RGB", (ylw + 10, 44), (255, 255, 255))
    ImageDraw.Draw(label).text((5, 4), yl, (40, 40, 40), font(30))
    label = label.transpose(Image.Transpose.ROTATE_90)
    img.paste(label, (60, round((top + bottom - label.height) / 2)))
    d.text((90, H - 60), "Graphic: Northline Photo Desk", (100, 100, 100), font(24))
    return img


# --- EXIF ---------------------------------------------------------------------
@dataclass(frozen=True)
class Shot:
    name: str
    draw: Callable[[], Image.Image]
    taken: str  # "YYYY:MM:DD HH:MM:SS", local time (UTC+08:00)
    lat: float
    lon: float
    alt_m: float
    camera: str  # "partner" or "2019"
    seed: int
    sideways: bool = False


CAMERAS = {
    "partner": {
        "make": "FUJIFILM",
        "model": "X-T4",
        "artist": "Min Saebyeok",
        "lens": "XF18-55mmF2.8-4 R LM OIS",
        "serial": "3AQ51207",
    },
    "2019": {
        "make": "Canon",
        "model": "Canon EOS 80D",
        "artist": "Ilse Marquardt",
        "lens": "EF-S18-135mm f/3.5-5.6 IS USM",
        "serial": None,
    },
}


def dms(value: float) -> tuple[IFDRational, IFDRational, IFDRational]:
    """Decimal degrees to (degrees, minutes, seconds/100) rationals."""
    deg = int(value)
    minutes_f = (value - deg) * 60
    minutes = int(minutes_f)
    seconds = round((minutes_f - minutes) * 60 * 100)
    return IFDRational(deg, 1), IFDRational(minutes, 1), IFDRational(seconds, 100)


def build_exif(shot: Shot) -> Image.Exif:
    cam = CAMERAS[shot.camera]
    exif = Image.Exif()
    exif[MAKE] = cam["make"]
    exif[MODEL] = cam["model"]
    exif[ORIENTATION] = 6 if shot.sideways else 1
    exif[DATETIME] = shot.taken
    exif[ARTIST] = cam["artist"]
    sub: dict[int, object] = {
        DATETIME_ORIGINAL: shot.taken,
        DATETIME_DIGITIZED: shot.taken,
        OFFSET_TIME: "+08:00",
        OFFSET_TIME_ORIGINAL: "+08:00",
        LENS_MODEL: cam["lens"],
    }
    if cam["serial"]:
        sub[BODY_SERIAL] = cam["serial"]
    exif[EXIF_IFD] = sub
    exif[GPS_IFD] = {
        1: "N",
        2: dms(shot.lat),
        3: "E",
        4: dms(shot.lon),
        5: 0,  # above sea level
        6: IFDRational(round(shot.alt_m * 10), 10),
    }
    return exif


SHOTS = [
    Shot(
        "quanhe_01_nk_customs.jpg",
        scene_nk_customs,
        "2023:07:24 10:41:07",
        42.4312,
        130.6021,
        14.2,
        "partner",
        1,
    ),
    Shot(
        "quanhe_02_trucks_gate.jpg",
        scene_trucks_gate,
        "2023:07:24 11:05:52",
        42.4336,
        130.5977,
        17.6,
        "partner",
        2,
    ),
    Shot(
        "quanhe_03_bridges.jpg",
        scene_bridges,
        "2023:07:25 09:18:26",
        42.4291,
        130.6049,
        12.8,
        "partner",
        3,
    ),
    Shot(
        "quanhe_04_monument.jpg",
        scene_monument,
        "2023:07:25 09:47:13",
        42.4302,
        130.6033,
        15.1,
        "partner",
        4,
        sideways=True,
    ),
    Shot(
        "quanhe_05_cn_customs_front.jpg",
        scene_cn_customs_front,
        "2023:07:26 14:22:40",
        42.4343,
        130.5968,
        18.3,
        "partner",
        5,
    ),
    Shot(
        "quanhe_06_new_hq.jpg",
        scene_new_hq,
        "2023:07:27 15:09:58",
        42.4359,
        130.5941,
        19.0,
        "partner",
        6,
    ),
    Shot(
        "fence_2019_single.jpg",
        lambda: scene_fence(double=False),
        "2019:09:14 10:12:33",
        42.4561,
        130.5703,
        21.5,
        "2019",
        7,
    ),
    Shot(
        "quanhe_07_double_fence.jpg",
        lambda: scene_fence(double=True),
        "2023:07:29 16:34:21",
        42.4331,
        130.6067,
        13.4,
        "partner",
        8,
    ),
]


def save_photo(shot: Shot) -> Path:
    img = finish(shot.draw(), seed=9000 + shot.seed)
    if shot.sideways:
        # The camera was held sideways: store the pixels rotated 90 degrees
        # counter-clockwise; Orientation 6 (rotate 90 clockwise) shows it upright.
        img = img.transpose(Image.Transpose.ROTATE_90)
    path = OUT / shot.name
    img.save(path, "JPEG", quality=JPEG_QUALITY, optimize=True, exif=build_exif(shot).tobytes())
    return path


def save_graphic(name: str, img: Image.Image) -> Path:
    path = OUT / name
    img.save(path, "PNG", optimize=True)  # no EXIF, no text chunks
    return path


def main() -> None:
    written = [save_photo(shot) for shot in SHOTS]
    written.append(save_graphic("map_border.png", map_border()))
    written.append(save_graphic("chart_trade.png", chart_trade()))
    for path in written:
        print(f"{path.name:34} {path.stat().st_size / 1024:7.1f} KB")


if __name__ == "__main__":
    main()
