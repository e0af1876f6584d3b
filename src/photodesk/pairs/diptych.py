"""The diptych of a before/after pair: both photos at one height, side by side, with their dates.

Pure Pillow: each original is decoded at reduced scale (JPEG draft), stood
upright from its EXIF orientation and scaled so the pair and a white gutter
fill the width asked for. The saved JPEG carries nothing of either original's
metadata (a diptych must never pass on a partner's GPS or camera serial),
only the captions the metadata writer puts in.
"""

from __future__ import annotations

import functools
import io
import os
from collections.abc import Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageCms, ImageDraw, ImageFont, ImageOps

from photodesk.errors import PhotodeskError
from photodesk.files import write_atomic
from photodesk.metadata.write import embed_metadata
from photodesk.text import display_path, for_terminal

__all__ = ["FONT_DIRS_ENV", "DiptychError", "Side", "compose", "find_font", "font_dirs", "save"]

FONT_DIRS_ENV = "PHOTODESK_FONT_DIRS"  # os.pathsep-separated folders, replacing the defaults
JPEG_QUALITY = 90
MIN_WIDTH = 100
_MIN_GUTTER = 8
_MIN_TEXT = 14
_ORIENTATION = 0x0112
_SWAPS_SIDES = {5, 6, 7, 8}  # EXIF orientations that turn the stored image by a quarter
_BOX = (0, 0, 0, 160)  # the label's dark box: the photo still shows through a little

Font = ImageFont.FreeTypeFont | ImageFont.ImageFont


class DiptychError(PhotodeskError):
    pass


@dataclass
class Side:
    path: Path
    label: str | None = None  # the date phrase drawn on it ("September 2019", "2019년 9월")


# -- fonts ---------------------------------------------------------------------------

# Unicode blocks a Latin font (DejaVu, the built-in one) cannot draw.
_SCRIPTS = {
    "hangul": ((0x1100, 0x11FF), (0x3130, 0x318F), (0xA960, 0xA97F), (0xAC00, 0xD7FF)),
    "kana": ((0x3040, 0x30FF), (0x31F0, 0x31FF), (0xFF66, 0xFF9F)),
    # Ideographs, plus CJK punctuation and full-width forms such as "（左）".
    "han": (
        (0x3000, 0x303F),
        (0x3400, 0x4DBF),
        (0x4E00, 0x9FFF),
        (0xF900, 0xFAFF),
        (0xFF00, 0xFF65),
        (0x20000, 0x3FFFF),
    ),
}
_WANTED = {
    "hangul": ("Korean (Hangul)", "fonts-noto-cjk or fonts-nanum"),
    "kana": ("Japanese (kana)", "fonts-noto-cjk or fonts-ipafont-gothic"),
    "han": ("CJK ideograph", "fonts-noto-cjk"),
}
_PAN_CJK = frozenset(_SCRIPTS)
_KOREAN = frozenset({"hangul", "han"})
_JAPANESE = frozenset({"kana", "han"})

# Font files by the scripts they draw, best first, under the names Debian, Fedora,
# Arch, macOS and Windows install them as (compared without case).
_CJK_FONTS = (
    ("NotoSansCJK-Regular.ttc", _PAN_CJK),
    ("NotoSansCJKkr-Regular.otf", _PAN_CJK),
    ("NotoSansCJKjp-Regular.otf", _PAN_CJK),
    ("NotoSansCJKsc-Regular.otf", _PAN_CJK),
    ("SourceHanSans-Regular.ttc", _PAN_CJK),
    ("NotoSerifCJK-Regular.ttc", _PAN_CJK),
    ("NotoSansKR-Regular.otf", _KOREAN),
    ("NanumGothic.ttf", _KOREAN),
    ("NanumBarunGothic.ttf", _KOREAN),
    ("UnDotum.ttf", _KOREAN),
    ("AppleSDGothicNeo.ttc", _KOREAN),
    ("malgun.ttf", _KOREAN),
    ("NotoSansJP-Regular.otf", _JAPANESE),
    ("ipagp.ttf", _JAPANESE),
    ("ipag.ttf", _JAPANESE),
    ("ipaexg.ttf", _JAPANESE),
    ("TakaoPGothic.ttf", _JAPANESE),
    ("TakaoGothic.ttf", _JAPANESE),
    ("VL-PGothic-Regular.ttf", _JAPANESE),
    ("VL-Gothic-Regular.ttf", _JAPANESE),
    ("YuGothM.ttc", _JAPANESE),
    ("msgothic.ttc", _JAPANESE),
    ("DroidSansFallbackFull.ttf", _PAN_CJK),
    ("wqy-microhei.ttc", _PAN_CJK),
    ("wqy-zenhei.ttc", _PAN_CJK),
)
_LATIN_FONTS = ("DejaVuSans.ttf", "NotoSans-Regular.ttf", "LiberationSans-Regular.ttf", "arial.ttf")


def _scripts(text: str) -> frozenset[str]:
    found = set()
    for ch in text:
        code = ord(ch)
        for script, blocks in _SCRIPTS.items():
            if any(lo <= code <= hi for lo, hi in blocks):
                found.add(script)
    return frozenset(found)


def font_dirs() -> list[Path]:
    """Where fonts are looked for: $PHOTODESK_FONT_DIRS if set, else the usual system folders."""
    env = os.environ.get(FONT_DIRS_ENV)
    if env is not None:
        return [Path(p).expanduser() for p in env.split(os.pathsep) if p]
    home = Path(os.path.expanduser("~"))
    dirs = [
        Path("/usr/share/fonts"),
        Path("/usr/local/share/fonts"),
        home / ".local/share/fonts",
        home / ".fonts",
        Path("/Library/Fonts"),
        Path("/System/Library/Fonts"),
        home / "Library/Fonts",
    ]
    if os.environ.get("WINDIR"):
        dirs.append(Path(os.environ["WINDIR"]) / "Fonts")
    return dirs


def _installed(dirs: Sequence[Path]) -> dict[str, Path]:
    """Font files by lower-cased name; the first folder named wins.

    Not cached: a font installed while the TUI runs is found on the next try.
    """
    found: dict[str, Path] = {}
    for folder in dirs:
        for root, _, files in os.walk(folder):
            for name in files:
                found.setdefault(name.lower(), Path(root) / name)
    return found


def _missing_font(text: str, needed: frozenset[str], dirs: Sequence[Path]) -> DiptychError:
    # Ideographs beside Hangul or kana are Korean or Japanese text, and its fonts draw them.
    scripts: list[str] = [s for s in ("hangul", "kana") if s in needed] or ["han"]
    what = " and ".join(_WANTED[s][0] for s in scripts)
    packages = _WANTED[scripts[0]][1] if len(scripts) == 1 else "fonts-noto-cjk"
    where = ", ".join(str(d) for d in dirs) or f"no folder (${FONT_DIRS_ENV} is empty)"
    return DiptychError(
        f'drawing "{for_terminal(text, single_line=True)}" needs a font with {what} glyphs '
        f"such as Noto Sans CJK (Debian: {packages}); none found in {where} "
        f"(${FONT_DIRS_ENV} names the folders to search; a font file can also be given)"
    )


def find_font(text: str, explicit: Path | None = None) -> Path | None:
    """A font file that draws `text`; None means Pillow's built-in font (Latin text only)."""
    if explicit is not None:
        if not Path(explicit).is_file():
            raise DiptychError(f"font file {display_path(str(explicit))} does not exist")
        lacking = _lacking(Path(explicit), text)
        if lacking:
            raise DiptychError(
                f"the font {display_path(str(explicit))} cannot draw {lacking!r} of {text!r}; "
                "give one that can, such as Noto Sans CJK for Korean and Japanese"
            )
        return Path(explicit)
    needed = _scripts(text)
    dirs = font_dirs()
    installed = _installed(dirs)
    if not needed:
        return next((installed[n.lower()] for n in _LATIN_FONTS if n.lower() in installed), None)
    for name, scripts in _CJK_FONTS:
        if needed <= scripts and name.lower() in installed:
            return installed[name.lower()]
    raise _missing_font(text, needed, dirs)


def _lacking(path: Path, text: str) -> str:
    """The characters of `text` the font has no glyph for (drawn as its "missing" box)."""
    font = _load_font(path, 32, text)
    # U+FFFF is a noncharacter: no font draws it, so it shows the missing-glyph box.
    missing = font.getmask("\uffff")
    box = (missing.size, bytes(missing))
    chars = dict.fromkeys(c for c in text if not c.isspace())
    return "".join(c for c in chars if (font.getmask(c).size, bytes(font.getmask(c))) == box)


@functools.lru_cache(maxsize=32)
def _face(path: Path, region: str | None) -> int:
    """In a collection, the face that draws ideographs the way the label's language does.

    Noto Sans CJK's .ttc holds JP, KR, SC, TC and HK faces; 年 and 月 differ between them.
    """
    if region is None or path.suffix.lower() not in (".ttc", ".otc"):
        return 0
    for index in range(16):
        try:
            family = ImageFont.truetype(str(path), 10, index=index).getname()[0] or ""
        except OSError:
            break
        if family.split()[-1:] == [region]:
            return index
    return 0


def _load_font(path: Path | None, size: int, text: str) -> Font:
    if path is None:
        return ImageFont.load_default(size)
    scripts = _scripts(text)
    region = "KR" if "hangul" in scripts else "JP" if "kana" in scripts else None
    try:
        return ImageFont.truetype(str(path), size, index=_face(path, region))
    except OSError as exc:
        raise DiptychError(f"cannot draw with the font {display_path(str(path))}: {exc}") from exc


# -- images --------------------------------------------------------------------------


@dataclass(frozen=True)
class _Layout:
    height: int
    widths: tuple[int, int]
    gutter: int


def _layout(sizes: Sequence[tuple[int, int]], width: int) -> _Layout:
    """One height for both, so that the two widths plus the gutter are exactly `width`."""
    gutter = max(_MIN_GUTTER, round(width * 0.01))
    room = width - gutter
    aspects = [w / h for w, h in sizes]
    height = max(1, round(room / sum(aspects)))
    # The right image takes the rounding remainder: at most a pixel off its own aspect.
    left = min(room - 1, max(1, round(aspects[0] * height)))
    return _Layout(height, (left, room - left), gutter)


def _unreadable(path: Path, exc: Exception) -> DiptychError:
    shown = display_path(str(path))
    if isinstance(exc, Image.DecompressionBombError):
        return DiptychError(f"{shown} is refused: {exc}")
    if isinstance(exc, FileNotFoundError):
        return DiptychError(f"{shown} does not exist")
    if isinstance(exc, PermissionError):
        return DiptychError(f"{shown} cannot be read: permission denied")
    if isinstance(exc, Image.UnidentifiedImageError):  # its own message repeats the path
        return DiptychError(f"{shown} is not an image photodesk can read")
    return DiptychError(f"{shown} is not an image photodesk can read ({exc})")


def _open(path: Path, stack: ExitStack) -> Image.Image:
    try:
        # Image.open refuses a decompression bomb from its header, before decoding.
        return stack.enter_context(Image.open(path))
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise _unreadable(path, exc) from exc


def _upright(im: Image.Image, size: tuple[int, int]) -> tuple[int, int]:
    """A size as stored turned to the size shown, or back: a quarter turn swaps the sides."""
    w, h = size
    return (h, w) if im.getexif().get(_ORIENTATION) in _SWAPS_SIDES else (w, h)


@functools.cache
def _srgb() -> ImageCms.ImageCmsProfile:
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))


def _to_rgb(im: Image.Image) -> Image.Image:
    """sRGB pixels on white: a wide-gamut photo keeps its colours beside an sRGB one."""
    icc = im.info.get("icc_profile")
    if icc and im.mode in ("RGB", "CMYK"):
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            converted = ImageCms.profileToProfile(im, source, _srgb(), outputMode="RGB")
            if converted is not None:
                return converted
        except (ImageCms.PyCMSError, OSError, ValueError):
            pass  # a broken profile: the pixels as they are
    if im.mode in ("RGBA", "LA", "PA") or "transparency" in im.info:
        rgba = im.convert("RGBA")
        return Image.alpha_composite(Image.new("RGBA", rgba.size, "white"), rgba).convert("RGB")
    return im.convert("RGB")


def _decode(im: Image.Image, size: tuple[int, int], path: Path) -> Image.Image:
    try:
        # The smallest JPEG scale (1/2, 1/4, 1/8) still at least this big: a 12-megapixel
        # original decodes in a fraction of the time and memory.
        im.draft("RGB", _upright(im, size))
        upright = ImageOps.exif_transpose(im)
        return _to_rgb(upright).resize(size, Image.Resampling.LANCZOS)
    except (OSError, SyntaxError, ValueError) as exc:  # truncated or corrupt image data
        raise _unreadable(path, exc) from exc


def _label_font(font_path: Path | None, label: str, height: int, room: int) -> Font:
    size = max(_MIN_TEXT, round(height / 20))
    font = _load_font(font_path, size, label)
    length = ImageDraw.Draw(Image.new("L", (1, 1))).textlength(label, font=font)
    if length > room > 0:  # a long label on a narrow photo: smaller, down to the minimum
        font = _load_font(font_path, max(_MIN_TEXT, int(size * room / length)), label)
    return font


def _draw_label(part: Image.Image, label: str, font_path: Path | None) -> None:
    """White text on a dark box in the lower-left corner; clipped to the photo it belongs to."""
    w, h = part.size
    pad = max(4, round(h / 20) // 3)
    font = _label_font(font_path, label, h, w - 4 * pad)
    draw = ImageDraw.Draw(part, "RGBA")
    # Measured at the origin, then moved, so bitmap fonts (no anchors) work as well.
    x0, y0, x1, y1 = draw.textbbox((0, 0), label, font=font)
    left, bottom = 2 * pad, h - 2 * pad
    origin = (left - x0, bottom - y1)
    draw.rectangle(
        (left - pad, bottom - (y1 - y0) - pad, left + (x1 - x0) + pad, bottom + pad), _BOX
    )
    draw.text(origin, label, font=font, fill=(255, 255, 255, 255))


def _label(side: Side) -> str | None:
    text = " ".join((side.label or "").split())  # one line, whatever the phrase held
    return text or None


def _check_size(width: int, height: int) -> None:
    # Two very tall photos would make a huge canvas: the same limit Pillow sets for input.
    limit = Image.MAX_IMAGE_PIXELS
    if limit is not None and width * height > limit:
        raise DiptychError(
            f"a diptych {width} pixels wide of these photos would be {width}×{height} pixels, "
            f"more than the {limit} allowed; ask for a smaller width"
        )


def compose(before: Side, after: Side, width: int = 2400, font: Path | None = None) -> Image.Image:
    """The two photos side by side at one height, `width` pixels across, labels drawn."""
    if width < MIN_WIDTH:
        raise DiptychError(f"a diptych needs a width of at least {MIN_WIDTH} pixels, not {width}")
    sides = (before, after)
    labels = [_label(s) for s in sides]
    # Fonts first: a missing one fails before megapixels are decoded.
    fonts = [find_font(text, font) if text else None for text in labels]
    with ExitStack() as stack:
        opened = [_open(Path(s.path), stack) for s in sides]
        layout = _layout([_upright(im, im.size) for im in opened], width)
        _check_size(width, layout.height)
        parts = [
            _decode(im, (w, layout.height), Path(s.path))
            for im, w, s in zip(opened, layout.widths, sides, strict=True)
        ]
    canvas = Image.new("RGB", (width, layout.height), "white")
    x = 0
    for part, text, font_path in zip(parts, labels, fonts, strict=True):
        if text:
            _draw_label(part, text, font_path)
        canvas.paste(part, (x, 0))
        x += part.width + layout.gutter
    return canvas


def save(
    image: Image.Image,
    out: Path,
    caption: str | None,
    headline: str | None,
    lang: str,
    credit: str | None = None,
) -> list[str]:
    """Write the diptych as a JPEG with its caption, headline and credit; IIM warnings back."""
    out = Path(out)
    shown = display_path(str(out))
    if out.suffix.lower() not in (".jpg", ".jpeg"):
        raise DiptychError(f"a diptych is saved as JPEG: {shown} should end in .jpg or .jpeg")
    if not out.parent.is_dir():  # a mistyped folder is a mistake, not a folder to make
        raise DiptychError(f"there is no folder {display_path(str(out.parent))} to write into")
    buffer = io.BytesIO()
    # Pixels only: no EXIF and no comment (Pillow would carry an opened image's over),
    # so nothing of either original (GPS, camera serial) travels with the diptych.
    image.convert("RGB").save(buffer, "JPEG", quality=JPEG_QUALITY, exif=b"", comment=b"")
    values = {"description": caption, "headline": headline, "credit": credit}
    data, warnings = embed_metadata(buffer.getvalue(), values, lang)
    try:
        write_atomic(out, data, mode=0o644)  # a file to send on, not a private one
    except OSError as exc:
        raise DiptychError(f"cannot write {shown}: {exc.strerror or exc}") from exc
    return warnings
