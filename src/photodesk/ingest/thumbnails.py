"""Thumbnails: small, upright JPEGs made without decoding more pixels than needed."""

from __future__ import annotations

import io

from PIL import Image

THUMB_SIZE = 512
# Bicubic keeps the edges an editor judges focus by; the import benchmark's floor uses it too.
RESAMPLE = Image.Resampling.BICUBIC

# EXIF orientation → the transpose that makes the pixels upright.
_UPRIGHT = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}


def _to_rgb(image: Image.Image) -> Image.Image:
    if image.mode == "RGB":
        return image
    if image.mode in ("I;16", "I;16B", "I;16L", "I"):
        # 16-bit greys would clip to white with a plain convert("L").
        image = image.convert("I").point(lambda v: v / 256).convert("L")
    if image.mode == "P":
        image = image.convert("RGBA")
    if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info:
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return image.convert("RGB")


def make_thumbnail(
    image: Image.Image, orientation: int | None, size: int = THUMB_SIZE
) -> Image.Image:
    """Decode `image` at the smallest scale that still covers `size`, then rotate the small copy.

    `draft` lets the JPEG decoder scale by 1/2, 1/4 or 1/8 while decoding (DCT
    scaling), so a 12-megapixel photo is never decoded in full; rotating after
    reducing avoids transposing 12 million pixels.
    """
    # JPEG decodes at reduced scale; pillow-heif picks an embedded thumbnail.
    image.draft("RGB", (size, size))
    image.thumbnail((size, size), RESAMPLE, reducing_gap=2.0)
    image = _to_rgb(image)
    transpose = _UPRIGHT.get(orientation or 1)
    if transpose is not None:
        image = image.transpose(transpose)
    return image


def encode(thumbnail: Image.Image) -> bytes:
    """The thumbnail as the JPEG file the archive keeps."""
    out = io.BytesIO()
    thumbnail.save(out, "JPEG", quality=82, optimize=False)
    return out.getvalue()
