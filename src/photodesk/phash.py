"""Perceptual hashes: how alike two pictures look, whatever their size or encoding.

A difference hash (dHash): the picture shrunk to 9×8 grey pixels, one bit for
each pair of horizontal neighbours (is the left one brighter?). Rephotographs
of one scene from one viewpoint differ in a few of the 64 bits; unrelated
pictures in about half. Kept as 16 hex digits in the catalog.
"""

from __future__ import annotations

from PIL import Image

BITS = 64


def dhash(image: Image.Image) -> str:
    grey = image.convert("L").resize((9, 8), Image.Resampling.BILINEAR)
    pixels = grey.tobytes()  # one byte per grey pixel, row by row
    value = 0
    for row in range(8):
        for col in range(8):
            left, right = pixels[row * 9 + col], pixels[row * 9 + col + 1]
            value = (value << 1) | (left > right)
    return f"{value:016x}"


def distance(a: str, b: str) -> int:
    """How many of the 64 bits differ (0: alike, about 32: unrelated)."""
    return (int(a, 16) ^ int(b, 16)).bit_count()
